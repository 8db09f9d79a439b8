package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A convolution's weight gradient on feature-major data, four output channels times four input
 * channels at a time:
 * <pre>  dW[co, ci, t] = sum over the pairs (o, i) of tap t of sum_j dZ[co, o, j] X[ci, i, j]</pre>
 * each as {@link Lanes#dotRows} computes it, bit for bit: 16 partial sums over (pair, block of 16
 * samples) in pair order, added in lane order. Two things make it faster than one dot at a time.
 * Each loaded vector of dZ feeds four fused multiply-adds and each of X four more (16 chains, 8
 * loads, against 4 chains and 5 loads). And the pairs are taken a few output rows at a time, with
 * the 16 partial sums of every (co, ci, t) kept between blocks of rows, so the rows one block
 * reads stay in L2 for every channel and tap; one dot at a time over the whole map read all of X
 * from L3 again for every output channel and tap. Only for a batch that is a whole number of 16
 * (no scalar tail); the caller keeps the plain dots for the rest. With 8-lane vectors (AVX2, 16
 * registers) a 4 x 4 block's 32 half-sums do not fit, so it runs as four 2 x 2 blocks, each
 * partial sum in two registers (lanes 0-7 and 8-15): the same chains in the same order. Leaving
 * AVX2 to the plain dots made a 4-channel CNN's step 3.7x slower than with AVX-512 on the same CPU.
 */
public final class TapDots {
    private TapDots() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = S.length();

    /** Output rows per block: about 200-700 KB of dZ and X rows for 16 channels and a batch of 128. */
    private static final int ROWS_PER_BLOCK = 1;

    /**
     * The most partial sums a thread keeps (4 M floats, 16 MB): 256 per weight, so 64 input and 64
     * output channels with a 3 x 3 kernel need 2.4 M. Wider layers keep the plain dots.
     */
    private static final long MAX_PARTIALS = 1L << 22;

    /**
     * Whether {@link #quads} applies to a batch of n samples and a layer of that many channel quads
     * and taps.
     */
    public static boolean applies(int n, int outQuads, int inQuads, int taps) {
        return n > 0 && n % Lanes.LOGICAL == 0
                && (long) outQuads * inQuads * taps * 16 * Lanes.LOGICAL <= MAX_PARTIALS;
    }

    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * Which (output position, input position) pairs each tap reads, built once per geometry:
     * {@code pairs[t]} interleaves them in output order, {@code counts[t]} says how many there are,
     * and {@code firstPair[t][oy]} is the index of the first pair whose output row is oy or later.
     * Positions count per sample (row y, column x of a map is y * width + x).
     */
    public record Map(int[][] pairs, int[] counts, int[][] firstPair, int inChannels, int taps, int outHeight,
                      int outPositions, int inPositions) {
        /** The map of these pairs (per tap, in output order) on an output map outHeight x outWidth. */
        public static Map of(int[][] pairs, int[] counts, int inChannels, int taps, int outHeight, int outWidth,
                             int inPositions) {
            int[][] firstPair = new int[pairs.length][outHeight + 1];
            for (int t = 0; t < pairs.length; t++) {
                int c = 0;
                for (int oy = 0; oy <= outHeight; oy++) {
                    while (c < counts[t] && pairs[t][2 * c] < oy * outWidth) {
                        c++;
                    }
                    firstPair[t][oy] = c;
                }
            }
            return new Map(pairs, counts, firstPair, inChannels, taps, outHeight, outHeight * outWidth, inPositions);
        }
    }

    /**
     * The weight gradient of output-channel quads [q0, q1) and taps [t0, t1), for the input channels
     * in quads only (the first 4 * (inChannels / 4)), into dw (or added to it with accumulate).
     */
    public static void quads(int q0, int q1, int t0, int t1, Map m, int n, float[] dz, float[] x, float[] dw,
                             boolean accumulate) {
        int ciQuads = m.inChannels / 4;
        int kk = m.taps / m.inChannels;
        int outPlane = m.outPositions * n;
        int inPlane = m.inPositions * n;
        int[][] pairs = m.pairs;
        int[][] firstPair = m.firstPair;
        int blockFloats = 16 * Lanes.LOGICAL;
        int need = (q1 - q0) * ciQuads * (t1 - t0) * blockFloats;
        float[][] holder = PARTIALS.get();
        if (holder[0].length < need) {
            holder[0] = new float[need];
        }
        float[] partial = holder[0];
        java.util.Arrays.fill(partial, 0, need, 0f);
        for (int oy = 0; oy < m.outHeight; oy += ROWS_PER_BLOCK) {
            int oyEnd = Math.min(m.outHeight, oy + ROWS_PER_BLOCK);
            int at = 0;
            for (int cq = 0; cq < ciQuads; cq++) {
                for (int q = q0; q < q1; q++) {
                    for (int t = t0; t < t1; t++, at += blockFloats) {
                        int c0 = firstPair[t][oy];
                        int c1 = firstPair[t][oyEnd];
                        if (c1 > c0) {
                            block(dz, 4 * q * outPlane, outPlane, x, 4 * cq * inPlane, inPlane, pairs[t],
                                    c0, c1, n, partial, at);
                        }
                    }
                }
            }
        }
        int at = 0;
        for (int cq = 0; cq < ciQuads; cq++) {
            for (int q = q0; q < q1; q++) {
                for (int t = t0; t < t1; t++, at += blockFloats) {
                    finish(partial, at, dw, 4 * q * m.taps + 4 * cq * kk + t, m.taps, kk, accumulate);
                }
            }
        }
    }

