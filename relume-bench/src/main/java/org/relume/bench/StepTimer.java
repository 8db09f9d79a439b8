package org.relume.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.optim.Adam;
import org.relume.tensor.ArithmeticOps;
import org.relume.tensor.LossOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Times Relume's training step on a workload exactly as the trainer runs it (tape reset, forward
 * with preactivations when jumpstart needs them, loss, backward, Adam), step by step with
 * System.nanoTime after an untimed warm-up that also lets the JIT compile; reports the median.
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

    /** One training step of the workload on fixed random data, as a closure (also used by the JMH benchmarks). */
    public static Runnable step(Workload w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] widths = new int[w.depth];
        Arrays.fill(widths, w.width);
        Network net = Mlp.builder().inputs(w.inputs).hidden(widths).outputs(w.outputs).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(seed).build();
        Tensor x = Tensor.zeros(w.inputs, w.batch);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] = (float) r.nextGaussian();
        }
        Tensor y = Tensor.zeros(w.outputs, w.batch);
        int[] labels = new int[w.batch];
        for (int i = 0; i < w.batch; i++) {
            labels[i] = r.nextInt(w.outputs);
            for (int o = 0; o < w.outputs; o++) {
                y.data()[o * w.batch + i] = w.loss.equals("mse") ? (float) r.nextGaussian() : (r.nextBoolean() ? 1f : 0f);
            }
        }
        Var input = Var.constant(x);
        List<Var> params = net.parameters();
        Adam adam = new Adam(1e-3);
        Tape tape = new Tape();
        Jumpstart jumpstart = w.loss.equals("bce+jumpstart") ? new Jumpstart(Aggregation.L1, 1e-4, false) : null;
        List<Preactivation> pre = new java.util.ArrayList<>();
        java.util.function.Consumer<Preactivation> sink = jumpstart != null ? pre::add : null;
        return () -> {
            tape.reset();
            pre.clear();
            Var out = net.forward(tape, input, sink);
            Var loss = switch (w.loss) {
                case "mse" -> LossOps.mse(tape, out, y);
                case "ce" -> LossOps.softmaxCrossEntropy(tape, out, labels);
                default -> ArithmeticOps.add(tape, LossOps.bceWithLogits(tape, out, y), jumpstart.penalty(tape, pre, net));
            };
            for (Var p : params) {
                p.zeroGrad();
            }
            tape.backward(loss);
            adam.step(params);
        };
    }
}
