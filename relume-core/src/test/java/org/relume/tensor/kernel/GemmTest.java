package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every GEMM path (small axpy form, small dot form, naive A^T B^T, blocked, parallel) against a double reference. */
class GemmTest {
    private final long savedBlocked = EngineParameters.gemmBlockedThreshold;
    private final long savedParallel = EngineParameters.gemmParallelThreshold;
    private final int savedThreads = EngineParameters.maxThreads;
    private final int savedNc = EngineParameters.gemmNc;

    @AfterEach
    void restore() {
        EngineParameters.gemmBlockedThreshold = savedBlocked;
        EngineParameters.gemmParallelThreshold = savedParallel;
        EngineParameters.maxThreads = savedThreads;
        EngineParameters.gemmNc = savedNc;
    }

    @Test
    void handComputedCase() {
        // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50]
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        Gemm.multiply(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, false, c, 0, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
        // A^T B = [1 3; 2 4][5 6; 7 8] = [26 30; 38 44]
        Gemm.multiply(true, false, 2, 2, 2, a, 0, 2, b, 0, 2, false, c, 0, 2);
        assertArrayEquals(new float[] {26, 30, 38, 44}, c);
        // A B^T = [1 2; 3 4][5 7; 6 8] = [17 23; 39 53], accumulated onto the previous C
        Gemm.multiply(false, true, 2, 2, 2, a, 0, 2, b, 0, 2, true, c, 0, 2);
        assertArrayEquals(new float[] {26 + 17, 30 + 23, 38 + 39, 44 + 53}, c);
    }

    @Test
    void smallKernelsMatchReferenceOnRandomShapes() {
        EngineParameters.gemmBlockedThreshold = Long.MAX_VALUE;
        checkRandomShapes(new SplittableRandom(1), 60, 40);
    }

    @Test
    void blockedKernelMatchesReferenceOnRandomShapes() {
        EngineParameters.gemmBlockedThreshold = 0;
        EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
        checkRandomShapes(new SplittableRandom(2), 40, 70);
    }

    @Test
    void blockedKernelCrossesBlockBoundaries() {
        EngineParameters.gemmBlockedThreshold = 0;
        EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
        SplittableRandom r = new SplittableRandom(3);
        // Larger than one Kc / Mc block in every direction, with ragged edges.
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(r, ta, tb, 131, 77, 300, true);
                check(r, ta, tb, 250, 35, 513, false);
            }
        }
    }

    @Test
    void parallelSplitGivesBitIdenticalResults() {
        EngineParameters.gemmBlockedThreshold = 0;
        SplittableRandom r = new SplittableRandom(4);
        int m = 97;
        int n = 301;
        int k = 129;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] single = new float[m * n];
        float[] multi = new float[m * n];
        EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
        Gemm.multiply(false, false, m, n, k, a, 0, k, b, 0, n, false, single, 0, n);
        EngineParameters.gemmParallelThreshold = 0;
        EngineParameters.maxThreads = 2;
        Gemm.multiply(false, false, m, n, k, a, 0, k, b, 0, n, false, multi, 0, n);
        assertArrayEquals(single, multi, "results must not depend on the thread count");
        // Split by rows when there are too few columns.
        float[] b2 = random(r, k * 5);
        float[] s2 = new float[m * 5];
        float[] m2 = new float[m * 5];
        EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
        Gemm.multiply(false, false, m, 5, k, a, 0, k, b2, 0, 5, false, s2, 0, 5);
        EngineParameters.gemmParallelThreshold = 0;
        Gemm.multiply(false, false, m, 5, k, a, 0, k, b2, 0, 5, false, m2, 0, 5);
        assertArrayEquals(s2, m2);
        // A tall product splits by rows even with many columns.
        int tall = 211;
        float[] a3 = random(r, tall * k);
        float[] b3 = random(r, k * 150);
        float[] s3 = new float[tall * 150];
        float[] m3 = new float[tall * 150];
        EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
        Gemm.multiply(false, true, tall, 150, k, a3, 0, k, b3, 0, k, false, s3, 0, 150);
        EngineParameters.gemmParallelThreshold = 0;
        Gemm.multiply(false, true, tall, 150, k, a3, 0, k, b3, 0, k, false, m3, 0, 150);
        assertArrayEquals(s3, m3);
    }

    @Test
    void rowSplitGivesBitIdenticalResults() {
        // Several column blocks (Nc = 64) and depth blocks (k > 3 Kc), ragged edges, every
        // transposition, accumulating and not, on 2 and 3 parts (more parts than kernel threads run on
        // the ordinary pool).
        EngineParameters.gemmBlockedThreshold = 0;
        EngineParameters.gemmNc = 64;
        SplittableRandom r = new SplittableRandom(5);
        int m = 157;
        int n = 203;
        int k = 3 * EngineParameters.gemmKc + 37;
        for (int threads : new int[] {2, 3}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    boolean accumulate = ta ^ tb;
                    float[] a = random(r, m * k);
                    float[] b = random(r, k * n);
                    float[] c0 = random(r, m * n);
                    int lda = ta ? m : k;
                    int ldb = tb ? k : n;
                    float[] single = c0.clone();
                    EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
                    Gemm.multiply(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, accumulate, single, 0, n);
                    float[] split = c0.clone();
                    EngineParameters.gemmParallelThreshold = 0;
                    EngineParameters.maxThreads = threads;
                    Gemm.multiply(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, accumulate, split, 0, n);
                    assertArrayEquals(single, split, "threads " + threads + " transA " + ta + " transB " + tb);
                }
            }
        }
    }

    @Test
    void transposedAPanelsCopiedByWholeVectorsStayInsideA() {
        // op(A) = A^T packs each panel row with one vector load of L values for MR; in an A of exactly
        // k x m values the last panel's last loads would run past the array, so they must be copied
        // another way, and the surplus lanes must never reach C.
        EngineParameters.gemmBlockedThreshold = 0;
        EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
        SplittableRandom r = new SplittableRandom(11);
        for (int m : new int[] {PackedGemm.MR, 2 * PackedGemm.MR, 3 * PackedGemm.MR + 1}) {
            int n = 37;
            int k = EngineParameters.gemmKc + 9;
            float[] a = random(r, k * m);
            float[] b = random(r, k * n);
            float[] expected = new float[m * n];
            float[] c = new float[m * n];
            Gemm.naive(true, false, m, n, k, a, 0, m, b, 0, n, false, expected, 0, n);
            Gemm.multiply(true, false, m, n, k, a, 0, m, b, 0, n, false, c, 0, n);
            for (int i = 0; i < c.length; i++) {
                assertEquals(expected[i], c[i], 1e-5f * (k + 2), "m=" + m + " at " + i);
            }
        }
    }

    @Test
    void columnSplitGivesBitIdenticalResults() {
        // Too few rows to split (fewer than two micro-panels), many columns: split by columns.
        EngineParameters.gemmBlockedThreshold = 0;
        SplittableRandom r = new SplittableRandom(7);
        int m = PackedGemm.MR + 3;
        int n = 301;
        int k = 300;
        for (boolean tb : new boolean[] {false, true}) {
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            float[] single = new float[m * n];
            float[] split = new float[m * n];
            EngineParameters.gemmParallelThreshold = Long.MAX_VALUE;
            Gemm.multiply(false, tb, m, n, k, a, 0, k, b, 0, tb ? k : n, false, single, 0, n);
            EngineParameters.gemmParallelThreshold = 0;
            EngineParameters.maxThreads = 2;
            Gemm.multiply(false, tb, m, n, k, a, 0, k, b, 0, tb ? k : n, false, split, 0, n);
            assertArrayEquals(single, split, "transB " + tb);
        }
    }

    @Test
    void aFailingPartOfARowSplitReportsItsOwnFailure() {
        // C lacks its last rows, so only the second part fails, in its first depth block (k > Kc);
        // the caller must see that failure itself.
        EngineParameters.maxThreads = 2;
        int m = 100;
        int n = 64;
        int k = 2 * EngineParameters.gemmKc + 5;
        float[] c = new float[(m - 5) * n];
        Throwable t = assertThrows(RuntimeException.class, () -> PackedGemm.multiply(false, false, m, n, k,
                new float[m * k], 0, k, new float[k * n], 0, n, false, c, 0, n, Long.MAX_VALUE));
        boolean found = false;
        for (Throwable x = t; x != null; x = x.getCause()) {
            found |= x instanceof IndexOutOfBoundsException;
        }
        assertTrue(found, () -> "the out-of-bounds write is not in the cause chain of " + t);
        // And the next product on this thread still works.
        parallelSplitGivesBitIdenticalResults();
    }

    /**
     * Shapes for the passes over a product's output (bias, relu): the small kernels' 4-row blocks,
     * remainder rows, vector tails and n below a vector, and the blocked kernel's second pass.
     */
    private static final int[][] OUTPUT_PASS_SHAPES = {{25, 85, 25}, {3, 85, 3}, {1, 85, 2}, {7, 5, 9}, {6, 33, 17},
        {70, 90, 80}};

    @Test
    void biasInTheOutputPassEqualsAddingItAfterwardsBitForBit() {
        SplittableRandom r = new SplittableRandom(8);
        for (int[] sh : OUTPUT_PASS_SHAPES) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            float[] bias = random(r, m);
            float[] fused = new float[m * n];
            float[] after = new float[m * n];
            Gemm.multiplyAddBias(m, n, k, a, 0, k, b, 0, n, bias, fused, 0, n);
            Gemm.multiply(false, false, m, n, k, a, 0, k, b, 0, n, false, after, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    after[i * n + j] += bias[i];
                }
            }
            assertArrayEquals(after, fused, m + "x" + n + "x" + k);
        }
    }

    /**
     * The small kernels promise each element of C is one chain of FMAs over p in order, from C or
     * zero, then plus the bias: checked bit for bit on every column count up to seven vectors and a
     * bit, so every grouping of vectors per call and every place of the overlapping last window is
     * reached, with every row remainder, both forms and both accumulate modes. A window that read a
     * C already stored by an earlier call would add the product twice and fail here.
     */
    @Test
    void smallKernelsComputeEachElementAsOneChainBitForBit() {
        EngineParameters.gemmBlockedThreshold = Long.MAX_VALUE;
        SplittableRandom r = new SplittableRandom(9);
        for (int n = 1; n <= 7 * Gemm.L + 3; n++) {
            for (int m : new int[] {1, 3, 4, 5, 9}) {
                int k = 1 + r.nextInt(9);
                for (int form = 0; form < 4; form++) {
                    boolean transA = form == 1;
                    boolean transB = form == 2;
                    boolean bias = form == 3;
                    for (boolean accumulate : new boolean[] {false, true}) {
                        if (bias && accumulate) {
                            continue;
                        }
                        checkChains(r, transA, transB, bias, m, n, k, accumulate);
                    }
                }
            }
        }
    }

    private static void checkChains(SplittableRandom r, boolean ta, boolean tb, boolean withBias,
                                    int m, int n, int k, boolean accumulate) {
        int lda = (ta ? m : k) + 1;
        int ldb = (tb ? k : n) + 2;
        int ldc = n + 1;
        float[] a = random(r, (ta ? k : m) * lda);
        float[] b = random(r, (tb ? n : k) * ldb);
        float[] c = random(r, m * ldc);
        float[] bias = withBias ? random(r, m) : null;
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[p * lda + i] : a[i * lda + p];
                    float bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    sum = Math.fma(av, bv, sum);
                }
                expected[i * ldc + j] = withBias ? sum + bias[i] : sum;
            }
        }
        if (withBias) {
            Gemm.multiplyAddBias(m, n, k, a, 0, lda, b, 0, ldb, bias, c, 0, ldc);
        } else {
            Gemm.multiply(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, accumulate, c, 0, ldc);
        }
        if (tb && n < Lanes.LOGICAL / 2) {
            return; // the dot form of a few columns sums in fixed partial sums, not one chain
        }
        assertArrayEquals(expected, c, () -> "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                + " bias=" + withBias + " accumulate=" + accumulate);
    }

    @Test
    void reluStoredByTheProductEqualsMaxWithZeroBitForBit() {
        SplittableRandom r = new SplittableRandom(10);
        PointwiseFunction relu = PointwiseFunctions.relu(0f);
        for (long threshold : new long[] {EngineParameters.gemmBlockedThreshold, 0}) {
            EngineParameters.gemmBlockedThreshold = threshold;
            for (int[] sh : OUTPUT_PASS_SHAPES) {
                int m = sh[0];
                int n = sh[1];
                int k = sh[2];
                float[] a = random(r, m * k);
                float[] b = random(r, k * n);
                float[] bias = random(r, m);
                b[0] = Float.NaN; // NaN stays NaN in C and in its relu, body and tail alike
                float[] c = new float[m * n + 3];
                float[] fused = new float[m * n + 3];
                Gemm.multiplyAddBiasRelu(m, n, k, a, 0, k, b, 0, n, bias, c, 3, n, fused);
                float[] expectedC = new float[m * n + 3];
                Gemm.multiplyAddBias(m, n, k, a, 0, k, b, 0, n, bias, expectedC, 3, n);
                float[] pass = new float[m * n + 3];
                relu.forward(expectedC, pass, 3, 3 + m * n);
                float[] scalar = new float[m * n + 3];
                for (int i = 3; i < scalar.length; i++) {
                    scalar[i] = Math.max(expectedC[i], 0f);
                }
                assertArrayEquals(expectedC, c, m + "x" + n + "x" + k);
                assertArrayEquals(scalar, fused, m + "x" + n + "x" + k);
                assertArrayEquals(scalar, pass, "the relu pass, " + m + "x" + n + "x" + k);
                assertTrue(Float.isNaN(fused[3]), "NaN kept");
            }
        }
    }

    @Test
    void zeroSizesAreHandled() {
        float[] c = {7f, 7f};
        // k = 0 sets C to zero (or leaves it when accumulating).
        Gemm.multiply(false, false, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 2, true, c, 0, 2);
        assertArrayEquals(new float[] {7f, 7f}, c);
        Gemm.multiply(false, false, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 2, false, c, 0, 2);
        assertArrayEquals(new float[] {0f, 0f}, c);
        // m = 0 or n = 0 touches nothing.
        Gemm.multiply(false, false, 0, 2, 3, new float[0], 0, 3, new float[6], 0, 2, false, new float[0], 0, 2);
        Gemm.multiply(false, false, 2, 0, 3, new float[6], 0, 3, new float[0], 0, 1, false, new float[0], 0, 1);
    }

    @Test
    void operandsThatDoNotFitTheirArraysAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(false, false, 2, 2, 3, new float[5], 0, 3, new float[6], 0, 2, false, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("matrix A"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(false, false, 2, 2, 3, new float[6], 0, 2, new float[6], 0, 2, false, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("leading dimension"), e.getMessage());
    }

    private void checkRandomShapes(SplittableRandom r, int cases, int maxDim) {
        int checked = 0;
        for (int t = 0; t < cases; t++) {
            int m = 1 + r.nextInt(maxDim);
            int n = 1 + r.nextInt(maxDim);
            int k = 1 + r.nextInt(maxDim);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    check(r, ta, tb, m, n, k, r.nextBoolean());
                    checked++;
                }
            }
        }
        assertEquals(cases * 4, checked);
    }

    /** Compares against the double-accumulating naive product, with padded leading dimensions and offsets. */
    private static void check(SplittableRandom r, boolean ta, boolean tb, int m, int n, int k, boolean accumulate) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + r.nextInt(3);
        int ldb = bCols + r.nextInt(3);
        int ldc = n + r.nextInt(3);
        int aOff = r.nextInt(4);
        int bOff = r.nextInt(4);
        int cOff = r.nextInt(4);
        float[] a = random(r, aOff + aRows * lda);
        float[] b = random(r, bOff + bRows * ldb);
        float[] c = random(r, cOff + m * ldc);
        float[] expected = c.clone();
        Gemm.naive(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, expected, cOff, ldc);
        Gemm.multiply(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        for (int i = 0; i < c.length; i++) {
            float tol = 1e-5f * (k + 2);
            assertEquals(expected[i], c[i], tol, () -> "mismatch for transA=" + ta + " transB=" + tb + " m=" + m
                    + " n=" + n + " k=" + k + " accumulate=" + accumulate);
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }
}
