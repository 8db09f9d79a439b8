package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A matrix transposed in registers, one L x L tile at a time (16 x 16 with AVX-512, 8 x 8 with
 * AVX2): log2(L) rounds in which rows i and i + b exchange their blocks of b lanes, each row one
 * lane permutation and one blend (the recursive block transpose of REFERENCES.md "Engine").
 * The small kernels' weight gradient copies X^T this way, and the packed kernel its transposed B
 * panels: a 25 x 85 copy took 570 ns against 990 ns with one gather per 16 values (AMD EPYC,
 * AVX-512). It is a copy, so it cannot change a result.
 */
final class TileTranspose {
    private TileTranspose() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = S.length();

    /** The calling thread's tile between the two halves of {@link #tile16}. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[L * L]);

    private static final VectorShuffle<Float> UP_1 = VectorShuffle.fromOp(S, e -> (e - 1) & (L - 1));
    private static final VectorShuffle<Float> DOWN_1 = VectorShuffle.fromOp(S, e -> (e + 1) & (L - 1));
    private static final VectorMask<Float> HIGH_1 = laneBit(1);
    private static final VectorMask<Float> LOW_1 = HIGH_1.not();
    private static final VectorShuffle<Float> UP_2 = VectorShuffle.fromOp(S, e -> (e - 2) & (L - 1));
    private static final VectorShuffle<Float> DOWN_2 = VectorShuffle.fromOp(S, e -> (e + 2) & (L - 1));
    private static final VectorMask<Float> HIGH_2 = laneBit(2);
    private static final VectorMask<Float> LOW_2 = HIGH_2.not();
    private static final VectorShuffle<Float> UP_4 = VectorShuffle.fromOp(S, e -> (e - 4) & (L - 1));
    private static final VectorShuffle<Float> DOWN_4 = VectorShuffle.fromOp(S, e -> (e + 4) & (L - 1));
    private static final VectorMask<Float> HIGH_4 = laneBit(4);
    private static final VectorMask<Float> LOW_4 = HIGH_4.not();
    private static final VectorShuffle<Float> UP_8 = VectorShuffle.fromOp(S, e -> (e - 8) & (L - 1));
    private static final VectorShuffle<Float> DOWN_8 = VectorShuffle.fromOp(S, e -> (e + 8) & (L - 1));
    private static final VectorMask<Float> HIGH_8 = laneBit(8);
    private static final VectorMask<Float> LOW_8 = HIGH_8.not();

    private static VectorMask<Float> laneBit(int bit) {
        boolean[] set = new boolean[L];
        for (int e = 0; e < L; e++) {
            set[e] = (e & bit) != 0;
        }
        return VectorMask.fromArray(S, set, 0);
    }

    /**
     * bt[dst + p * stride + j] = b[rows[j] + p0 + p] for p &lt; k and j &lt; width (a multiple of L): row
     * j of the source starts at rows[j]. Whole tiles of L values of p are transposed in registers,
     * the last k mod L values of p copied one by one.
     */
    static void transpose(float[] b, int[] rows, int width, int p0, int k, float[] bt, int dst, int stride) {
        int kv = k - k % L;
        float[] tile = L == 16 ? TILE.get() : null;
        for (int j0 = 0; j0 < width; j0 += L) {
            for (int p = 0; p < kv; p += L) {
                if (L == 16) {
                    tile16(b, rows, j0, p0 + p, bt, dst + p * stride + j0, stride, tile);
                } else {
                    tile8(b, rows, j0, p0 + p, bt, dst + p * stride + j0, stride);
                }
            }
        }
        // The last k mod L values of p by scalars, not by gathers: this method runs once per product,
        // so HotSpot may leave it in C1 code for good (at tier 2 in half the runs of a test on a
        // 2-core VM: compiled while C2's queue was long, then too rarely called to move on), and
        // there every Vector API call allocates. Hot kernels (tile16, called per tile) are compiled.
        for (int p = kv; p < k; p++) {
            int to = dst + p * stride;
            int from = p0 + p;
            for (int j = 0; j < width; j++) {
                bt[to + j] = b[rows[j] + from];
            }
        }
    }

