package org.relume.grow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.data.Dataset;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Conv2d;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.train.TrainingStep;

/**
 * GradMax and random growth of convolutions: the function is unchanged, the reported gain is the
 * gradient norm backpropagation then finds at the new incoming kernels (so the matrix behind it,
 * borders included, is right), GradMax's gain beats random's, and after growth the existing weights
 * move exactly as in an ungrown twin.
 */
class ConvGrowthTest {
    private static final int SIDE = 6;

    private static Dataset images() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 24;
        float[] x = new float[n * SIDE * SIDE];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % 3;
            for (int f = 0; f < SIDE * SIDE; f++) {
                x[s * SIDE * SIDE + f] = (float) (r.nextDouble() + (f % 3 == y[s] ? 0.5 : 0));
            }
        }
        return Dataset.classification("images", Tensor.wrap(x, n, SIDE * SIDE), y, 3);
    }

    private static Network cnn(long seed) {
        return Cnn.build(1, SIDE, SIDE, new int[] {3, 2}, 3, 3, Activations.relu(), Initializer.KAIMING_UNIFORM, seed);
    }

    private static Batch batch() {
        return new Batcher(images(), 0, false, 0).batch(0);
    }

    @Test
    void growthPreservesTheFunctionAndTheGainIsTheBackpropagatedNorm() {
        Dataset data = images();
        for (GrowthMethod m : List.of(GrowthMethod.GRADMAX, GrowthMethod.RANDOM)) {
            for (int layer = 0; layer < 2; layer++) {
                Network net = cnn(1);
                Tensor before = net.predict(data.features());
                Growth.Result r = ConvGrowth.grow(net, layer, 2, m, batch(), Loss.SOFTMAX_CROSS_ENTROPY, 0.5, null,
                        new SplittableRandom(4));
                Network grown = r.network();
                assertEquals((layer == 0 ? 3 : 2) + 2, ((Conv2d) grown.layer(layer)).geometry().outChannels());
                float diff = grown.predict(data.features()).maxAbsDifference(before);
                assertTrue(diff < 1e-6f, m + " layer " + layer + ": outputs moved by " + diff);
                double backprop = newKernelGradientNorm(grown, layer, 2);
                assertEquals(backprop, r.gradNormGain(), 1e-3 * Math.max(1e-6, backprop),
                        m + " layer " + layer + ": the gain is the gradient norm at the new kernels");
                assertTrue(r.gradNormGain() > 0, m + " layer " + layer);
            }
        }
        for (int layer = 0; layer < 2; layer++) {
            double gradmax = ConvGrowth.grow(cnn(1), layer, 2, GrowthMethod.GRADMAX, batch(), Loss.SOFTMAX_CROSS_ENTROPY, 0.5,
                    null, new SplittableRandom(4)).gradNormGain();
            double random = ConvGrowth.grow(cnn(1), layer, 2, GrowthMethod.RANDOM, batch(), Loss.SOFTMAX_CROSS_ENTROPY, 0.5,
                    null, new SplittableRandom(4)).gradNormGain();
            assertTrue(gradmax > random, "layer " + layer + ": GradMax " + gradmax + " vs random " + random);
        }
    }

    @Test
    void existingWeightsMoveAsInAnUngrownTwin() {
        Network twin = cnn(3);
        Network net = cnn(3);
        Adam twinOpt = new Adam(1e-2);
        Adam opt = new Adam(1e-2);
        Batch b = batch();
        TrainingStep twinStep = new TrainingStep(twin, Loss.SOFTMAX_CROSS_ENTROPY, List.of(), twinOpt, null);
        TrainingStep step = new TrainingStep(net, Loss.SOFTMAX_CROSS_ENTROPY, List.of(), opt, null);
        for (int i = 0; i < 3; i++) {
            twinStep.run(b);
            step.run(b);
        }
        Network grown = ConvGrowth.grow(net, 0, 2, GrowthMethod.GRADMAX, b, Loss.SOFTMAX_CROSS_ENTROPY, 0.5, opt,
                new SplittableRandom(1)).network();
        new TrainingStep(grown, Loss.SOFTMAX_CROSS_ENTROPY, List.of(), opt, null).run(b);
        twinStep.run(b);
        float[] old = twin.layer(1).parameters().get(0).value().data();
        float[] now = grown.layer(1).parameters().get(0).value().data();
        int taps = 9;
        for (int o = 0; o < 2; o++) {
            for (int c = 0; c < 3 * taps; c++) {
                assertEquals(old[o * 3 * taps + c], now[o * 5 * taps + c], 0f, "reader weight " + o + "/" + c);
            }
        }
        assertArrayEquals(twin.layer(0).parameters().get(0).value().data(),
                java.util.Arrays.copyOf(grown.layer(0).parameters().get(0).value().data(), 3 * taps));
    }

    @Test
    void whatGrowthCannotHandleIsRefused() {
        Network bn = Cnn.build(1, SIDE, SIDE, new int[] {2, 2}, 3, 3, Activations.relu(), Initializer.KAIMING_UNIFORM, 1,
                new Cnn.Options(null, true, null, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvGrowth.grow(bn, 0, 1,
                GrowthMethod.GRADMAX, batch(), Loss.SOFTMAX_CROSS_ENTROPY, 0.5, null, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("batch-normalized"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvGrowth.grow(cnn(1), 2, 1, GrowthMethod.GRADMAX, batch(),
                Loss.SOFTMAX_CROSS_ENTROPY, 0.5, null, new SplittableRandom(1)));
        // A convolution after a pooling layer: refused, not a null pointer.
        Network pooled = Cnn.build(1, SIDE, SIDE, new int[] {2, 2}, 3, 3, Activations.relu(), Initializer.KAIMING_UNIFORM, 1,
                new Cnn.Options(null, false, org.relume.nn.Pool2d.Mode.MAX, 1));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> ConvGrowth.grow(pooled, 2, 1,
                GrowthMethod.GRADMAX, batch(), Loss.SOFTMAX_CROSS_ENTROPY, 0.5, null, new SplittableRandom(1)));
        assertTrue(p.getMessage().contains("pool2d"), p.getMessage());
    }

    /** ||dL/d(new incoming kernels and biases)||_F by backpropagation through the grown net (relu'(0) = 1 there). */
    private static double newKernelGradientNorm(Network grown, int layer, int k) {
        Batch b = batch();
        Tape tape = new Tape();
        Var out = grown.forward(tape, Var.constant(b.x()), null);
        tape.backward(Loss.SOFTMAX_CROSS_ENTROPY.apply(tape, out, b));
        Conv2d c = (Conv2d) grown.layer(layer);
        int taps = c.geometry().taps();
        int channels = c.geometry().outChannels();
        double s = 0;
        float[] gw = c.weight().grad().data();
        for (int i = (channels - k) * taps; i < channels * taps; i++) {
            s += (double) gw[i] * gw[i];
        }
        float[] gb = c.bias().grad().data();
        for (int j = channels - k; j < channels; j++) {
            s += (double) gb[j] * gb[j];
        }
        return Math.sqrt(s);
    }
}
