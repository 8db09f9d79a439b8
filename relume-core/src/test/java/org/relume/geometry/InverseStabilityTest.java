package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Examples 2.1-2.5 against hand-computed distances, and Theorem 3.3 on random instances in N*. */
class InverseStabilityTest {
    private static final int[] KS = {1, 2, 4, 8, 64, 1024};

    @Test
    void exactDistancesEqualTheHandComputedOnes() {
        for (InverseStabilityExample e : InverseStabilityExample.values()) {
            for (int k : KS) {
                InverseStabilityExample.Instance in = e.instance(k);
                String what = e.number() + " at k = " + k;
                SobolevSeminorm.Estimate sobolev = in.sobolevDistance();
                assertTrue(sobolev.exact(), what);
                assertEquals(e.handSobolevDistance(k), sobolev.value(), 1e-9 * e.handSobolevDistance(k), what + ": Sobolev");
                UniformNorm.Estimate uniform = in.uniformDistance();
                assertTrue(uniform.exact(), what);
                assertEquals(e.handUniformDistance(k), uniform.value(), 1e-9 * e.handUniformDistance(k), what + ": uniform");
                if (!Double.isNaN(e.paperSobolevDistance(k))) {
                    assertEquals(e.paperSobolevDistance(k), sobolev.value(), 1e-9 * sobolev.value(), what + ": the paper's value");
                }
                if (!Double.isNaN(e.paperParameterLowerBound(k))) {
                    assertTrue(in.parameterDistance() >= e.paperParameterLowerBound(k), what + ": above the paper's bound");
                }
            }
        }
    }

    @Test
    void parameterDistancesOfTheNaturalParametrizations() {
        for (int k : KS) {
            assertEquals(k, InverseStabilityExample.EXPLODING_GRADIENT.instance(k).parameterDistance(), 0);
            assertEquals(1, InverseStabilityExample.COMPLETE_UNBALANCEDNESS.instance(k).parameterDistance(), 0);
            assertEquals(1, InverseStabilityExample.REDUNDANT_DIRECTIONS.instance(k).parameterDistance(), 0);
            assertEquals(1, InverseStabilityExample.OPPOSITE_DIRECTIONS_1.instance(k).parameterDistance(), 0);
            assertEquals(2 * Math.sqrt(2) * k, InverseStabilityExample.OPPOSITE_DIRECTIONS_2.instance(k).parameterDistance(), 1e-9 * k);
        }
    }

    @Test
    void theExamplesRealizeThePapersFunctions() {
        SplittableRandom r = new SplittableRandom(1);
        int k = 3;
        for (int s = 0; s < 1000; s++) {
            double x1 = 2 * r.nextDouble() - 1;
            double x2 = 2 * r.nextDouble() - 1;
            double x3 = 2 * r.nextDouble() - 1;
            double[] x = {x1, x2};
            assertEquals(k * relu(k * x1) - k * relu(k * x1 - x2 / (k * k)),
                    InverseStabilityExample.EXPLODING_GRADIENT.instance(k).theta().realize(x)[0], 1e-12);
            assertEquals(relu(x2) / k, InverseStabilityExample.COMPLETE_UNBALANCEDNESS.instance(k).theta().realize(x)[0], 1e-15);
            assertEquals(2 * relu(x1) + relu(x2) / k, InverseStabilityExample.REDUNDANT_DIRECTIONS.instance(k).theta().realize(x)[0], 1e-15);
            assertEquals(relu(x1) / k, InverseStabilityExample.OPPOSITE_DIRECTIONS_1.instance(k).theta().realize(x)[0], 1e-15);
            assertEquals(0.0, InverseStabilityExample.OPPOSITE_DIRECTIONS_1.instance(k).gamma().realize(x)[0], 1e-15, "R(Gamma) = 0");
            InverseStabilityExample.Instance five = InverseStabilityExample.OPPOSITE_DIRECTIONS_2.instance(k);
            double[] y = {x1, x2, x3};
            assertEquals(-3 * x3, five.theta().realize(y)[0] - five.gamma().realize(y)[0], 1e-12);
        }
    }