    // Written out: the rows must stay in registers, and a vector held in an array or passed to a
    // method that is not inlined is boxed. The 16 x 16 tile goes in two halves of two rounds each,
    // through a 1 KB tile in L1: as one method of 160 vector calls, C2 (JDK 17) stopped inlining
    // before its last stores (node count cutoff) and boxed those vectors, in every JVM of a medium
    // run on an Intel Xeon (14% of the step's samples in FloatVector.intoArray).
    private static void tile16(float[] b, int[] rows, int j0, int p0, float[] bt, int dst, int npad, float[] tile) {
        rounds8And4(b, rows, j0, p0, tile);
        rounds2And1(tile, bt, dst, npad);
    }

    private static void rounds8And4(float[] b, int[] rows, int j0, int p0, float[] tile) {
        FloatVector r0 = FloatVector.fromArray(S, b, rows[j0 + 0] + p0);
        FloatVector r1 = FloatVector.fromArray(S, b, rows[j0 + 1] + p0);
        FloatVector r2 = FloatVector.fromArray(S, b, rows[j0 + 2] + p0);
        FloatVector r3 = FloatVector.fromArray(S, b, rows[j0 + 3] + p0);
        FloatVector r4 = FloatVector.fromArray(S, b, rows[j0 + 4] + p0);
        FloatVector r5 = FloatVector.fromArray(S, b, rows[j0 + 5] + p0);
        FloatVector r6 = FloatVector.fromArray(S, b, rows[j0 + 6] + p0);
        FloatVector r7 = FloatVector.fromArray(S, b, rows[j0 + 7] + p0);
        FloatVector r8 = FloatVector.fromArray(S, b, rows[j0 + 8] + p0);
        FloatVector r9 = FloatVector.fromArray(S, b, rows[j0 + 9] + p0);
        FloatVector r10 = FloatVector.fromArray(S, b, rows[j0 + 10] + p0);
        FloatVector r11 = FloatVector.fromArray(S, b, rows[j0 + 11] + p0);
        FloatVector r12 = FloatVector.fromArray(S, b, rows[j0 + 12] + p0);
        FloatVector r13 = FloatVector.fromArray(S, b, rows[j0 + 13] + p0);
        FloatVector r14 = FloatVector.fromArray(S, b, rows[j0 + 14] + p0);
        FloatVector r15 = FloatVector.fromArray(S, b, rows[j0 + 15] + p0);
        // Rows i and i + 8 swap blocks of 8 lanes.
        { FloatVector t = r0.blend(r8.rearrange(UP_8), HIGH_8); r8 = r8.blend(r0.rearrange(DOWN_8), LOW_8); r0 = t; }
        { FloatVector t = r1.blend(r9.rearrange(UP_8), HIGH_8); r9 = r9.blend(r1.rearrange(DOWN_8), LOW_8); r1 = t; }
        { FloatVector t = r2.blend(r10.rearrange(UP_8), HIGH_8); r10 = r10.blend(r2.rearrange(DOWN_8), LOW_8); r2 = t; }
        { FloatVector t = r3.blend(r11.rearrange(UP_8), HIGH_8); r11 = r11.blend(r3.rearrange(DOWN_8), LOW_8); r3 = t; }
        { FloatVector t = r4.blend(r12.rearrange(UP_8), HIGH_8); r12 = r12.blend(r4.rearrange(DOWN_8), LOW_8); r4 = t; }
        { FloatVector t = r5.blend(r13.rearrange(UP_8), HIGH_8); r13 = r13.blend(r5.rearrange(DOWN_8), LOW_8); r5 = t; }
        { FloatVector t = r6.blend(r14.rearrange(UP_8), HIGH_8); r14 = r14.blend(r6.rearrange(DOWN_8), LOW_8); r6 = t; }
        { FloatVector t = r7.blend(r15.rearrange(UP_8), HIGH_8); r15 = r15.blend(r7.rearrange(DOWN_8), LOW_8); r7 = t; }
        // Rows i and i + 4 swap blocks of 4 lanes.
        { FloatVector t = r0.blend(r4.rearrange(UP_4), HIGH_4); r4 = r4.blend(r0.rearrange(DOWN_4), LOW_4); r0 = t; }
        { FloatVector t = r1.blend(r5.rearrange(UP_4), HIGH_4); r5 = r5.blend(r1.rearrange(DOWN_4), LOW_4); r1 = t; }
        { FloatVector t = r2.blend(r6.rearrange(UP_4), HIGH_4); r6 = r6.blend(r2.rearrange(DOWN_4), LOW_4); r2 = t; }
        { FloatVector t = r3.blend(r7.rearrange(UP_4), HIGH_4); r7 = r7.blend(r3.rearrange(DOWN_4), LOW_4); r3 = t; }
        { FloatVector t = r8.blend(r12.rearrange(UP_4), HIGH_4); r12 = r12.blend(r8.rearrange(DOWN_4), LOW_4); r8 = t; }
        { FloatVector t = r9.blend(r13.rearrange(UP_4), HIGH_4); r13 = r13.blend(r9.rearrange(DOWN_4), LOW_4); r9 = t; }
        { FloatVector t = r10.blend(r14.rearrange(UP_4), HIGH_4); r14 = r14.blend(r10.rearrange(DOWN_4), LOW_4); r10 = t; }
        { FloatVector t = r11.blend(r15.rearrange(UP_4), HIGH_4); r15 = r15.blend(r11.rearrange(DOWN_4), LOW_4); r11 = t; }
        r0.intoArray(tile, 0 * L);
        r1.intoArray(tile, 1 * L);
        r2.intoArray(tile, 2 * L);
        r3.intoArray(tile, 3 * L);
        r4.intoArray(tile, 4 * L);
        r5.intoArray(tile, 5 * L);
        r6.intoArray(tile, 6 * L);
        r7.intoArray(tile, 7 * L);
        r8.intoArray(tile, 8 * L);
        r9.intoArray(tile, 9 * L);
        r10.intoArray(tile, 10 * L);
        r11.intoArray(tile, 11 * L);
        r12.intoArray(tile, 12 * L);
        r13.intoArray(tile, 13 * L);
        r14.intoArray(tile, 14 * L);
        r15.intoArray(tile, 15 * L);
    }

