package org.relume.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Task;
import org.relume.io.ModelFiles;
import org.relume.io.ModelFormatException;
import org.relume.io.ModelMetadata;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Thin CNNs (Riera et al., Experiment B's shape): a conv layer's preactivation reaches the sink as
 * channels over positions, jumpstart's deficits on it match a hand computation with the reference
 * PyTorch definitions (a unit is a channel, max/min over batch x H x W; a point is a sample,
 * max/min over C x H x W), and a CNN saved and loaded predicts identically.
 */
class ConvNetworkTest {
    @TempDir
    Path tmp;

    @Test
    void preactivationsAreChannelsOverPositions() {
        Network net = Cnn.build(1, 5, 4, new int[] {3, 2}, 3, 4, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        List<Preactivation> seen = new ArrayList<>();
        net.forward(new Tape(), Var.constant(Tensor.zeros(20, 6)), seen::add);
        assertEquals(3, seen.size());
        assertEquals(3, seen.get(0).units());
        assertEquals(20, seen.get(0).spatial());
        assertEquals(6, seen.get(0).samples());
        assertEquals(2, seen.get(1).units());
        assertEquals(1, seen.get(2).spatial());
        assertEquals(4, net.outputSize(), "1x5x4 -> 3 -> 2 channels, then 4 outputs");
    }

    /**
     * Two channels, two positions, two samples; element (unit, position, sample):
     * <pre>
     *   channel 0: position 0: ( 0.5, -2.0)   position 1: ( 3.0, -0.5)
     *   channel 1: position 0: (-0.3, -0.2)   position 1: (-0.6,  0.4)
     * </pre>
     * channel 0: max 3 -> xi+ 0; min -2 -> xi- 0.  channel 1: max 0.4 -> xi+ 0.6; min -0.6 -> xi- 0.4.
     * sample 0: max over all channels and positions 3 -> psi+ 0; min -0.6 -> psi- 0.4.
     * sample 1: max 0.4 -> psi+ 0.6; min -2 -> psi- 0.
     */
    @Test
    void jumpstartDeficitsOnConvolutionsMatchHandComputation() {
        float[] g = {0.5f, -2.0f, 3.0f, -0.5f, -0.3f, -0.2f, -0.6f, 0.4f};
        Preactivation p = new Preactivation(0, Var.constant(Tensor.of(g, 4, 2)), 2, 2, 2, false);
        assertEquals(3.0f, g[p.index(0, 0, 1)]);
        assertEquals(0.4f, g[p.index(1, 1, 1)]);
        Jumpstart j = new Jumpstart(Aggregation.L1, 1, false);
        double penalty = j.penalty(new Tape(), List.of(p), null).value().item();
        Jumpstart.LayerDeficits d = j.layer(0);
        assertEquals(0f, d.unitPositive(0));
        assertEquals(0f, d.unitNegative(0));
        assertEquals(0.6f, d.unitPositive(1), 1e-6f);
        assertEquals(0.4f, d.unitNegative(1), 1e-6f);
        assertEquals(0f, d.pointPositive(0));
        assertEquals(0.4f, d.pointNegative(0), 1e-6f);
        assertEquals(0.6f, d.pointPositive(1), 1e-6f);
        assertEquals(0f, d.pointNegative(1));
        assertEquals(0.6 + 0.4 + 0.4 + 0.6, penalty, 1e-6, "l1 of all deficits");
    }

    /**
     * The same preactivation under the reference Keras definitions: a unit is each (channel,
     * position), max/min over the batch; a point each (position, sample), max/min over channels.
     * Units: (0,0) 0.5/-2 -> xi+ 0.5, xi- 0; (0,1) 3/-0.5 -> 0, 0.5; (1,0) -0.3/-0.2 -> 1.2, 0.7;
     * (1,1) -0.6/0.4 -> 0.6, 0.4. Points: (0,s0) 0.5/-0.3 -> psi+ 0.5, psi- 0.7; (0,s1) -2/-0.2 -> 1.2, 0;
     * (1,s0) 3/-0.6 -> 0, 0.4; (1,s1) -0.5/0.4 -> 0.6, 0.5.
     */
    @Test
    void kerasDefinitionsTakeUnitsPerPositionAndPointsPerPositionAndSample() {
        float[] g = {0.5f, -2.0f, 3.0f, -0.5f, -0.3f, -0.2f, -0.6f, 0.4f};
        Preactivation p = new Preactivation(0, Var.constant(Tensor.of(g, 4, 2)), 2, 2, 2, false);
        Jumpstart j = new Jumpstart(Aggregation.L1, 1, false, Jumpstart.Definition.KERAS);
        double penalty = j.penalty(new Tape(), List.of(p), null).value().item();
        Jumpstart.LayerDeficits d = j.layer(0);
        assertEquals(4, d.units());
        assertEquals(4, d.points());
        float[] xiPlus = {0.5f, 0f, 1.2f, 0.6f};
        float[] xiMinus = {0f, 0.5f, 0.7f, 0.4f};
        float[] psiPlus = {0.5f, 1.2f, 0f, 0.6f};
        float[] psiMinus = {0.7f, 0f, 0.4f, 0.5f};
        for (int i = 0; i < 4; i++) {
            assertEquals(xiPlus[i], d.unitPositive(i), 1e-6f, "xi+ " + i);
            assertEquals(xiMinus[i], d.unitNegative(i), 1e-6f, "xi- " + i);
            assertEquals(psiPlus[i], d.pointPositive(i), 1e-6f, "psi+ " + i);
            assertEquals(psiMinus[i], d.pointNegative(i), 1e-6f, "psi- " + i);
        }
        assertEquals(7.8, penalty, 1e-5);
    }

    @Test
    void cnnSavedAndLoadedPredictsIdentically() throws IOException {
        Network net = Cnn.build(2, 6, 5, new int[] {4, 3, 2}, 3, 3, Activations.relu(), Initializer.KAIMING_UNIFORM, 7);
        Path dir = tmp.resolve("cnn");
        ModelFiles.save(dir, net, new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of(), Map.of()));
        Network loaded = ModelFiles.load(dir).network();
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[9 * 60];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        Tensor samples = Tensor.wrap(x, 9, 60);
        assertTrue(net.predict(samples).identical(loaded.predict(samples)));
        assertEquals(net.architecture(), loaded.architecture());
        assertEquals("conv2d", loaded.layer(0).type());

        // With the CIFAR head: global average and max pooling, which no sink sees.
        Network pooled = Cnn.build(3, 4, 4, new int[] {2, 2}, 3, 5, Activations.relu(), Initializer.KAIMING_UNIFORM, 8,
                GlobalPool.Mode.AVG_MAX);
        Path dir2 = tmp.resolve("pooled");
        ModelFiles.save(dir2, pooled, new ModelMetadata(Task.MULTICLASS, 5, "softmax_ce", null, null, List.of(), Map.of()));
        Network loaded2 = ModelFiles.load(dir2).network();
        float[] y = new float[4 * 48];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextDouble();
        }
        Tensor images = Tensor.wrap(y, 4, 48);
        assertTrue(pooled.predict(images).identical(loaded2.predict(images)));
        assertEquals("global_pool", loaded2.layer(2).type());
        List<Preactivation> seen = new ArrayList<>();
        pooled.forward(new Tape(), Var.constant(Tensor.zeros(48, 3)), seen::add);
        assertEquals(List.of(0, 1, 3), seen.stream().map(Preactivation::layer).toList(), "the pooling layer has no preactivation");
    }

    /**
     * conv-BN-ReLU with 2x2 max pooling: the running statistics follow training steps, prediction
     * normalizes with them (so one sample's output does not depend on its batch), and a saved and
     * loaded model keeps them and predicts identically.
     */
    @Test
    void batchNormAndPoolingSurviveSaveAndLoad() throws IOException {
        Network net = Cnn.build(2, 6, 6, new int[] {3, 2}, 3, 3, Activations.relu(), Initializer.KAIMING_UNIFORM, 9,
                new Cnn.Options(null, true, Pool2d.Mode.MAX, 1));
        assertEquals(List.of("conv2d", "pool2d", "conv2d", "pool2d", "dense"),
                net.layers().stream().map(Layer::type).toList());
        assertEquals(2, net.layer(4).inputSize(), "2x2 pooling twice: 6x6 -> 3x3 -> 1x1, 2 channels");
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[72 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 + r.nextGaussian());
        }
        Tensor batch = Tensor.zeros(72, 16);
        for (int s = 0; s < 16; s++) {
            for (int f = 0; f < 72; f++) {
                batch.data()[f * 16 + s] = x[s * 72 + f];
            }
        }
        for (int step = 0; step < 3; step++) {
            net.forward(new Tape(), Var.constant(batch), null);
        }
        Tensor mean = net.namedBuffers().get("layers.0.bn.running_mean");
        assertTrue(Math.abs(mean.data()[0]) > 1e-3, "three training steps moved the running mean, got " + mean.data()[0]);
        Tensor samples = Tensor.wrap(x, 16, 72);
        Tensor all = net.predict(samples);
        Tensor first = net.predict(Tensor.wrap(java.util.Arrays.copyOf(x, 72), 1, 72));
        for (int o = 0; o < 3; o++) {
            assertEquals(all.data()[o], first.data()[o], 1e-6, "prediction uses the running statistics, not the batch's");
        }
        Path dir = tmp.resolve("bn");
        ModelFiles.save(dir, net, new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of(), Map.of()));
        Network loaded = ModelFiles.load(dir).network();
        assertTrue(all.identical(loaded.predict(samples)));
        assertEquals(net.parameterCount(), loaded.parameterCount());
        assertEquals(net.namedBuffers().keySet(), loaded.namedBuffers().keySet());

        net.namedBuffers().get("layers.2.bn.running_var").data()[1] = -0.5f;
        Path bad = tmp.resolve("bad-bn");
        ModelFiles.save(bad, net, new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of(), Map.of()));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(bad));
        assertTrue(e.getMessage().contains("layers.2.bn.running_var") && e.getMessage().contains("negative"), e.getMessage());
    }
}
