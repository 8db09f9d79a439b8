package org.relume.grow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.data.Dataset;
import org.relume.data.GrowthData;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/** Every growth method and the deepening leave the outputs unchanged; state and gains are what they claim. */
class GrowthTest {

    private static final Dataset DATA = GrowthData.studentTeacher(200, 10, 10, 10, 3);

    private static Network student(long seed, boolean bias) {
        return Mlp.builder().inputs(10).hidden(5, 4).outputs(10).activation(Activations.relu())
                .init(Initializer.KAIMING_UNIFORM).bias(bias).seed(seed).build();
    }

    private static Batch batch() {
        return new Batcher(DATA, 0, false, 0).batch(0);
    }

    @Test
    void everyMethodPreservesTheFunction() {
        for (GrowthMethod m : GrowthMethod.values()) {
            for (boolean bias : new boolean[] {false, true}) {
                for (int layer = 0; layer < 2; layer++) {
                    Network net = student(1, bias);
                    Tensor before = net.predict(DATA.features());
                    Growth.Result r = Growth.grow(net, layer, 3, m, batch(), Loss.MSE, Growth.Settings.defaults(), null,
                            new SplittableRandom(2));
                    assertEquals(net.layer(layer).outputSize() + 0, r.network().layer(layer).outputSize(), "the Var grew in place");
                    assertEquals(layer == 0 ? 8 : 7, r.network().layer(layer).outputSize());
                    float diff = r.network().predict(DATA.features()).maxAbsDifference(before);
                    assertTrue(diff < 1e-6f, m + " layer " + layer + " bias " + bias + ": outputs moved by " + diff);
                }
            }
        }
    }

    @Test
    void identityLayersPreserveTheFunction() {
        Network net = student(4, true);
        Tensor before = net.predict(DATA.features());
        Network deeper = Surgery.insertIdentity(net, 1, Surgery.IdentityMode.AUTO, null);
        assertEquals(net.layerCount(), deeper.layerCount() - 1);
        assertEquals(5, deeper.layer(1).outputSize(), "W = I after a relu layer");
        assertTrue(deeper.predict(DATA.features()).maxAbsDifference(before) < 1e-6f);
        Network net2 = student(5, true);
        Tensor before2 = net2.predict(DATA.features());
        Network plusMinus = Surgery.insertIdentity(net2, 0, Surgery.IdentityMode.AUTO, null);
        assertEquals(20, plusMinus.layer(0).outputSize(), "[I; -I] after the (signed) input");
        assertTrue(plusMinus.predict(DATA.features()).maxAbsDifference(before2) < 1e-5f);
        Network net3 = student(6, true);
        Tensor before3 = net3.predict(DATA.features());
        Network pm2 = Surgery.insertIdentity(net3, 2, Surgery.IdentityMode.PLUS_MINUS, null);
        assertTrue(pm2.predict(DATA.features()).maxAbsDifference(before3) < 1e-5f);
        assertThrows(IllegalArgumentException.class,
                () -> Surgery.insertIdentity(student(7, true), 0, Surgery.IdentityMode.RELU_IDENTITY, null));
    }