    private static double relu(double v) {
        return Math.max(v, 0);
    }

    @Test
    void theDegenerateExamplesViolateTheoremThreesBound() {
        // Outside N* the (4, 1/2) bound must fail for large k: the parameters stay >= 1 apart while
        // 4 sqrt(1/k) -> 0 (Examples 2.2-2.4), or grow like k while the bound stays 4 sqrt(3) (2.5).
        for (InverseStabilityExample e : List.of(InverseStabilityExample.COMPLETE_UNBALANCEDNESS,
                InverseStabilityExample.REDUNDANT_DIRECTIONS, InverseStabilityExample.OPPOSITE_DIRECTIONS_1,
                InverseStabilityExample.OPPOSITE_DIRECTIONS_2)) {
            InverseStabilityExample.Instance in = e.instance(1024);
            double bound = 4 * Math.sqrt(in.sobolevDistance().value());
            assertTrue(in.parameterDistance() > bound, e.id() + ": " + in.parameterDistance() + " vs " + bound);
            assertFalse(Degeneracies.inRestrictedSpace(in.gamma(), 1e-9), e.id() + ": Gamma is not in N*");
        }
    }

    @Test
    void theoremThreePointThreeHoldsOnRandomInstancesInTheRestrictedSpace() {
        List<InverseStabilityCheck.Instance> all = InverseStabilityCheck.run(400, 33);
        int unrelated = 0;
        for (InverseStabilityCheck.Instance in : all) {
            assertTrue(in.holds(), "instance " + in.index() + " (" + in.mode() + "): ||Phi - Gamma|| = " + in.parameterDistance()
                    + " > 4 sqrt(" + in.sobolevDistance() + ")");
            assertTrue(in.parameterDistance() <= in.unmatchedDistance() + 1e-15, "matching never hurts");
            unrelated += Double.isInfinite(in.delta()) ? 1 : 0;
        }
        assertEquals(50, unrelated, "every eighth instance is an unrelated net");
    }

    @Test
    void theBottleneckAssignmentIsOptimal() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 30; trial++) {
            int m = 1 + r.nextInt(6);
            ShallowNet g = InverseStabilityCheck.restrictedNet(r, 3, m, 2);
            ShallowNet t = InverseStabilityCheck.restrictedNet(r, 3, m, 2);
            int[] order = InverseStabilityCheck.bottleneckAssignment(g, t);
            double found = t.select(order).parameterDistance(g);
            assertEquals(bruteForce(g, t, new int[m], new boolean[m], 0), found, 0, "trial " + trial);
        }
        // The identity is found when Theta is a shuffled copy of Gamma.
        ShallowNet g = InverseStabilityCheck.restrictedNet(r, 2, 5, 1);
        int[] shuffle = {3, 0, 4, 1, 2};
        ShallowNet t = g.select(shuffle);
        assertEquals(0.0, t.select(InverseStabilityCheck.bottleneckAssignment(g, t)).parameterDistance(g), 0);
        assertArrayEquals(new int[] {1, 3, 4, 0, 2}, InverseStabilityCheck.bottleneckAssignment(g, t));
    }

    private static double bruteForce(ShallowNet g, ShallowNet t, int[] order, boolean[] used, int depth) {
        if (depth == order.length) {
            return t.select(order).parameterDistance(g);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < order.length; j++) {
            if (!used[j]) {
                used[j] = true;
                order[depth] = j;
                best = Math.min(best, bruteForce(g, t, order, used, depth + 1));
                used[j] = false;
            }
        }
        return best;
    }

    @Test
    void examplesByName() {
        assertEquals(InverseStabilityExample.REDUNDANT_DIRECTIONS, InverseStabilityExample.byName("redundant-directions"));
        assertEquals(InverseStabilityExample.OPPOSITE_DIRECTIONS_2, InverseStabilityExample.byName("2.5"));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> InverseStabilityExample.byName("2.6"));
        assertTrue(ex.getMessage().contains("2.1 exploding-gradient"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InverseStabilityExample.EXPLODING_GRADIENT.instance(0));
    }
}
