package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * Every function-preserving operation compared with its original on random inputs, and the
 * properties it promises (balance, no redundancy, N* membership).
 */
class CanonicalizationTest {

    /**
     * A random biased net with every kind of degeneracy mixed in: about a fifth of the neurons are
     * positive multiples of an earlier one (a, b both scaled: redundant), some have a = 0 with a
     * negative bias (dead) or a positive one (constant), some have c = 0, and e is sometimes 0.
     */
    static BiasedShallowNet degenerateNet(SplittableRandom r, int d, int m, int outputs) {
        double[][] a = new double[m][d];
        double[] b = new double[m];
        double[][] c = new double[m][outputs];
        for (int i = 0; i < m; i++) {
            double kind = r.nextDouble();
            for (int o = 0; o < outputs; o++) {
                c[i][o] = 2 * r.nextDouble() - 1;
            }
            if (i > 0 && kind < 0.2) {
                int j = r.nextInt(i);
                double mu = 0.2 + 5 * r.nextDouble();
                for (int k = 0; k < d; k++) {
                    a[i][k] = mu * a[j][k];
                }
                b[i] = mu * b[j];
            } else if (kind < 0.27) {
                b[i] = -r.nextDouble(); // dead: a = 0, b <= 0
            } else if (kind < 0.34) {
                b[i] = r.nextDouble(); // constant: a = 0, b > 0
            } else {
                for (int k = 0; k < d; k++) {
                    a[i][k] = 3 * (2 * r.nextDouble() - 1);
                }
                b[i] = 2 * r.nextDouble() - 1;
                if (kind > 0.93) {
                    c[i] = new double[outputs]; // contributes nothing
                }
            }
        }
        double[] e = new double[outputs];
        if (r.nextBoolean()) {
            for (int o = 0; o < outputs; o++) {
                e[o] = 2 * r.nextDouble() - 1;
            }
        }
        return new BiasedShallowNet(a, b, c, e, true, true);
    }

