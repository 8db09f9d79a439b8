package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * The exact Sobolev semi-norm against hand-computed values, region counts of generic
 * arrangements, and dense sampling (which can only find a subset of the regions).
 */
class SobolevSeminormTest {

    static ShallowNet randomNet(SplittableRandom r, int d, int m, int outputs) {
        double[][] a = new double[m][d];
        double[][] c = new double[m][outputs];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                a[i][k] = 2 * r.nextDouble() - 1;
            }
            for (int o = 0; o < outputs; o++) {
                c[i][o] = 2 * r.nextDouble() - 1;
            }
        }
        return new ShallowNet(a, c);
    }

    @Test
    void handComputedValues() {
        // 3 relu(<(1, 2), x>): one region with Jacobian (3, 6), one with 0.
        ShallowNet ridge = new ShallowNet(new double[][] {{1, 2}}, new double[][] {{3}});
        assertEquals(6.0, SobolevSeminorm.exact(ridge).value(), 0);
        assertEquals(2, SobolevSeminorm.exact(ridge).regions());
        // |x| = relu(x) + relu(-x) in d = 1: slopes +-1.
        ShallowNet abs = new ShallowNet(new double[][] {{1}, {-1}}, new double[][] {{1}, {1}});
        assertEquals(1.0, SobolevSeminorm.exact(abs).value(), 0);
        // relu(x1) + relu(x2) - relu(x1 + x2) in d = 2 has slopes (1, 1) - (1, 1) = 0 on the first
        // quadrant but (1, 0) or (0, 1) next to it, and (0, 0) where everything is off ...
        ShallowNet mix = new ShallowNet(new double[][] {{1, 0}, {0, 1}, {1, 1}}, new double[][] {{1}, {1}, {-1}});
        assertEquals(1.0, SobolevSeminorm.exact(mix).value(), 1e-15);
        // ... and 2 relu(x1) + 2 relu(x2) - relu(x1 + x2) reaches 2 where x1 > 0 > x1 + x2.
        ShallowNet mix2 = new ShallowNet(new double[][] {{1, 0}, {0, 1}, {1, 1}}, new double[][] {{2}, {2}, {-1}});
        assertEquals(2.0, SobolevSeminorm.exact(mix2).value(), 1e-15);
        // Two outputs: the largest entry over outputs and coordinates.
        ShallowNet two = new ShallowNet(new double[][] {{1, 0, 0}, {0, 0, 4}}, new double[][] {{1, -5}, {0.5, 0}});
        assertEquals(5.0, SobolevSeminorm.exact(two).value(), 0);
        // Opposite neurons with the same c cancel to a linear function: c (a.x) everywhere.
        ShallowNet linear = new ShallowNet(new double[][] {{1, 2, 3}, {-1, -2, -3}}, new double[][] {{1}, {-1}});
        assertEquals(3.0, SobolevSeminorm.exact(linear).value(), 0);
        // A zero net and zero directions.
        ShallowNet zero = new ShallowNet(new double[][] {{0, 0, 0}}, new double[][] {{7}});
        assertEquals(0.0, SobolevSeminorm.exact(zero).value(), 0);
    }

    @Test
    void genericArrangementsHaveTheKnownNumberOfRegions() {
        SplittableRandom r = new SplittableRandom(11);
        for (int n = 1; n <= 12; n++) {
            // n lines through 0 in R^2: 2n sectors; n generic planes through 0 in R^3: n(n - 1) + 2 cells.
            assertEquals(2 * n, SobolevSeminorm.exact(randomNet(r, 2, n, 1)).regions(), "d = 2, n = " + n);
            assertEquals(n * (n - 1) + 2, SobolevSeminorm.exact(randomNet(r, 3, n, 1)).regions(), "d = 3, n = " + n);
            assertEquals(2, SobolevSeminorm.exact(randomNet(r, 1, n, 1)).regions(), "d = 1, n = " + n);
        }
        // Three planes through one line (rank 2): 6 lunes, not 8.
        ShallowNet pencil = new ShallowNet(new double[][] {{1, 0, 0}, {0, 1, 0}, {1, 1, 0}}, new double[][] {{1}, {1}, {1}});
        assertEquals(6, SobolevSeminorm.exact(pencil).regions());
        // Parallel and opposite normals define one plane: 2 half-spaces.
        ShallowNet slab = new ShallowNet(new double[][] {{1, 1, 1}, {2, 2, 2}, {-3, -3, -3}}, new double[][] {{1}, {1}, {1}});
        assertEquals(2, SobolevSeminorm.exact(slab).regions());
    }

    @Test
    void exactEqualsDenseSamplingOnRandomNetsInOneAndTwoDimensions() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 30; trial++) {
            int d = 1 + trial % 2;
            ShallowNet net = randomNet(r, d, 2 + r.nextInt(10), 1 + r.nextInt(3));
            double exact = SobolevSeminorm.exact(net).value();
            SobolevSeminorm.Estimate s = SobolevSeminorm.sampled(net, 200_000, trial);
            assertFalse(s.exact());
            assertTrue(s.value() <= exact * (1 + 1e-12), "sampling found " + s.value() + " > exact " + exact);
            assertTrue(s.value() >= 0.99 * exact, "trial " + trial + ": sampled " + s.value() + " vs exact " + exact);
            assertTrue(s.regions() <= SobolevSeminorm.exact(net).regions());
        }
    }

    @Test
    void exactBoundsSamplingInThreeDimensions() {
        SplittableRandom r = new SplittableRandom(6);
        for (int trial = 0; trial < 10; trial++) {
            ShallowNet net = randomNet(r, 3, 2 + r.nextInt(8), 2);
            SobolevSeminorm.Estimate exact = SobolevSeminorm.exact(net);
            SobolevSeminorm.Estimate s = SobolevSeminorm.sampled(net, 50_000, trial);
            assertTrue(s.value() <= exact.value() * (1 + 1e-12));
            assertTrue(s.regions() <= exact.regions(), "sampling saw " + s.regions() + " patterns, exact " + exact.regions());
        }
    }

    @Test
    void aThinRegionIsFoundExactlyButMissedBySampling() {
        // Example 2.1's shape: the region between x1 = 0 and k x1 = x2 / k^2 is 1/k^3 radians wide.
        int k = 64;
        ShallowNet g = new ShallowNet(new double[][] {{k, 0}, {k, -1.0 / (k * (double) k)}}, new double[][] {{k}, {-k}});
        assertEquals((double) k * k, SobolevSeminorm.exact(g).value(), 1e-9);
        assertTrue(SobolevSeminorm.sampled(g, 10_000, 1).value() < k, "sampling misses the 4e-6 rad wedge");
    }

    @Test
    void higherDimensionsAreSampledAndSaySo() {
        ShallowNet net = randomNet(new SplittableRandom(2), 5, 6, 1);
        SobolevSeminorm.Estimate e = SobolevSeminorm.of(net);
        assertFalse(e.exact());
        assertTrue(e.samples() >= SobolevSeminorm.MIN_SAMPLES && e.method().contains("sampled"), e.method());
        assertThrows(IllegalArgumentException.class, () -> SobolevSeminorm.exact(net));
    }

    @Test
    void biasedNetsAreExactOverTheWholeSpace() {
        // relu(x - 1) - relu(x - 2): slopes 0, 1, 0 on the line.
        BiasedShallowNet ramp = new BiasedShallowNet(new double[][] {{1}, {1}}, new double[] {-1, -2},
                new double[][] {{1}, {-1}}, new double[] {5}, true, true);
        SobolevSeminorm.Estimate e = SobolevSeminorm.exact(ramp);
        assertEquals(1.0, e.value(), 1e-15);
        assertEquals(3, e.regions(), "two breakpoints, three intervals");
        // Random biased nets in d = 1, 2: sampling never exceeds the exact value and gets close.
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            int d = 1 + trial % 2;
            ShallowNet aug = randomNet(r, d + 1, 2 + r.nextInt(6), 1 + r.nextInt(2));
            BiasedShallowNet net = BiasedShallowNet.fromAugmented(aug, new double[aug.outputs()], true, false);
            double exact = SobolevSeminorm.exact(net).value();
            double sampled = SobolevSeminorm.sampled(net, 100_000, trial).value();
            assertTrue(sampled <= exact * (1 + 1e-12), "sampled " + sampled + " > exact " + exact);
            assertTrue(sampled >= 0.9 * exact, "trial " + trial + ": sampled " + sampled + " vs exact " + exact);
        }
    }

    @Test
    void differenceNetsRealizeTheDifference() {
        SplittableRandom r = new SplittableRandom(4);
        ShallowNet theta = randomNet(r, 3, 4, 2);
        ShallowNet gamma = randomNet(r, 3, 5, 2);
        ShallowNet diff = theta.minus(gamma);
        for (int s = 0; s < 100; s++) {
            double[] x = {r.nextDouble() - 0.5, r.nextDouble() - 0.5, r.nextDouble() - 0.5};
            double[] y = diff.realize(x);
            for (int o = 0; o < 2; o++) {
                assertEquals(theta.realize(x)[o] - gamma.realize(x)[o], y[o], 1e-12);
            }
        }
        assertEquals(SobolevSeminorm.distance(theta, gamma).value(), SobolevSeminorm.distance(gamma, theta).value(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> theta.parameterDistance(gamma), "different m");
    }

    @Test
    void uniformNormOnABoxIsExact() {
        // relu(x1) - relu(x2) on [-1, 1]^2: the extremes are +-1 at (1, -1) and (-1, 1).
        ShallowNet n = new ShallowNet(new double[][] {{1, 0}, {0, 1}}, new double[][] {{1}, {-1}});
        assertEquals(1.0, UniformNorm.onBox(n, 1).value(), 1e-15);
        assertEquals(2.0, UniformNorm.onBox(n, 2).value(), 1e-15);
        // The maximum may sit where a plane crosses a box edge rather than at a corner: compare with a
        // fine grid, which can be below the exact value by at most |R|_{W1,inf} * d * h / 2.
        SplittableRandom g = new SplittableRandom(10);
        for (int trial = 0; trial < 10; trial++) {
            ShallowNet net = randomNet(g, 2, 2 + g.nextInt(5), 1);
            double exact = UniformNorm.onBox(net, 1).value();
            int points = 401;
            double h = 2.0 / (points - 1);
            double grid = 0;
            for (int i = 0; i < points; i++) {
                for (int j = 0; j < points; j++) {
                    grid = Math.max(grid, Math.abs(net.realize(new double[] {-1 + i * h, -1 + j * h})[0]));
                }
            }
            assertTrue(grid <= exact * (1 + 1e-12), "grid " + grid + " > exact " + exact);
            assertTrue(grid >= exact - SobolevSeminorm.exact(net).value() * h, "grid " + grid + " vs exact " + exact);
        }
        SplittableRandom r = new SplittableRandom(8);
        for (int trial = 0; trial < 20; trial++) {
            ShallowNet net = randomNet(r, 1 + trial % 3, 1 + r.nextInt(6), 1 + r.nextInt(2));
            double exact = UniformNorm.onBox(net, 1).value();
            double sampled = UniformNorm.sampled(net, 1, 50_000, trial).value();
            assertTrue(sampled <= exact * (1 + 1e-12), "sampled " + sampled + " > exact " + exact);
            assertTrue(sampled >= 0.9 * exact, "sampled " + sampled + " vs exact " + exact);
        }
    }

    @Test
    void networksConvertBothWays() {
        SplittableRandom r = new SplittableRandom(9);
        ShallowNet net = randomNet(r, 3, 5, 2);
        Network n = net.toNetwork();
        assertEquals("3-5-2", n.architecture());
        ShallowNet back = ShallowNet.fromNetwork(n);
        assertTrue(back.parameterDistance(net) < 1e-7, "float rounding only");
        Tensor x = Tensor.of(new float[] {0.3f, -0.2f, 0.9f}, 1, 3);
        double[] y = net.realize(new double[] {0.3f, -0.2f, 0.9f});
        assertEquals(y[0], n.predict(x).data()[0], 1e-5);
        assertEquals(y[1], n.predict(x).data()[1], 1e-5);
        // A net with non-zero biases is not bias-free.
        BiasedShallowNet biased = new BiasedShallowNet(new double[][] {{1}}, new double[] {1}, new double[][] {{1}},
                new double[] {0}, true, true);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ShallowNet.fromNetwork(biased.toNetwork()));
        assertTrue(ex.getMessage().contains("non-zero biases"), ex.getMessage());
        BiasedShallowNet read = BiasedShallowNet.fromNetwork(biased.toNetwork());
        assertEquals(2.0, read.realize(new double[] {1})[0], 0);
        assertTrue(read.hasHiddenBias() && read.hasOutputBias());
    }
}