    private static void rounds2And1(float[] tile, float[] bt, int dst, int npad) {
        FloatVector r0 = FloatVector.fromArray(S, tile, 0 * L);
        FloatVector r1 = FloatVector.fromArray(S, tile, 1 * L);
        FloatVector r2 = FloatVector.fromArray(S, tile, 2 * L);
        FloatVector r3 = FloatVector.fromArray(S, tile, 3 * L);
        FloatVector r4 = FloatVector.fromArray(S, tile, 4 * L);
        FloatVector r5 = FloatVector.fromArray(S, tile, 5 * L);
        FloatVector r6 = FloatVector.fromArray(S, tile, 6 * L);
        FloatVector r7 = FloatVector.fromArray(S, tile, 7 * L);
        FloatVector r8 = FloatVector.fromArray(S, tile, 8 * L);
        FloatVector r9 = FloatVector.fromArray(S, tile, 9 * L);
        FloatVector r10 = FloatVector.fromArray(S, tile, 10 * L);
        FloatVector r11 = FloatVector.fromArray(S, tile, 11 * L);
        FloatVector r12 = FloatVector.fromArray(S, tile, 12 * L);
        FloatVector r13 = FloatVector.fromArray(S, tile, 13 * L);
        FloatVector r14 = FloatVector.fromArray(S, tile, 14 * L);
        FloatVector r15 = FloatVector.fromArray(S, tile, 15 * L);
        // Rows i and i + 2 swap blocks of 2 lanes.
        { FloatVector t = r0.blend(r2.rearrange(UP_2), HIGH_2); r2 = r2.blend(r0.rearrange(DOWN_2), LOW_2); r0 = t; }
        { FloatVector t = r1.blend(r3.rearrange(UP_2), HIGH_2); r3 = r3.blend(r1.rearrange(DOWN_2), LOW_2); r1 = t; }
        { FloatVector t = r4.blend(r6.rearrange(UP_2), HIGH_2); r6 = r6.blend(r4.rearrange(DOWN_2), LOW_2); r4 = t; }
        { FloatVector t = r5.blend(r7.rearrange(UP_2), HIGH_2); r7 = r7.blend(r5.rearrange(DOWN_2), LOW_2); r5 = t; }
        { FloatVector t = r8.blend(r10.rearrange(UP_2), HIGH_2); r10 = r10.blend(r8.rearrange(DOWN_2), LOW_2); r8 = t; }
        { FloatVector t = r9.blend(r11.rearrange(UP_2), HIGH_2); r11 = r11.blend(r9.rearrange(DOWN_2), LOW_2); r9 = t; }
        { FloatVector t = r12.blend(r14.rearrange(UP_2), HIGH_2); r14 = r14.blend(r12.rearrange(DOWN_2), LOW_2); r12 = t; }
        { FloatVector t = r13.blend(r15.rearrange(UP_2), HIGH_2); r15 = r15.blend(r13.rearrange(DOWN_2), LOW_2); r13 = t; }
        // Rows i and i + 1 swap blocks of 1 lane.
        { FloatVector t = r0.blend(r1.rearrange(UP_1), HIGH_1); r1 = r1.blend(r0.rearrange(DOWN_1), LOW_1); r0 = t; }
        { FloatVector t = r2.blend(r3.rearrange(UP_1), HIGH_1); r3 = r3.blend(r2.rearrange(DOWN_1), LOW_1); r2 = t; }
        { FloatVector t = r4.blend(r5.rearrange(UP_1), HIGH_1); r5 = r5.blend(r4.rearrange(DOWN_1), LOW_1); r4 = t; }
        { FloatVector t = r6.blend(r7.rearrange(UP_1), HIGH_1); r7 = r7.blend(r6.rearrange(DOWN_1), LOW_1); r6 = t; }
        { FloatVector t = r8.blend(r9.rearrange(UP_1), HIGH_1); r9 = r9.blend(r8.rearrange(DOWN_1), LOW_1); r8 = t; }
        { FloatVector t = r10.blend(r11.rearrange(UP_1), HIGH_1); r11 = r11.blend(r10.rearrange(DOWN_1), LOW_1); r10 = t; }
        { FloatVector t = r12.blend(r13.rearrange(UP_1), HIGH_1); r13 = r13.blend(r12.rearrange(DOWN_1), LOW_1); r12 = t; }
        { FloatVector t = r14.blend(r15.rearrange(UP_1), HIGH_1); r15 = r15.blend(r14.rearrange(DOWN_1), LOW_1); r14 = t; }
        r0.intoArray(bt, dst + 0 * npad);
        r1.intoArray(bt, dst + 1 * npad);
        r2.intoArray(bt, dst + 2 * npad);
        r3.intoArray(bt, dst + 3 * npad);
        r4.intoArray(bt, dst + 4 * npad);
        r5.intoArray(bt, dst + 5 * npad);
        r6.intoArray(bt, dst + 6 * npad);
        r7.intoArray(bt, dst + 7 * npad);
        r8.intoArray(bt, dst + 8 * npad);
        r9.intoArray(bt, dst + 9 * npad);
        r10.intoArray(bt, dst + 10 * npad);
        r11.intoArray(bt, dst + 11 * npad);
        r12.intoArray(bt, dst + 12 * npad);
        r13.intoArray(bt, dst + 13 * npad);
        r14.intoArray(bt, dst + 14 * npad);
        r15.intoArray(bt, dst + 15 * npad);
    }

