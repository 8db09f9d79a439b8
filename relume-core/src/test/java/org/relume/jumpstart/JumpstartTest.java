package org.relume.jumpstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.nn.Preactivation;
import org.relume.tensor.GradientCheck;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Deficits and aggregations on hand-computed preactivations, and a finite-difference check of the
 * penalty's subgradient away from ties.
 */
class JumpstartTest {

    /**
     * Two units, three points (feature-major [units, points]):
     * <pre>
     *   unit 0:  2.0  -3.0   0.5
     *   unit 1:  0.2   0.4  -0.1
     * </pre>
     * unit 0: max 2 -> xi+ 0; min -3 -> xi- max(0, 1 - 3) = 0.
     * unit 1: max 0.4 -> xi+ 0.6; min -0.1 -> xi- 0.9.
     * point 0: (2, 0.2) -> psi+ 0, psi- 1.2; point 1: (-3, 0.4) -> psi+ 0.6, psi- 0;
     * point 2: (0.5, -0.1) -> psi+ 0.5, psi- 0.9.
     */
    private static final float[] G = {2.0f, -3.0f, 0.5f, 0.2f, 0.4f, -0.1f};

    private static double penalty(Aggregation a, double lambda) {
        Jumpstart j = new Jumpstart(a, lambda, false);
        Var g = Var.constant(Tensor.of(G, 2, 3));
        return j.penalty(new Tape(), List.of(new Preactivation(0, g, 2, 3, 1, false)), null).value().item();
    }

    @Test
    void deficitsMatchHandComputation() {
        Jumpstart j = new Jumpstart(Aggregation.L1, 1, false);
        Var g = Var.constant(Tensor.of(G, 2, 3));
        j.penalty(new Tape(), List.of(new Preactivation(0, g, 2, 3, 1, false)), null);
        Jumpstart.LayerDeficits d = j.layer(0);
        assertEquals(0f, d.unitPositive(0));
        assertEquals(0f, d.unitNegative(0));
        assertEquals(0.6f, d.unitPositive(1), 1e-6f);
        assertEquals(0.9f, d.unitNegative(1), 1e-6f);
        float[] psiPlus = {0f, 0.6f, 0.5f};
        float[] psiMinus = {1.2f, 0f, 0.9f};
        for (int x = 0; x < 3; x++) {
            assertEquals(psiPlus[x], d.pointPositive(x), 1e-6f, "psi+ of point " + x);
            assertEquals(psiMinus[x], d.pointNegative(x), 1e-6f, "psi- of point " + x);
        }
    }

    @Test
    void everyAggregationMatchesHandComputation() {
        // D = (0, 0, 0.6, 0.9 | 0, 1.2, 0.6, 0, 0.5, 0.9): sum 4.7, ten entries, sum of squares 4.03.
        assertEquals(4.7, penalty(Aggregation.L1, 1), 1e-6);
        assertEquals(4.7e-4, penalty(Aggregation.L1, 1e-4), 1e-9);
        assertEquals(0.47, penalty(Aggregation.MEAN, 1), 1e-6);
        assertEquals(Math.sqrt(4.03), penalty(Aggregation.L2, 1), 1e-6);
        // Balanced terms: units (0, 0.75), points (0.6, 0.3, 0.7).
        assertEquals(0.375 + 1.6 / 3, penalty(Aggregation.BALANCED, 1), 1e-6);
        assertEquals(0.75 * 0.75 + 0.36 + 0.09 + 0.49, penalty(Aggregation.L2SQ_BALANCED, 1), 1e-6);
        // lambda scales linearly
        assertEquals(2 * penalty(Aggregation.L2, 1), penalty(Aggregation.L2, 2), 1e-6);
    }

    @Test
    void outputLayerIsSkippedUnlessAsked() {
        Var hidden = Var.constant(Tensor.of(G, 2, 3));
        Var out = Var.constant(Tensor.of(new float[] {0f, 0f, 0f}, 1, 3));
        List<Preactivation> pre = List.of(new Preactivation(0, hidden, 2, 3, 1, false),
                new Preactivation(1, out, 1, 3, 1, true));
        Jumpstart without = new Jumpstart(Aggregation.L1, 1, false);
        Jumpstart with = new Jumpstart(Aggregation.L1, 1, true);
        assertEquals(4.7, without.penalty(new Tape(), pre, null).value().item(), 1e-6);
        assertEquals(1, without.penalizedLayers());
        // The zero output unit adds xi+ = xi- = 1 and, per point, psi+ = psi- = 1: 2 + 6 more.
        assertEquals(4.7 + 8, with.penalty(new Tape(), pre, null).value().item(), 1e-5);
        assertEquals(2, with.penalizedLayers());
    }

