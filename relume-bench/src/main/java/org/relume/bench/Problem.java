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
import org.relume.nn.Cnn;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.Regularizer;
import org.relume.train.TrainingStep;

/**
 * One workload as Relume trains it: the network (PyTorch's default initialization), one full batch
 * of fixed random data and the trainer's own {@link TrainingStep} (forward with preactivations when
 * jumpstart needs them, loss, backward, Adam). The timing and the agreement check with the peers
 * both start from here, so they measure the same thing.
 *
 * @param x       the batch sample-major, [batch, inputs] (what the peers read)
 * @param labels  class labels (classification), else null
 * @param targets regression targets sample-major, [batch, outputs], else null
 */
public record Problem(Shape shape, Network network, float[] x, int[] labels, float[] targets, Batch batch,
                      TrainingStep step) {

    public static Problem of(Workload w, long seed) {
        return of(w.shape(), seed);
    }

    public static Problem of(Shape w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[w.batch() * w.inputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Tensor features = Tensor.wrap(x, w.batch(), w.inputs());
        int[] labels = null;
        float[] targets = null;
        Dataset data;
        if (w.loss().equals("mse")) {
            targets = new float[w.batch() * w.outputs()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = (float) r.nextGaussian();
            }
            data = Dataset.regression(w.id(), features, Tensor.wrap(targets, w.batch(), w.outputs()));
        } else {
            int classes = w.loss().equals("ce") ? w.outputs() : 2;
            labels = new int[w.batch()];
            for (int i = 0; i < w.batch(); i++) {
                labels[i] = r.nextInt(classes);
            }
            data = w.loss().equals("ce") ? Dataset.multiclass(w.id(), features, labels, classes)
                    : Dataset.classification(w.id(), features, labels, classes);
        }
        Loss loss = switch (w.loss()) {
            case "mse" -> Loss.MSE;
            case "ce" -> Loss.SOFTMAX_CROSS_ENTROPY;
            default -> Loss.BINARY_CROSS_ENTROPY;
        };
        List<Regularizer> regularizers = w.loss().equals("bce+jumpstart")
                ? List.of(new Jumpstart(Aggregation.L1, 1e-4, false)) : List.of();
        Batcher batcher = new Batcher(data, 0, false, seed);
        batcher.startEpoch();
        Network net = network(w, seed);
        TrainingStep step = new TrainingStep(net, loss, regularizers, new Adam(1e-3), null);
        return new Problem(w, net, x, labels, targets, batcher.batch(0), step);
    }

    private static Network network(Shape w, long seed) {
        int[] widths = new int[w.depth()];
        Arrays.fill(widths, w.width());
        if (w.convolutional()) {
            return Cnn.build(Shape.IMAGE[0], Shape.IMAGE[1], Shape.IMAGE[2], widths, Shape.KERNEL, w.outputs(),
                    Activations.relu(), Initializer.TORCH_DEFAULT, seed);
        }
        return Mlp.builder().inputs(w.inputs()).hidden(widths).outputs(w.outputs()).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(seed).build();
    }

    /** One training step; returns the loss it stepped on (task loss plus penalties). */
    public float run() {
        float loss = step.forward(batch);
        step.update();
        return loss;
    }
}
