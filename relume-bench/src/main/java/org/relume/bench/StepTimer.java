package org.relume.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.data.Dataset;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.Regularizer;
import org.relume.train.TrainingStep;

/**
 * Times Relume's training step on a workload exactly as the trainer runs it (the trainer's own
 * {@link TrainingStep}: forward with preactivations when jumpstart needs them, loss, backward,
 * Adam), step by step with System.nanoTime after an untimed warm-up that also lets the JIT
 * compile; reports the median.
 */
public final class StepTimer {
    private StepTimer() {}

    /**
     * Median milliseconds per step, after at least {@code warmup} untimed steps and at least
     * {@code warmupSeconds} of them (the JIT needs time, not only calls).
     */
    public static double medianMillis(Workload w, int warmup, double warmupSeconds, int steps, long seed) {
        Runnable step = step(w, seed);
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmup || System.nanoTime() - warmStart < warmupSeconds * 1e9; i++) {
            step.run();
        }
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return steps % 2 == 1 ? t[steps / 2] : 0.5 * (t[steps / 2 - 1] + t[steps / 2]);
    }

    /**
     * One training step of the workload on fixed random data, as a closure (also used by the JMH
     * benchmarks): the trainer's own {@link TrainingStep} on one full batch.
     */
    public static Runnable step(Workload w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] widths = new int[w.depth];
        Arrays.fill(widths, w.width);
        Network net = Mlp.builder().inputs(w.inputs).hidden(widths).outputs(w.outputs).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(seed).build();
        float[] x = new float[w.batch * w.inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Tensor features = Tensor.wrap(x, w.batch, w.inputs);
        Dataset data;
        Loss loss;
        if (w.loss.equals("mse")) {
            float[] y = new float[w.batch * w.outputs];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) r.nextGaussian();
            }
            data = Dataset.regression(w.id(), features, Tensor.wrap(y, w.batch, w.outputs));
            loss = Loss.MSE;
        } else {
            int classes = w.loss.equals("ce") ? w.outputs : 2;
            int[] labels = new int[w.batch];
            for (int i = 0; i < w.batch; i++) {
                labels[i] = r.nextInt(classes);
            }
            data = w.loss.equals("ce") ? Dataset.multiclass(w.id(), features, labels, classes)
                    : Dataset.classification(w.id(), features, labels, classes);
            loss = w.loss.equals("ce") ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.BINARY_CROSS_ENTROPY;
        }
        List<Regularizer> regularizers = w.loss.equals("bce+jumpstart")
                ? List.of(new Jumpstart(Aggregation.L1, 1e-4, false)) : List.of();
        Batcher batcher = new Batcher(data, 0, false, seed);
        batcher.startEpoch();
        Batch batch = batcher.batch(0);
        TrainingStep step = new TrainingStep(net, loss, regularizers, new Adam(1e-3), null);
        return () -> step.run(batch);
    }
}