    @Test
    void convolutionalLayoutTakesUnitsOverBatchAndSpace() {
        // 1 channel, 2 spatial positions, 2 samples (layout: position-major, the batch contiguous):
        // sample 0 holds 0.1 and 0.3, sample 1 holds -2 and 0.2; the channel max runs over all four.
        Var g = Var.constant(Tensor.of(new float[] {0.1f, -2f, 0.3f, 0.2f}, 1, 4));
        Jumpstart j = new Jumpstart(Aggregation.L1, 1, false);
        j.penalty(new Tape(), List.of(new Preactivation(0, g, 1, 2, 2, false)), null);
        Jumpstart.LayerDeficits d = j.layer(0);
        assertEquals(0.7f, d.unitPositive(0), 1e-6f); // 1 - 0.3
        assertEquals(0f, d.unitNegative(0)); // min -2
        assertEquals(2, d.points());
        assertEquals(0.7f, d.pointPositive(0), 1e-6f); // sample 0: values 0.1, 0.3
        assertEquals(1.1f, d.pointNegative(0), 1e-6f); // 1 + 0.1
        assertEquals(0.8f, d.pointPositive(1), 1e-6f); // sample 1: values -2, 0.2
        assertEquals(0f, d.pointNegative(1));
    }

    @Test
    void subgradientMatchesFiniteDifferencesForEveryAggregation() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] shapes = {{3, 7}, {4, 7}};
        for (Aggregation a : Aggregation.values()) {
            // Values in +-(0.05..1.5) keep the max/min unique and away from the hinge at +-1 with high probability.
            Tensor[] in = GradientCheck.randomInputs(r, 0.05, shapes);
            for (Tensor t : in) {
                for (int i = 0; i < t.numel(); i++) {
                    t.data()[i] *= 1.5f;
                }
            }
            int compared = GradientCheck.check("jumpstart " + a.id(), in, new boolean[] {true, true},
                    (tape, v) -> {
                        List<Preactivation> pre = new ArrayList<>();
                        pre.add(new Preactivation(0, v[0], 3, 7, 1, false));
                        pre.add(new Preactivation(1, v[1], 4, 7, 1, false));
                        return new Jumpstart(a, 0.3, false).penalty(tape, pre, null);
                    },
                    x -> 0.3 * reference(a, new double[][] {x[0], x[1]}, new int[] {3, 4}, 7));
            assertEquals(3 * 7 + 4 * 7, compared);
        }
    }

    /** The penalty in double: deficits per unit and point, then the aggregation. */
    private static double reference(Aggregation a, double[][] layers, int[] units, int points) {
        List<Double> all = new ArrayList<>();
        List<Double> unitTerms = new ArrayList<>();
        List<Double> pointTerms = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            double[] g = layers[l];
            for (int u = 0; u < units[l]; u++) {
                double max = Double.NEGATIVE_INFINITY;
                double min = Double.POSITIVE_INFINITY;
                for (int s = 0; s < points; s++) {
                    max = Math.max(max, g[u * points + s]);
                    min = Math.min(min, g[u * points + s]);
                }
                double p = Math.max(0, 1 - max);
                double n = Math.max(0, 1 + min);
                all.add(p);
                all.add(n);
                unitTerms.add(0.5 * (p + n));
            }
            for (int s = 0; s < points; s++) {
                double max = Double.NEGATIVE_INFINITY;
                double min = Double.POSITIVE_INFINITY;
                for (int u = 0; u < units[l]; u++) {
                    max = Math.max(max, g[u * points + s]);
                    min = Math.min(min, g[u * points + s]);
                }
                double p = Math.max(0, 1 - max);
                double n = Math.max(0, 1 + min);
                all.add(p);
                all.add(n);
                pointTerms.add(0.5 * (p + n));
            }
        }
        double sum = all.stream().mapToDouble(Double::doubleValue).sum();
        double sumSq = all.stream().mapToDouble(v -> v * v).sum();
        return switch (a) {
            case MEAN -> sum / all.size();
            case L1 -> sum;
            case L2 -> Math.sqrt(sumSq);
            case L2SQ_BALANCED -> unitTerms.stream().mapToDouble(v -> v * v).sum()
                    + pointTerms.stream().mapToDouble(v -> v * v).sum();
            case BALANCED -> unitTerms.stream().mapToDouble(Double::doubleValue).average().orElse(0)
                    + pointTerms.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        };
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Jumpstart(Aggregation.L1, -1, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aggregation.byName("l3"));
        assertTrue(e.getMessage().contains("l2sq-balanced"), e.getMessage());
        assertEquals(Aggregation.L2SQ_BALANCED, Aggregation.byName("l2sq_balanced"));
    }
}