    private static double maxDifferenceOnBox(java.util.function.Function<double[], double[]> f,
                                             java.util.function.Function<double[], double[]> g, int d, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int s = 0; s < n; s++) {
            double[] x = new double[d];
            for (int k = 0; k < d; k++) {
                x[k] = 4 * r.nextDouble() - 2;
            }
            double[] y = f.apply(x);
            double[] z = g.apply(x);
            for (int o = 0; o < y.length; o++) {
                worst = Math.max(worst, Math.abs(y[o] - z[o]));
            }
        }
        return worst;
    }

    @Test
    void lemmaA6ConvertsRandomBiasedNetsIntoTheRestrictedSpace() {
        SplittableRandom r = new SplittableRandom(2019);
        int withRedundancy = 0;
        int withDead = 0;
        for (int trial = 0; trial < 150; trial++) {
            int d = 1 + trial % 5;
            int m = 1 + r.nextInt(20);
            int outputs = 1 + r.nextInt(3);
            BiasedShallowNet net = degenerateNet(r, d, m, outputs);
            Degeneracies.Report before = Degeneracies.of(net, Degeneracies.DEFAULT_TOLERANCE, null);
            withRedundancy += before.redundant().isEmpty() ? 0 : 1;
            withDead += before.dead().length > 0 ? 1 : 0;
            ShallowNet star = Canonicalization.restricted(net, Degeneracies.DEFAULT_TOLERANCE);
            String what = "trial " + trial + " (d " + d + ", m " + m + ", D " + outputs + ")";
            assertEquals(d + 2, star.inputs(), what);
            assertEquals(m + 1, star.neurons(), what);
            assertEquals(outputs, star.outputs(), what);
            double diff = maxDifferenceOnBox(net::realize, x -> star.realize(Canonicalization.lift(x)), d, 10_000, trial);
            assertTrue(diff <= 1e-5, what + ": outputs differ by " + diff);
            Degeneracies.Report after = Degeneracies.of(star, Degeneracies.DEFAULT_TOLERANCE, null);
            assertEquals(List.of(), after.unbalanced(), what + ": balanced");
            assertEquals(List.of(), after.redundant(), what + ": no redundant directions");
            for (int i = 0; i < star.neurons(); i++) {
                assertTrue(star.a(i, d) > 0 && star.a(i, d + 1) > 0, what + ": last two coordinates of a_" + i + " positive");
            }
            assertTrue(Degeneracies.inRestrictedSpace(star, Degeneracies.DEFAULT_TOLERANCE), what);
        }
        assertTrue(withRedundancy > 30 && withDead > 30, "the random nets exercise merging (" + withRedundancy
                + ") and dead neurons (" + withDead + ")");
    }

    @Test
    void lemmaA6OnANetworkRoundTripsThroughFloat() {
        Network net = Mlp.builder().inputs(3).hidden(7).outputs(2).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(4).build();
        Network star = Canonicalization.restricted(net, Degeneracies.DEFAULT_TOLERANCE);
        assertEquals("5-8-2", star.architecture());
        assertFalse(((Dense) star.layer(0)).hasBias() || ((Dense) star.layer(1)).hasBias(), "bias-free");
        assertTrue(Canonicalization.maxOutputDifference(net, star, 10_000, 1, true) < 1e-5);
    }

    @Test
    void rebalancingBalancesEveryNeuronAndKeepsTheFunction() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            int d = 1 + r.nextInt(5);
            ShallowNet net = SobolevSeminormTest.randomNet(r, d, 1 + r.nextInt(20), 1 + r.nextInt(3));
            // Unbalance it: scale each neuron's a by s and c by 1/s, s across six orders of magnitude.
            double[][] a = net.directions();
            double[][] c = net.outputVectors();
            for (int i = 0; i < a.length; i++) {
                double s = Math.pow(10, 6 * r.nextDouble() - 3);
                for (int k = 0; k < d; k++) {
                    a[i][k] *= s;
                }
                for (int o = 0; o < c[i].length; o++) {
                    c[i][o] /= s;
                }
            }
            ShallowNet unbalanced = new ShallowNet(a, c);
            ShallowNet balanced = Canonicalization.rebalance(unbalanced);
            assertTrue(maxDifferenceOnBox(unbalanced::realize, balanced::realize, d, 10_000, trial) <= 1e-9);
            for (int i = 0; i < balanced.neurons(); i++) {
                assertTrue(Degeneracies.isBalanced(ShallowNet.normInf(balanced.a(i)), ShallowNet.normInf(balanced.c(i)), 1e-12));
                // The direction is the same; only its length changed.
                assertTrue(Degeneracies.redundant(unbalanced.a(i), balanced.a(i), 1e-12));
            }
            assertTrue(Degeneracies.of(balanced).balanced());
        }
    }

    @Test
    void mergingRemovesRedundantNeuronsAndKeepsTheFunction() {
        SplittableRandom r = new SplittableRandom(8);
        for (int trial = 0; trial < 40; trial++) {
            int d = 2 + r.nextInt(4); // in d = 1 every direction is +-1, so random neurons would be redundant anyway
            int distinct = 1 + r.nextInt(8);
            ShallowNet base = SobolevSeminormTest.randomNet(r, d, distinct, 1 + r.nextInt(3));
            int copies = r.nextInt(10);
            double[][] a = new double[distinct + copies][];
            double[][] c = new double[distinct + copies][];
            for (int i = 0; i < distinct; i++) {
                a[i] = base.a(i);
                c[i] = base.c(i);
            }
            for (int k = 0; k < copies; k++) {
                int j = r.nextInt(distinct);
                double mu = 0.1 + 4 * r.nextDouble();
                a[distinct + k] = base.a(j);
                for (int q = 0; q < d; q++) {
                    a[distinct + k][q] *= mu;
                }
                c[distinct + k] = SobolevSeminormTest.randomNet(r, 1, 1, base.outputs()).c(0);
            }
            ShallowNet net = new ShallowNet(a, c);
            ShallowNet merged = Canonicalization.mergeRedundant(net, Degeneracies.DEFAULT_TOLERANCE);
            assertEquals(distinct, merged.neurons(), "trial " + trial);
            assertTrue(maxDifferenceOnBox(net::realize, merged::realize, d, 10_000, trial) <= 1e-9);
            assertEquals(List.of(), Degeneracies.of(merged).redundant());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Canonicalization.mergeRedundant(SobolevSeminormTest.randomNet(r, 2, 3, 1), 0.5));
    }

    @Test
    void mergingFollowsTheFormula() {
        // a_2 = 3 a_1: c_1 <- c_1 + 3 c_2; a_3 is the opposite direction and stays.
        ShallowNet net = new ShallowNet(new double[][] {{1, -2}, {3, -6}, {-1, 2}}, new double[][] {{1}, {0.5}, {2}});
        ShallowNet merged = Canonicalization.mergeRedundant(net, 1e-9);
        assertEquals(2, merged.neurons());
        assertArrayEquals(new double[] {2.5}, merged.c(0), 1e-15);
        assertArrayEquals(new double[] {-1, 2}, merged.a(1), 0);
    }

    @Test
    void droppingDeadNeuronsFoldsConstantsIntoTheOutputBias() {
        // Neuron 0 is ordinary, 1 is dead (a = 0, b < 0), 2 is constant (a = 0, b = 2), 3 has c = 0.
        BiasedShallowNet net = new BiasedShallowNet(new double[][] {{1, 1}, {0, 0}, {0, 0}, {2, -1}},
                new double[] {0.5, -1, 2, 0.3}, new double[][] {{1}, {5}, {-3}, {0}}, new double[] {1}, true, true);
        Degeneracies.Report report = Degeneracies.of(net, Degeneracies.DEFAULT_TOLERANCE, null);
        assertArrayEquals(new int[] {1}, report.dead());
        assertArrayEquals(new int[] {1}, report.deadEverywhere());
        assertArrayEquals(new int[] {1, 2, 3}, report.constant());
        BiasedShallowNet dropped = Canonicalization.dropDead(net);
        assertEquals(1, dropped.neurons());
        assertArrayEquals(new double[] {1 - 6}, dropped.e(), 1e-15);
        assertTrue(maxDifferenceOnBox(net::realize, dropped::realize, 2, 10_000, 1) <= 1e-12);
        // Bias-free: zero a or zero c goes.
        ShallowNet free = new ShallowNet(new double[][] {{1, 0}, {0, 0}, {0, 1}}, new double[][] {{1}, {3}, {0}});
        assertEquals(1, Canonicalization.dropDead(free).neurons());
        // A net with nothing alive keeps one zero neuron.
        ShallowNet nothing = new ShallowNet(new double[][] {{0, 0}}, new double[][] {{4}});
        assertEquals(0.0, Canonicalization.dropDead(nothing).parameterNorm());
    }

    @Test
    void deadNeuronsOnDataAreThoseNeverActive() {
        ShallowNet net = new ShallowNet(new double[][] {{1, 0}, {-1, 0}, {0, 1}}, new double[][] {{1}, {1}, {1}});
        double[][] data = {{0.5, 0.2}, {0.3, -0.4}};
        Degeneracies.Report r = Degeneracies.of(net, Degeneracies.DEFAULT_TOLERANCE, data);
        assertArrayEquals(new int[] {1}, r.dead(), "-x1 <= 0 on both samples");
        assertEquals(2, r.samples());
        assertEquals(1, r.opposite().size(), "a_1 = -a_0");
        // Unit 1 is dead on these samples but alive for x1 < 0: it is not dead everywhere, and the
        // summary says which notion each count uses (analyze and canonicalize printed them unnamed).
        assertArrayEquals(new int[0], r.deadEverywhere());
        assertTrue(r.summary().contains("1 dead on the data (2 samples; 0 dead everywhere)"), r.summary());
        Degeneracies.Report noData = Degeneracies.of(net, Degeneracies.DEFAULT_TOLERANCE, null);
        assertArrayEquals(new int[0], noData.dead());
        assertTrue(noData.summary().contains("0 dead everywhere"), noData.summary());
        assertEquals(noData.deadMeans(), noData.describe().get("dead_means"));
    }

    @Test
    void theNetworkLevelOperationsPreserveDeepNetworks() {
        Network net = Mlp.builder().inputs(3).hidden(6, 5).outputs(2).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(3).build();
        // Make unit 4 of layer 0 a copy of unit 1 scaled by 2.5 (redundant), and unit 5 dead (zero in, negative bias).
        Dense l0 = (Dense) net.layer(0);
        float[] w = l0.weight().value().data();
        float[] b = l0.bias().value().data();
        for (int k = 0; k < 3; k++) {
            w[4 * 3 + k] = 2.5f * w[1 * 3 + k];
            w[5 * 3 + k] = 0;
        }
        b[4] = 2.5f * b[1];
        b[5] = -0.5f;
        Network canonical = Canonicalization.canonicalize(net,
                new Canonicalization.Options(true, true, true, Degeneracies.DEFAULT_TOLERANCE));
        assertEquals("3-4-5-2", canonical.architecture());
        assertTrue(Canonicalization.maxOutputDifference(net, canonical, 10_000, 2, false) < 1e-5);
        for (int l = 0; l < 2; l++) {
            BiasedShallowNet layer = viewOf(canonical, l);
            assertTrue(Canonicalization.imbalance(layer) < 1e-6, "layer " + l + " balanced");
        }
        Network tanh = Mlp.builder().inputs(2).hidden(3).outputs(1).activation(Activations.byName("tanh")).seed(1).build();
        assertThrows(IllegalArgumentException.class, () -> Canonicalization.canonicalize(tanh,
                new Canonicalization.Options(true, false, false, 0)));
    }

    private static BiasedShallowNet viewOf(Network net, int l) {
        Dense in = (Dense) net.layer(l);
        Dense out = (Dense) net.layer(l + 1);
        Network pair = new Network(List.of(in.copy(), new Dense(out.weight().value(), out.hasBias() ? out.bias().value() : null,
                Activations.byName("identity"))));
        return BiasedShallowNet.fromNetwork(pair);
    }

    @Test
    void degeneraciesOfHandMadeNets() {
        // Complete unbalancedness (Example 2.2's Gamma): a = (0.5, 0), c = 0.
        Degeneracies.Report r = Degeneracies.of(new ShallowNet(new double[][] {{0.5, 0}}, new double[][] {{0}}));
        assertEquals(1, r.unbalanced().size());
        assertEquals(0.0, r.unbalanced().get(0).ratio());
        assertArrayEquals(new int[] {0}, r.constant());
        // Redundant directions (Example 2.3's Gamma): both a = (1, 0).
        r = Degeneracies.of(new ShallowNet(new double[][] {{1, 0}, {1, 0}}, new double[][] {{1}, {1}}));
        assertEquals(List.of(new Degeneracies.Pair(0, 1, 1.0)), r.redundant());
        assertTrue(r.balanced());
        // Slightly unbalanced: |c| = 1.1 |a|.
        r = Degeneracies.of(new ShallowNet(new double[][] {{1, -2}}, new double[][] {{2.2, 0}}));
        assertEquals(1.1, r.unbalanced().get(0).ratio(), 1e-12);
        assertTrue(r.describe().containsKey("opposite_pairs"));
        assertTrue(r.summary().startsWith("1 neurons: 1 unbalanced"), r.summary());
    }

    @Test
    void floatNetworksConvertWithoutSurprises() {
        Network net = new Network(List.of(
                new Dense(Tensor.of(new float[] {1, 2, 2, 4}, 2, 2), null, Activations.relu()),
                new Dense(Tensor.of(new float[] {1, 1}, 1, 2), null, Activations.byName("identity"))));
        ShallowNet s = ShallowNet.fromNetwork(net);
        assertEquals(1, Degeneracies.of(s).redundant().size(), "(2, 4) = 2 (1, 2) exactly in float");
        assertEquals(1, Canonicalization.mergeRedundant(s, 0).neurons());
    }
}