    /**
     * The 4 x 4 weights of one block from their partial sums at {@code at}: dw[i + a * rowStride +
     * b * chStride] (+)= the 16 partial sums of (a, b) added in lane order. A method of its own, called
     * for every block: in {@link #quads}, which runs once per layer, HotSpot may leave the Vector API
     * calls in C1 code, where every vector is an object.
     */
    private static void finish(float[] partial, int at, float[] dw, int i, int rowStride, int chStride,
                               boolean accumulate) {
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                // + 0f: what dotRows adds for an empty scalar tail, so even a -0 sum matches.
                float v = Lanes.combine(partial, at + (4 * a + b) * Lanes.LOGICAL) + 0f;
                int w = i + a * rowStride + b * chStride;
                dw[w] = accumulate ? dw[w] + v : v;
            }
        }
    }

    /**
     * Pairs [c0, c1) of one tap for output channels co0..co0+3 (dZ planes {@code dzStride} apart from
     * {@code dzBase}) and input channels ci0..ci0+3 (X planes {@code xStride} apart), continuing the
     * 16 sets of partial sums stored at {@code at} (dZ channel major).
     */
    private static void block(float[] dz, int dzBase, int dzStride, float[] x, int xBase, int xStride, int[] pairs,
                              int c0, int c1, int n, float[] partial, int at) {
        if (L == Lanes.LOGICAL) {
            block16(dz, dzBase, dzStride, x, xBase, xStride, pairs, c0, c1, n, partial, at);
            return;
        }
        for (int a = 0; a < 4; a += 2) {
            for (int b = 0; b < 4; b += 2) {
                block2x2(dz, dzBase + a * dzStride, dzStride, x, xBase + b * xStride, xStride, pairs, c0, c1, n,
                        partial, at + (4 * a + b) * Lanes.LOGICAL);
            }
        }
    }

    /**
     * Dot channels a, a+1 times X channels b, b+1 with 8-lane vectors: the partial sums of (a + i, b + j)
     * at {@code at + (4 i + j) * 16}, lanes 0-7 then 8-15, each continued as a chain over (pair, block).
     */
    private static void block2x2(float[] dz, int dzBase, int dzStride, float[] x, int xBase, int xStride,
                                 int[] pairs, int c0, int c1, int n, float[] partial, int at) {
        final int row = 4 * Lanes.LOGICAL;
        FloatVector s00 = FloatVector.fromArray(S, partial, at);
        FloatVector h00 = FloatVector.fromArray(S, partial, at + L);
        FloatVector s01 = FloatVector.fromArray(S, partial, at + Lanes.LOGICAL);
        FloatVector h01 = FloatVector.fromArray(S, partial, at + Lanes.LOGICAL + L);
        FloatVector s10 = FloatVector.fromArray(S, partial, at + row);
        FloatVector h10 = FloatVector.fromArray(S, partial, at + row + L);
        FloatVector s11 = FloatVector.fromArray(S, partial, at + row + Lanes.LOGICAL);
        FloatVector h11 = FloatVector.fromArray(S, partial, at + row + Lanes.LOGICAL + L);
        int steps = (c1 - c0) * (n / Lanes.LOGICAL);
        int c = c0;
        int i = 0;
        int ao = dzBase + pairs[2 * c] * n;
        int bo = xBase + pairs[2 * c + 1] * n;
        for (int s = 0; s < steps; s++) {
            FloatVector a0 = FloatVector.fromArray(S, dz, ao + i);
            FloatVector a1 = FloatVector.fromArray(S, dz, ao + dzStride + i);
            FloatVector b0 = FloatVector.fromArray(S, x, bo + i);
            FloatVector b1 = FloatVector.fromArray(S, x, bo + xStride + i);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            a0 = FloatVector.fromArray(S, dz, ao + i + L);
            a1 = FloatVector.fromArray(S, dz, ao + dzStride + i + L);
            b0 = FloatVector.fromArray(S, x, bo + i + L);
            b1 = FloatVector.fromArray(S, x, bo + xStride + i + L);
            h00 = a0.fma(b0, h00);
            h01 = a0.fma(b1, h01);
            h10 = a1.fma(b0, h10);
            h11 = a1.fma(b1, h11);
            i += Lanes.LOGICAL;
            if (i == n && ++c < c1) {
                i = 0;
                ao = dzBase + pairs[2 * c] * n;
                bo = xBase + pairs[2 * c + 1] * n;
            }
        }
        s00.intoArray(partial, at);
        h00.intoArray(partial, at + L);
        s01.intoArray(partial, at + Lanes.LOGICAL);
        h01.intoArray(partial, at + Lanes.LOGICAL + L);
        s10.intoArray(partial, at + row);
        h10.intoArray(partial, at + row + L);
        s11.intoArray(partial, at + row + Lanes.LOGICAL);
        h11.intoArray(partial, at + row + Lanes.LOGICAL + L);
    }

    /** The 4 x 4 block with 16-lane vectors: one register per partial sum. */
    private static void block16(float[] dz, int dzBase, int dzStride, float[] x, int xBase, int xStride, int[] pairs,
                                int c0, int c1, int n, float[] partial, int at) {
        FloatVector s00 = FloatVector.fromArray(S, partial, at);
        FloatVector s01 = FloatVector.fromArray(S, partial, at + L);
        FloatVector s02 = FloatVector.fromArray(S, partial, at + 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, partial, at + 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, partial, at + 4 * L);
        FloatVector s11 = FloatVector.fromArray(S, partial, at + 5 * L);
        FloatVector s12 = FloatVector.fromArray(S, partial, at + 6 * L);
        FloatVector s13 = FloatVector.fromArray(S, partial, at + 7 * L);
        FloatVector s20 = FloatVector.fromArray(S, partial, at + 8 * L);
        FloatVector s21 = FloatVector.fromArray(S, partial, at + 9 * L);
        FloatVector s22 = FloatVector.fromArray(S, partial, at + 10 * L);
        FloatVector s23 = FloatVector.fromArray(S, partial, at + 11 * L);
        FloatVector s30 = FloatVector.fromArray(S, partial, at + 12 * L);
        FloatVector s31 = FloatVector.fromArray(S, partial, at + 13 * L);
        FloatVector s32 = FloatVector.fromArray(S, partial, at + 14 * L);
        FloatVector s33 = FloatVector.fromArray(S, partial, at + 15 * L);
        // One flat loop over (pair, block of the batch): nested loops made the JIT box accumulators.
        int steps = (c1 - c0) * (n / L);
        int c = c0;
        int i = 0;
        int ao = dzBase + pairs[2 * c] * n;
        int bo = xBase + pairs[2 * c + 1] * n;
        for (int s = 0; s < steps; s++) {
            FloatVector a0 = FloatVector.fromArray(S, dz, ao + i);
            FloatVector a1 = FloatVector.fromArray(S, dz, ao + dzStride + i);
            FloatVector a2 = FloatVector.fromArray(S, dz, ao + 2 * dzStride + i);
            FloatVector a3 = FloatVector.fromArray(S, dz, ao + 3 * dzStride + i);
            FloatVector b0 = FloatVector.fromArray(S, x, bo + i);
            FloatVector b1 = FloatVector.fromArray(S, x, bo + xStride + i);
            FloatVector b2 = FloatVector.fromArray(S, x, bo + 2 * xStride + i);
            FloatVector b3 = FloatVector.fromArray(S, x, bo + 3 * xStride + i);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            s22 = a2.fma(b2, s22);
            s23 = a2.fma(b3, s23);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
            s32 = a3.fma(b2, s32);
            s33 = a3.fma(b3, s33);
            i += L;
            if (i == n && ++c < c1) {
                i = 0;
                ao = dzBase + pairs[2 * c] * n;
                bo = xBase + pairs[2 * c + 1] * n;
            }
        }
        s00.intoArray(partial, at);
        s01.intoArray(partial, at + L);
        s02.intoArray(partial, at + 2 * L);
        s03.intoArray(partial, at + 3 * L);
        s10.intoArray(partial, at + 4 * L);
        s11.intoArray(partial, at + 5 * L);
        s12.intoArray(partial, at + 6 * L);
        s13.intoArray(partial, at + 7 * L);
        s20.intoArray(partial, at + 8 * L);
        s21.intoArray(partial, at + 9 * L);
        s22.intoArray(partial, at + 10 * L);
        s23.intoArray(partial, at + 11 * L);
        s30.intoArray(partial, at + 12 * L);
        s31.intoArray(partial, at + 13 * L);
        s32.intoArray(partial, at + 14 * L);
        s33.intoArray(partial, at + 15 * L);
    }
}
