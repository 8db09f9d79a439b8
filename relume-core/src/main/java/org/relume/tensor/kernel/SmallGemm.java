package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The unpacked kernels of {@link Gemm} for small shapes (thin layers: width 1-25, batch about 85):
 * vectorized along whichever dimension is contiguous, with no packing and no allocation. Each
 * element of C is one chain of fused multiply-adds over p in order, starting from C (when
 * accumulating) or zero, so which kernel or tail computes an element never changes it.
 */
final class SmallGemm {
    private SmallGemm() {}

    private static final VectorSpecies<Float> S = Gemm.S;
    private static final int L = Gemm.L;

    /**
     * op(B) = B, so rows of B and C are contiguous: vectorize along n. A block of four rows of C
     * and two vectors of columns keeps eight independent accumulators (enough to hide the FMA
     * latency) and shares every load of B between four rows. The last n % L columns come from one
     * more vector over the window [n - L, n), whose lanes for already-computed columns are dropped
     * (masked vector loads are not intrinsified on JDK 17 and would allocate); only when n &lt; L
     * do columns run scalar.
     * This is the forward of a feature-major dense layer (W x) and, with transA, the backward to its
     * input (W^T dY).
     */
    static void axpyForm(boolean transA, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         boolean accumulate, float[] c, int cOff, int ldc, float[] bias) {
        // Stride between A(i, p) and A(i, p+1), and between A(i, p) and A(i+1, p).
        final int sp = transA ? lda : 1;
        final int si = transA ? 1 : lda;
        final int nv2 = n - n % (2 * L);
        final int nv = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            final int a0 = aOff + i * si;
            final int c0 = cOff + i * ldc;
            int j = 0;
            for (; j < nv2; j += 2 * L) {
                rows4x2(k, a, a0, sp, si, b, bOff + j, ldb, accumulate, c, c0 + j, ldc, bias, i);
            }
            for (; j < nv; j += L) {
                rows4x1(k, a, a0, sp, si, b, bOff + j, ldb, accumulate, c, c0 + j, ldc, bias, i);
            }
            if (nv < n) {
                if (n >= L) {
                    // The window's last n - nv columns start from C, like the main body, so every
                    // column is rounded the same way whichever lane count put it in the tail.
                    float[] w = tailScratch();
                    if (accumulate) {
                        for (int r = 0; r < 4; r++) {
                            startTail(w, r * L, L - (n - nv), c, c0 + r * ldc + nv, n - nv);
                        }
                    }
                    rows4x1(k, a, a0, sp, si, b, bOff + n - L, ldb, accumulate, w, 0, L, bias, i);
                    for (int r = 0; r < 4; r++) {
                        copyTail(w, r * L + L - (n - nv), c, c0 + r * ldc + nv, n - nv);
                    }
                } else {
                    for (int r = 0; r < 4; r++) {
                        scalarTail(nv, n, k, a, a0 + r * si, sp, b, bOff, ldb, accumulate, c, c0 + r * ldc, bias, i + r);
                    }
                }
            }
        }
        for (; i < m; i++) {
            final int a0 = aOff + i * si;
            final int c0 = cOff + i * ldc;
            int j = 0;
            // Two vectors at a time: a single FMA chain would wait on its own latency every step.
            for (; j < nv2; j += 2 * L) {
                row1x2(k, a, a0, sp, b, bOff + j, ldb, accumulate, c, c0 + j, bias, i);
            }
            for (; j < nv; j += L) {
                row1(k, a, a0, sp, b, bOff + j, ldb, accumulate, c, c0 + j, bias, i);
            }
            if (nv < n) {
                if (n >= L) {
                    float[] w = tailScratch();
                    if (accumulate) {
                        startTail(w, 0, L - (n - nv), c, c0 + nv, n - nv);
                    }
                    row1(k, a, a0, sp, b, bOff + n - L, ldb, accumulate, w, 0, bias, i);
                    copyTail(w, L - (n - nv), c, c0 + nv, n - nv);
                } else {
                    scalarTail(nv, n, k, a, a0, sp, b, bOff, ldb, accumulate, c, c0, bias, i);
                }
            }
        }
    }

    private static void rows4x2(int k, float[] a, int a0, int sp, int si, float[] b, int b0, int ldb,
                                boolean accumulate, float[] c, int c0, int ldc, float[] bias, int bi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x0 = z, x1 = z, y0 = z, y1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        if (accumulate) {
            x0 = FloatVector.fromArray(S, c, c0);
            x1 = FloatVector.fromArray(S, c, c0 + L);
            y0 = FloatVector.fromArray(S, c, c0 + ldc);
            y1 = FloatVector.fromArray(S, c, c0 + ldc + L);
            u0 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
            u1 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
            w0 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
            w1 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
        }
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, ib);
            FloatVector b1v = FloatVector.fromArray(S, b, ib + L);
            FloatVector av = FloatVector.broadcast(S, a[ia]);
            x0 = av.fma(b0v, x0);
            x1 = av.fma(b1v, x1);
            av = FloatVector.broadcast(S, a[ia + si]);
            y0 = av.fma(b0v, y0);
            y1 = av.fma(b1v, y1);
            av = FloatVector.broadcast(S, a[ia + 2 * si]);
            u0 = av.fma(b0v, u0);
            u1 = av.fma(b1v, u1);
            av = FloatVector.broadcast(S, a[ia + 3 * si]);
            w0 = av.fma(b0v, w0);
            w1 = av.fma(b1v, w1);
        }
        if (bias != null) {
            FloatVector v = FloatVector.broadcast(S, bias[bi]);
            x0 = x0.add(v);
            x1 = x1.add(v);
            v = FloatVector.broadcast(S, bias[bi + 1]);
            y0 = y0.add(v);
            y1 = y1.add(v);
            v = FloatVector.broadcast(S, bias[bi + 2]);
            u0 = u0.add(v);
            u1 = u1.add(v);
            v = FloatVector.broadcast(S, bias[bi + 3]);
            w0 = w0.add(v);
            w1 = w1.add(v);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + L);
        y0.intoArray(c, c0 + ldc);
        y1.intoArray(c, c0 + ldc + L);
        u0.intoArray(c, c0 + 2 * ldc);
        u1.intoArray(c, c0 + 2 * ldc + L);
        w0.intoArray(c, c0 + 3 * ldc);
        w1.intoArray(c, c0 + 3 * ldc + L);
    }

    /** Four rows, one vector of columns. */
    private static void rows4x1(int k, float[] a, int a0, int sp, int si, float[] b, int b0, int ldb,
                                boolean accumulate, float[] c, int c0, int ldc, float[] bias, int bi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x = z, y = z, u = z, w = z;
        if (accumulate) {
            x = FloatVector.fromArray(S, c, c0);
            y = FloatVector.fromArray(S, c, c0 + ldc);
            u = FloatVector.fromArray(S, c, c0 + 2 * ldc);
            w = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        }
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, ib);
            x = FloatVector.broadcast(S, a[ia]).fma(bv, x);
            y = FloatVector.broadcast(S, a[ia + si]).fma(bv, y);
            u = FloatVector.broadcast(S, a[ia + 2 * si]).fma(bv, u);
            w = FloatVector.broadcast(S, a[ia + 3 * si]).fma(bv, w);
        }
        if (bias != null) {
            x = x.add(FloatVector.broadcast(S, bias[bi]));
            y = y.add(FloatVector.broadcast(S, bias[bi + 1]));
            u = u.add(FloatVector.broadcast(S, bias[bi + 2]));
            w = w.add(FloatVector.broadcast(S, bias[bi + 3]));
        }
        x.intoArray(c, c0);
        y.intoArray(c, c0 + ldc);
        u.intoArray(c, c0 + 2 * ldc);
        w.intoArray(c, c0 + 3 * ldc);
    }

    private static void row1x2(int k, float[] a, int a0, int sp, float[] b, int b0, int ldb,
                               boolean accumulate, float[] c, int c0, float[] bias, int bi) {
        FloatVector x = accumulate ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        FloatVector y = accumulate ? FloatVector.fromArray(S, c, c0 + L) : FloatVector.zero(S);
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector av = FloatVector.broadcast(S, a[ia]);
            x = av.fma(FloatVector.fromArray(S, b, ib), x);
            y = av.fma(FloatVector.fromArray(S, b, ib + L), y);
        }
        if (bias != null) {
            FloatVector v = FloatVector.broadcast(S, bias[bi]);
            x = x.add(v);
            y = y.add(v);
        }
        x.intoArray(c, c0);
        y.intoArray(c, c0 + L);
    }

    private static void row1(int k, float[] a, int a0, int sp, float[] b, int b0, int ldb,
                             boolean accumulate, float[] c, int c0, float[] bias, int bi) {
        FloatVector x = accumulate ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            x = FloatVector.broadcast(S, a[ia]).fma(FloatVector.fromArray(S, b, ib), x);
        }
        if (bias != null) {
            x = x.add(FloatVector.broadcast(S, bias[bi]));
        }
        x.intoArray(c, c0);
    }

    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[4 * L]);

    private static float[] tailScratch() {
        return TAIL.get();
    }

    /** w[base .. base+skip) = 0 and w[base+skip .. +count) = C's values, for an accumulating tail. */
    private static void startTail(float[] w, int base, int skip, float[] c, int at, int count) {
        for (int q = 0; q < skip; q++) {
            w[base + q] = 0f;
        }
        System.arraycopy(c, at, w, base + skip, count);
    }

    /** c[at .. at+count) = w[from .. from+count). */
    private static void copyTail(float[] w, int from, float[] c, int at, int count) {
        System.arraycopy(w, from, c, at, count);
    }

    private static void scalarTail(int from, int n, int k, float[] a, int a0, int sp,
                                   float[] b, int bOff, int ldb, boolean accumulate, float[] c, int c0,
                                   float[] bias, int bi) {
        for (int j = from; j < n; j++) {
            float sum = accumulate ? c[c0 + j] : 0f;
            int ia = a0;
            int ib = bOff + j;
            for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
                sum = Math.fma(a[ia], b[ib], sum);
            }
            c[c0 + j] = bias == null ? sum : sum + bias[bi];
        }
    }

    /**
     * op(A) = A and op(B) = B^T: a dense layer's weight gradient dY X^T, with the batch as the
     * summed index. With a few output columns, each output is a vectorized dot product. With more,
     * B^T is copied once into a lane-padded scratch buffer so the axpy kernel runs without the
     * per-output horizontal reductions (the copy costs k * n moves against m * n * k FMAs).
     */
    static void dotForm(int m, int n, int k, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, boolean accumulate,
                        float[] c, int cOff, int ldc) {
        // A fixed threshold, not one in lanes: which form runs decides the order of the sums.
        if (n >= Lanes.LOGICAL / 2) {
            int npad = (n + L - 1) / L * L;
            float[][] s = smallScratch(k * npad, m * npad);
            float[] bt = s[0];
            float[] ct = s[1];
            transposeInto(b, bOff, ldb, n, k, bt, npad);
            axpyForm(false, m, npad, k, a, aOff, lda, bt, 0, npad, false, ct, 0, npad, null);
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                int ti = i * npad;
                if (accumulate) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += ct[ti + j];
                    }
                } else {
                    System.arraycopy(ct, ti, c, ci, n);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            final int ar = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                final int br = bOff + j * ldb;
                float sum = Lanes.dot(a, ar, b, br, k);
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    /**
     * bt[p * npad + j] = b[bOff + j * ldb + p] for j &lt; n; the padding columns n &lt;= j &lt; npad
     * repeat column n - 1 (their products are computed and dropped, so any finite copy will do).
     * This copy was a sixth of a width-25 step: it is transposed in registers ({@link TileTranspose}),
     * which beat gathering each row of bt from a column of b, which beat scattering rows of b.
     */
    private static void transposeInto(float[] b, int bOff, int ldb, int n, int k, float[] bt, int npad) {
        int[] rows = rowStarts(npad);
        for (int j = 0; j < npad; j++) {
            rows[j] = bOff + Math.min(j, n - 1) * ldb;
        }
        TileTranspose.transpose(b, rows, npad, 0, k, bt, 0, npad);
    }

    private static final ThreadLocal<int[][]> ROW_STARTS = ThreadLocal.withInitial(() -> new int[1][0]);

    /** The calling thread's row offsets for a transposition, at least {@code n} long. */
    private static int[] rowStarts(int n) {
        int[][] holder = ROW_STARTS.get();
        if (holder[0].length < n) {
            holder[0] = new int[n];
        }
        return holder[0];
    }

    private static final ThreadLocal<float[][]> SMALL_SCRATCH = new ThreadLocal<>();

    /** Two scratch arrays of the calling thread, grown on demand and reused. */
    private static float[][] smallScratch(int first, int second) {
        float[][] s = SMALL_SCRATCH.get();
        if (s == null || s[0].length < first || s[1].length < second) {
            s = new float[][] {new float[Math.max(first, s == null ? 0 : s[0].length)],
                new float[Math.max(second, s == null ? 0 : s[1].length)]};
            SMALL_SCRATCH.set(s);
        }
        return s;
    }
}
