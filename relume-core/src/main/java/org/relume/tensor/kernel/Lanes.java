package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width the kernels use, and reductions whose summation order does not depend on it.
 *
 * <p>Thin, deep training is chaotic: one differently rounded sum early on changes which units die.
 * So every reduction sums into {@link #LOGICAL} = 16 fixed partial sums (lane j takes the elements
 * with index j mod 16), adds them in lane order, then the remainder in index order. A 512-bit CPU
 * holds the 16 partial sums in one register, a 256-bit CPU in two; the additions and fused
 * multiply-adds are the same, so both give the same bits. Elementwise kernels are lane-independent
 * by construction (their scalar tails use the same operations as their vector bodies).
 *
 * <p>The width is the CPU's preferred one (512 or 256 bits); {@code -Drelume.vector.bits=256} or
 * {@code 512} forces it (the determinism test runs both).
 */
public final class Lanes {
    private Lanes() {}

    /** Partial sums of every reduction. */
    public static final int LOGICAL = 16;

    /** The species all kernels use. */
    public static final VectorSpecies<Float> SPECIES = choose();

    private static final int L = SPECIES.length();

    private static VectorSpecies<Float> choose() {
        String forced = System.getProperty("relume.vector.bits");
        if (forced != null) {
            return switch (forced.trim()) {
                case "256" -> FloatVector.SPECIES_256;
                case "512" -> FloatVector.SPECIES_512;
                default -> throw new IllegalArgumentException("relume.vector.bits must be 256 or 512, got " + forced);
            };
        }
        return FloatVector.SPECIES_PREFERRED.length() >= LOGICAL ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    }

