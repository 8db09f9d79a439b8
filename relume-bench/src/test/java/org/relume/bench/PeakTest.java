package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The peak's kernels compute what they claim: every chain steps x -> x M + C once per step on every
 * lane, from its own start, so the sum over lanes and chains equals the scalar recursion's. A kernel
 * that dropped a chain or a step would miss. Speed is not checked.
 */
class PeakTest {
    @Test
    void everyKernelComputesItsChainsExactly() {
        for (int chains : Peak.CHAINS) {
            for (int n : new int[] {0, 1, 7, 30}) {
                double expected = 0;
                for (int c = 0; c < chains; c++) {
                    float x = c + 1f;
                    for (int i = 0; i < n; i++) {
                        x = Math.fma(x, Peak.M, Peak.C);
                    }
                    expected += (double) x * Peak.S.length();
                }
                // The lanes and chains are summed in float, in the kernel's own order: a few float roundings.
                assertEquals(expected, Peak.run(chains, n), 1e-6 * expected, chains + " chains, " + n + " steps");
            }
        }
        // A step or a chain more or less is far outside the tolerance.
        assertTrue(Math.abs(Peak.run(16, 7) - Peak.run(16, 6)) > 1e-2 * Peak.run(16, 7));
        assertTrue(Math.abs(Peak.run(16, 7) - Peak.run(12, 7)) > 1e-2 * Peak.run(16, 7));
        assertThrows(IllegalArgumentException.class, () -> Peak.run(5, 10));
    }

    @Test
    void byChainsMeasuresEveryChainCountOnEveryThreadCount() {
        Map<Integer, Double> one = Peak.byChains(1, 10_000, 1);
        Map<Integer, Double> two = Peak.byChains(2, 10_000, 1);
        assertEquals(java.util.List.of(4, 8, 12, 16), java.util.List.copyOf(one.keySet()));
        assertTrue(one.values().stream().allMatch(v -> v > 0 && Double.isFinite(v)), one.toString());
        assertTrue(two.values().stream().allMatch(v -> v > 0 && Double.isFinite(v)), two.toString());
    }
}