    @Test
    void optimizerStateIsCarriedOverForExistingWeightsAndFreshForNewOnes() {
        // Twins trained identically; one grows. A further step with zero gradients moves weights only
        // through Adam's moments: existing weights must move exactly as in the twin, new ones not at all.
        Network twin = student(8, true);
        Network net = student(8, true);
        Adam twinAdam = new Adam(0.01);
        Adam adam = new Adam(0.01);
        Batch b = batch();
        for (int i = 0; i < 3; i++) {
            step(twin, twinAdam, b);
            step(net, adam, b);
        }
        Var w1 = net.parameter("layers.1.weight");
        Growth.Result r = Growth.grow(net, 0, 2, GrowthMethod.GRADMAX, b, Loss.MSE, Growth.Settings.defaults(), adam,
                new SplittableRandom(1));
        Network grown = r.network();
        assertTrue(grown.parameter("layers.1.weight") == w1, "the resized parameter keeps its identity");
        Tensor newBefore = w1.value().copy();
        for (Network n : new Network[] {twin, grown}) {
            for (Var p : n.parameters()) {
                p.setGrad(Tensor.zeros(p.value().shape()));
            }
        }
        twinAdam.step(twin.parameters());
        adam.step(grown.parameters());
        Tensor expected = twin.parameter("layers.1.weight").value();
        int moved = 0;
        for (int row = 0; row < 4; row++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(expected.get(row, c), w1.value().get(row, c), "existing weight (" + row + "," + c + ")");
                if (w1.value().get(row, c) != newBefore.get(row, c)) {
                    moved++;
                }
            }
            for (int c = 5; c < 7; c++) {
                assertEquals(newBefore.get(row, c), w1.value().get(row, c), "new weight (" + row + "," + c + ") has fresh state");
            }
        }
        assertTrue(moved > 0, "some existing weights carry momentum");
        assertTrue(grown.parameter("layers.0.bias").value().get(0) == twin.parameter("layers.0.bias").value().get(0));
    }

    private static void step(Network net, Adam adam, Batch b) {
        Tape tape = new Tape();
        Var loss = Loss.MSE.apply(tape, net.forward(tape, Var.constant(b.x()), null), b);
        for (Var p : net.parameters()) {
            p.zeroGrad();
        }
        tape.backward(loss);
        adam.step(net.parameters());
    }

    @Test
    void gradMaxGainIsTheRealGradientNormAndBeatsRandom() {
        for (long seed = 1; seed <= 5; seed++) {
            Growth.Result gm = Growth.grow(student(seed, false), 0, 1, GrowthMethod.GRADMAX, batch(), Loss.MSE,
                    Growth.Settings.defaults(), null, new SplittableRandom(seed));
            Growth.Result rnd = Growth.grow(student(seed, false), 0, 1, GrowthMethod.RANDOM, batch(), Loss.MSE,
                    Growth.Settings.defaults(), null, new SplittableRandom(seed));
            Growth.Result zeros = Growth.grow(student(seed, false), 0, 1, GrowthMethod.ZEROS, batch(), Loss.MSE,
                    Growth.Settings.defaults(), null, new SplittableRandom(seed));
            assertTrue(gm.gradNormGain() >= rnd.gradNormGain(), "seed " + seed + ": " + gm.gradNormGain() + " vs " + rnd.gradNormGain());
            assertEquals(0.0, zeros.gradNormGain(), 0.0);
            // The reported gain equals the norm of the new unit's incoming-weight gradient after a real backward pass.
            Network g = gm.network();
            Tape tape = new Tape();
            Batch b = batch();
            Var loss = Loss.MSE.apply(tape, g.forward(tape, Var.constant(b.x()), null), b);
            tape.backward(loss);
            Tensor grad = g.parameter("layers.0.weight").grad();
            double s = 0;
            for (int c = 0; c < 10; c++) {
                s += (double) grad.get(5, c) * grad.get(5, c);
            }
            assertEquals(gm.gradNormGain(), Math.sqrt(s), 1e-4 * gm.gradNormGain() + 1e-7, "seed " + seed);
        }
    }

    @Test
    void singularVectorsOfAKnownMatrix() {
        // G = U diag(3, 1) V^T with U a rotation by 30 degrees.
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        double[][] g = {{3 * c, -s, 0}, {3 * s, c, 0}};
        SingularVectors.Left left = SingularVectors.topLeft(g, 1);
        assertEquals(3, left.singularValues()[0], 1e-12);
        assertEquals(1, left.singularValues()[1], 1e-12);
        assertEquals(1, Math.abs(left.vectors()[0][0] * c + left.vectors()[0][1] * s), 1e-12, "first left singular vector");
        SplittableRandom r = new SplittableRandom(3);
        double[][] a = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = i; j < 6; j++) {
                a[i][j] = a[j][i] = r.nextGaussian();
            }
        }
        SingularVectors.Eigen e = SingularVectors.symmetricEigen(a);
        for (int k = 0; k < 6; k++) {
            for (int i = 0; i < 6; i++) {
                double av = 0;
                for (int j = 0; j < 6; j++) {
                    av += a[i][j] * e.vectors()[j][k];
                }
                assertEquals(e.values()[k] * e.vectors()[i][k], av, 1e-10, "A v = lambda v");
            }
        }
    }

    @Test
    void scheduleGrowsBetweenEpochsAtTheRightSteps() {
        Network net = Mlp.builder().inputs(10).hidden(5).outputs(10).activation(Activations.relu())
                .init(Initializer.KAIMING_UNIFORM).bias(false).seed(1).build();
        GrowthListener g = new GrowthListener(GrowthMethod.GRADMAX, GrowthSchedule.every(20, 20, 3, 0),
                Growth.Settings.defaults(), Loss.MSE, 1);
        org.relume.train.TrainResult r = new org.relume.train.Trainer(org.relume.train.TrainConfig.defaults().epochs(100)
                .optimizer(org.relume.optim.Sgd.plain(0.05)).listener(g).logEvery(50))
                .train(net, DATA, DATA.range(0, 0, "none"));
        List<GrowthListener.Event> events = g.events();
        assertEquals(3, events.size());
        assertEquals(List.of(20L, 40L, 60L), events.stream().map(GrowthListener.Event::step).toList());
        assertEquals(8, r.network().layer(0).outputSize());
        assertEquals(3.0, r.history().last().get("growths"));
    }

    @Test
    void roundRobinLargestAndPlateauTriggersChooseWhereAndWhen() {
        for (GrowthSchedule.Where where : GrowthSchedule.Where.values()) {
            Network net = student(3, false);
            GrowthListener g = new GrowthListener(GrowthMethod.GRADMAX,
                    new GrowthSchedule(10, 10, 4, 1, where, 1, 0, 0), Growth.Settings.defaults(), Loss.MSE, 1);
            org.relume.train.TrainResult r = new org.relume.train.Trainer(org.relume.train.TrainConfig.defaults().epochs(50)
                    .optimizer(org.relume.optim.Sgd.plain(0.02)).listener(g).logEvery(50)).train(net, DATA, DATA.range(0, 0, "none"));
            List<Integer> layers = g.events().stream().map(GrowthListener.Event::layer).toList();
            switch (where) {
                case FIXED -> assertEquals(List.of(1, 1, 1, 1), layers);
                case ROUND_ROBIN -> assertEquals(List.of(0, 1, 0, 1), layers);
                case LARGEST_SINGULAR_VALUE -> assertTrue(layers.stream().allMatch(l -> l == 0 || l == 1), layers.toString());
                default -> throw new AssertionError(where);
            }
            assertEquals(5 + 4 + 4, r.network().layer(0).outputSize() + r.network().layer(1).outputSize());
        }
        // Plateau: with a learning rate of 0 the loss never improves, so growth follows the window.
        Network net = student(4, false);
        GrowthListener g = new GrowthListener(GrowthMethod.RANDOM, new GrowthSchedule(0, 1, 3, 1,
                GrowthSchedule.Where.FIXED, 0, 5, 0.01), Growth.Settings.defaults(), Loss.MSE, 1);
        new org.relume.train.Trainer(org.relume.train.TrainConfig.defaults().epochs(40).optimizer(org.relume.optim.Sgd.plain(0))
                .listener(g).logEvery(40)).train(net, DATA, DATA.range(0, 0, "none"));
        assertEquals(List.of(6, 11, 16), g.events().stream().map(GrowthListener.Event::epoch).toList(),
                "every 5 epochs of no improvement");
    }
}