    /** Sum of x[off .. off+n). x: not modified. */
    public static float sum(float[] x, int off, int n) {
        int blocks = n - n % LOGICAL;
        float s;
        if (L == LOGICAL) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int i = 0; i < blocks; i += LOGICAL) {
                acc = acc.add(FloatVector.fromArray(SPECIES, x, off + i));
            }
            s = combine(acc);
        } else {
            FloatVector lo = FloatVector.zero(SPECIES);
            FloatVector hi = FloatVector.zero(SPECIES);
            for (int i = 0; i < blocks; i += LOGICAL) {
                lo = lo.add(FloatVector.fromArray(SPECIES, x, off + i));
                hi = hi.add(FloatVector.fromArray(SPECIES, x, off + i + L));
            }
            s = combine(lo, hi);
        }
        for (int i = blocks; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /** Dot product of x[xo ..) and y[yo ..) over n elements. Not modified. */
    public static float dot(float[] x, int xo, float[] y, int yo, int n) {
        int blocks = n - n % LOGICAL;
        if (blocks == 0) {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s = Math.fma(x[xo + i], y[yo + i], s);
            }
            return s;
        }
        float s;
        if (L == LOGICAL) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int i = 0; i < blocks; i += LOGICAL) {
                acc = FloatVector.fromArray(SPECIES, x, xo + i).fma(FloatVector.fromArray(SPECIES, y, yo + i), acc);
            }
            s = combine(acc);
        } else {
            FloatVector lo = FloatVector.zero(SPECIES);
            FloatVector hi = FloatVector.zero(SPECIES);
            for (int i = 0; i < blocks; i += LOGICAL) {
                lo = FloatVector.fromArray(SPECIES, x, xo + i).fma(FloatVector.fromArray(SPECIES, y, yo + i), lo);
                hi = FloatVector.fromArray(SPECIES, x, xo + i + L).fma(FloatVector.fromArray(SPECIES, y, yo + i + L), hi);
            }
            s = combine(lo, hi);
        }
        for (int i = blocks; i < n; i++) {
            s = Math.fma(x[xo + i], y[yo + i], s);
        }
        return s;
    }

    /**
     * The sum over {@code count} row pairs of the dot product of a row of {@code a} and a row of
     * {@code b}, each row {@code n} long: sum_c sum_j a[aBase + pairs[2c] n + j] b[bBase + pairs[2c+1] n + j].
     * The 16 partial sums run across all pairs (a convolution's weight gradient: every output
     * position times the input its tap read), the remainders in a scalar in pair order, so the
     * result is the same at any vector width.
     */
    public static float dotRows(float[] a, int aBase, float[] b, int bBase, int[] pairs, int count, int n) {
        int blocks = n - n % LOGICAL;
        float tail = 0f;
        for (int c = 0; c < count && blocks < n; c++) {
            int ao = aBase + pairs[2 * c] * n;
            int bo = bBase + pairs[2 * c + 1] * n;
            for (int i = blocks; i < n; i++) {
                tail = Math.fma(a[ao + i], b[bo + i], tail);
            }
        }
        if (blocks == 0) {
            return tail;
        }
        // One flat loop over (pair, block): nested loops made the JIT box the accumulators.
        int steps = count * (blocks / LOGICAL);
        int c = 0;
        int i = 0;
        int ao = aBase + (count > 0 ? pairs[0] * n : 0);
        int bo = bBase + (count > 0 ? pairs[1] * n : 0);
        float s;
        if (L == LOGICAL) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int q = 0; q < steps; q++) {
                acc = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
                i += LOGICAL;
                if (i == blocks && ++c < count) {
                    i = 0;
                    ao = aBase + pairs[2 * c] * n;
                    bo = bBase + pairs[2 * c + 1] * n;
                }
            }
            s = combine(acc);
        } else {
            FloatVector lo = FloatVector.zero(SPECIES);
            FloatVector hi = FloatVector.zero(SPECIES);
            for (int q = 0; q < steps; q++) {
                lo = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), lo);
                hi = FloatVector.fromArray(SPECIES, a, ao + i + L).fma(FloatVector.fromArray(SPECIES, b, bo + i + L), hi);
                i += LOGICAL;
                if (i == blocks && ++c < count) {
                    i = 0;
                    ao = aBase + pairs[2 * c] * n;
                    bo = bBase + pairs[2 * c + 1] * n;
                }
            }
            s = combine(lo, hi);
        }
        return s + tail;
    }

    /**
     * Four {@link #dotRows} at once, over the same pairs of {@code a} and four {@code b} bases
     * {@code bStride} apart (a convolution's input channels): out[outAt + q] is
     * dotRows(a, aBase, b, bBase + q bStride, pairs, count, n), bit for bit. One chain of fused
     * multiply-adds waits four cycles on itself; four independent ones, sharing each load of
     * {@code a}, keep the FMA ports busy.
     */
    public static void dotRows4(float[] a, int aBase, float[] b, int bBase, int bStride, int[] pairs, int count, int n,
                                float[] out, int outAt) {
        int blocks = n - n % LOGICAL;
        if (blocks == 0) {
            for (int q = 0; q < 4; q++) {
                out[outAt + q] = dotRows(a, aBase, b, bBase + q * bStride, pairs, count, n);
            }
            return;
        }
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        for (int c = 0; c < count && blocks < n; c++) {
            int ao = aBase + pairs[2 * c] * n;
            int bo = bBase + pairs[2 * c + 1] * n;
            for (int i = blocks; i < n; i++) {
                float av = a[ao + i];
                t0 = Math.fma(av, b[bo + i], t0);
                t1 = Math.fma(av, b[bo + bStride + i], t1);
                t2 = Math.fma(av, b[bo + 2 * bStride + i], t2);
                t3 = Math.fma(av, b[bo + 3 * bStride + i], t3);
            }
        }
        if (L != LOGICAL) {
            dotRows4Narrow(a, aBase, b, bBase, bStride, pairs, count, n, blocks, out, outAt);
            out[outAt] += t0;
            out[outAt + 1] += t1;
            out[outAt + 2] += t2;
            out[outAt + 3] += t3;
            return;
        }
        int steps = count * (blocks / LOGICAL);
        int c = 0;
        int i = 0;
        int ao = aBase + (count > 0 ? pairs[0] * n : 0);
        int bo = bBase + (count > 0 ? pairs[1] * n : 0);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int q = 0; q < steps; q++) {
            FloatVector av = FloatVector.fromArray(SPECIES, a, ao + i);
            acc0 = av.fma(FloatVector.fromArray(SPECIES, b, bo + i), acc0);
            acc1 = av.fma(FloatVector.fromArray(SPECIES, b, bo + bStride + i), acc1);
            acc2 = av.fma(FloatVector.fromArray(SPECIES, b, bo + 2 * bStride + i), acc2);
            acc3 = av.fma(FloatVector.fromArray(SPECIES, b, bo + 3 * bStride + i), acc3);
            i += LOGICAL;
            if (i == blocks && ++c < count) {
                i = 0;
                ao = aBase + pairs[2 * c] * n;
                bo = bBase + pairs[2 * c + 1] * n;
            }
        }
        out[outAt] = combine(acc0) + t0;
        out[outAt + 1] = combine(acc1) + t1;
        out[outAt + 2] = combine(acc2) + t2;
        out[outAt + 3] = combine(acc3) + t3;
    }

    /**
     * {@link #dotRows4}'s vector part with 8-lane vectors: each of the four sums in two registers
     * (lanes 0-7 and 8-15), eight chains sharing each pair of loads of {@code a}; out[outAt + q] is
     * the combined sum, before the scalar tail.
     */
    private static void dotRows4Narrow(float[] a, int aBase, float[] b, int bBase, int bStride, int[] pairs, int count,
                                       int n, int blocks, float[] out, int outAt) {
        int steps = count * (blocks / LOGICAL);
        int c = 0;
        int i = 0;
        int ao = aBase + (count > 0 ? pairs[0] * n : 0);
        int bo = bBase + (count > 0 ? pairs[1] * n : 0);
        FloatVector lo0 = FloatVector.zero(SPECIES);
        FloatVector lo1 = lo0;
        FloatVector lo2 = lo0;
        FloatVector lo3 = lo0;
        FloatVector hi0 = lo0;
        FloatVector hi1 = lo0;
        FloatVector hi2 = lo0;
        FloatVector hi3 = lo0;
        for (int q = 0; q < steps; q++) {
            FloatVector av = FloatVector.fromArray(SPECIES, a, ao + i);
            lo0 = av.fma(FloatVector.fromArray(SPECIES, b, bo + i), lo0);
            lo1 = av.fma(FloatVector.fromArray(SPECIES, b, bo + bStride + i), lo1);
            lo2 = av.fma(FloatVector.fromArray(SPECIES, b, bo + 2 * bStride + i), lo2);
            lo3 = av.fma(FloatVector.fromArray(SPECIES, b, bo + 3 * bStride + i), lo3);
            av = FloatVector.fromArray(SPECIES, a, ao + i + L);
            hi0 = av.fma(FloatVector.fromArray(SPECIES, b, bo + i + L), hi0);
            hi1 = av.fma(FloatVector.fromArray(SPECIES, b, bo + bStride + i + L), hi1);
            hi2 = av.fma(FloatVector.fromArray(SPECIES, b, bo + 2 * bStride + i + L), hi2);
            hi3 = av.fma(FloatVector.fromArray(SPECIES, b, bo + 3 * bStride + i + L), hi3);
            i += LOGICAL;
            if (i == blocks && ++c < count) {
                i = 0;
                ao = aBase + pairs[2 * c] * n;
                bo = bBase + pairs[2 * c + 1] * n;
            }
        }
        out[outAt] = combine(lo0, hi0);
        out[outAt + 1] = combine(lo1, hi1);
        out[outAt + 2] = combine(lo2, hi2);
        out[outAt + 3] = combine(lo3, hi3);
    }

    /**
     * The 16 partial sums of one 512-bit register added in lane order. HotSpot reduces a float
     * vector strictly in lane order (floating-point addition does not reassociate), so this is one
     * instruction sequence, and results on AVX-512 machines stay what they were before the order
     * was fixed; the determinism test checks it against the two-register form below.
     */
    static float combine(FloatVector p) {
        return p.reduceLanes(VectorOperators.ADD);
    }

    /** The 16 partial sums stored at p[at ..], added in lane order, as the other combines add them. */
    static float combine(float[] p, int at) {
        return L == LOGICAL ? combine(FloatVector.fromArray(SPECIES, p, at))
                : combine(FloatVector.fromArray(SPECIES, p, at), FloatVector.fromArray(SPECIES, p, at + L));
    }

    /** The same order over two 256-bit registers holding lanes 0-7 and 8-15. */
    private static float combine(FloatVector lo, FloatVector hi) {
        float s = lo.reduceLanes(VectorOperators.ADD);
        for (int i = 0; i < L; i++) {
            s += hi.lane(i);
        }
        return s;
    }
}