    private static void tile8(float[] b, int[] rows, int j0, int p0, float[] bt, int dst, int npad) {
        FloatVector r0 = FloatVector.fromArray(S, b, rows[j0 + 0] + p0);
        FloatVector r1 = FloatVector.fromArray(S, b, rows[j0 + 1] + p0);
        FloatVector r2 = FloatVector.fromArray(S, b, rows[j0 + 2] + p0);
        FloatVector r3 = FloatVector.fromArray(S, b, rows[j0 + 3] + p0);
        FloatVector r4 = FloatVector.fromArray(S, b, rows[j0 + 4] + p0);
        FloatVector r5 = FloatVector.fromArray(S, b, rows[j0 + 5] + p0);
        FloatVector r6 = FloatVector.fromArray(S, b, rows[j0 + 6] + p0);
        FloatVector r7 = FloatVector.fromArray(S, b, rows[j0 + 7] + p0);
        // Rows i and i + 4 swap blocks of 4 lanes.
        { FloatVector t = r0.blend(r4.rearrange(UP_4), HIGH_4); r4 = r4.blend(r0.rearrange(DOWN_4), LOW_4); r0 = t; }
        { FloatVector t = r1.blend(r5.rearrange(UP_4), HIGH_4); r5 = r5.blend(r1.rearrange(DOWN_4), LOW_4); r1 = t; }
        { FloatVector t = r2.blend(r6.rearrange(UP_4), HIGH_4); r6 = r6.blend(r2.rearrange(DOWN_4), LOW_4); r2 = t; }
        { FloatVector t = r3.blend(r7.rearrange(UP_4), HIGH_4); r7 = r7.blend(r3.rearrange(DOWN_4), LOW_4); r3 = t; }
        // Rows i and i + 2 swap blocks of 2 lanes.
        { FloatVector t = r0.blend(r2.rearrange(UP_2), HIGH_2); r2 = r2.blend(r0.rearrange(DOWN_2), LOW_2); r0 = t; }
        { FloatVector t = r1.blend(r3.rearrange(UP_2), HIGH_2); r3 = r3.blend(r1.rearrange(DOWN_2), LOW_2); r1 = t; }
        { FloatVector t = r4.blend(r6.rearrange(UP_2), HIGH_2); r6 = r6.blend(r4.rearrange(DOWN_2), LOW_2); r4 = t; }
        { FloatVector t = r5.blend(r7.rearrange(UP_2), HIGH_2); r7 = r7.blend(r5.rearrange(DOWN_2), LOW_2); r5 = t; }
        // Rows i and i + 1 swap blocks of 1 lane.
        { FloatVector t = r0.blend(r1.rearrange(UP_1), HIGH_1); r1 = r1.blend(r0.rearrange(DOWN_1), LOW_1); r0 = t; }
        { FloatVector t = r2.blend(r3.rearrange(UP_1), HIGH_1); r3 = r3.blend(r2.rearrange(DOWN_1), LOW_1); r2 = t; }
        { FloatVector t = r4.blend(r5.rearrange(UP_1), HIGH_1); r5 = r5.blend(r4.rearrange(DOWN_1), LOW_1); r4 = t; }
        { FloatVector t = r6.blend(r7.rearrange(UP_1), HIGH_1); r7 = r7.blend(r6.rearrange(DOWN_1), LOW_1); r6 = t; }
        r0.intoArray(bt, dst + 0 * npad);
        r1.intoArray(bt, dst + 1 * npad);
        r2.intoArray(bt, dst + 2 * npad);
        r3.intoArray(bt, dst + 3 * npad);
        r4.intoArray(bt, dst + 4 * npad);
        r5.intoArray(bt, dst + 5 * npad);
        r6.intoArray(bt, dst + 6 * npad);
        r7.intoArray(bt, dst + 7 * npad);
    }
}
