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
     * op(B) = B, so rows of B and C are contiguous: vectorize along n. Each call of a kernel covers
     * four rows of C (or one) and up to {@link #GROUP4} vectors of columns, sharing every load of B
     * between the rows; that is twelve independent accumulators, enough to keep both
     * FMA ports busy, where the former blocks of two vectors and their one-vector tails waited on
     * FMA latency (a 25 x 85 x 25 forward: 1.55 us before). The last n % L columns come from one
     * more vector over the window [n - L, n), placed in the same call as the vector it overlaps:
     * a call loads all its C before it stores any, so the overlapping lanes compute the same chain
     * from the same start and store the same value twice. Only when n &lt; L do columns run scalar.
     * This is the forward of a feature-major dense layer (W x) and, with transA, the backward to its
     * input (W^T dY).
     */
    static void axpyForm(boolean transA, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         boolean accumulate, float[] c, int cOff, int ldc, float[] bias) {
        axpyForm(transA, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, bias, null);
    }

    /**
     * As above; where {@code relu} is not null it also receives max(C, 0) at C's positions, taken
     * from each block of rows while it is still in L1, right after its kernels stored it: a dense
     * layer's forward with its relu, without a later pass over all of C that finds it in L2
     * ({@link Gemm#multiplyAddBiasRelu}).
     */
    static void axpyForm(boolean transA, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         boolean accumulate, float[] c, int cOff, int ldc, float[] bias, float[] relu) {
        // Stride between A(i, p) and A(i, p+1), and between A(i, p) and A(i+1, p).
        final int sp = transA ? lda : 1;
        final int si = transA ? 1 : lda;
        if (n < L) {
            for (int i = 0; i < m; i++) {
                scalarTail(0, n, k, a, aOff + i * si, sp, b, bOff, ldb, accumulate, c, cOff + i * ldc, bias, i);
                reluRows(c, relu, cOff + i * ldc, ldc, 1, n);
            }
            return;
        }
        final int full = n / L;
        final boolean window = full * L < n;
        final int vectors = full + (window ? 1 : 0);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            final int a0 = aOff + i * si;
            final int c0 = cOff + i * ldc;
            for (int v = 0; v < vectors; ) {
                int g = groupSize(vectors - v, GROUP4, window);
                int o0 = column(v, full, n);
                int o1 = g > 1 ? column(v + 1, full, n) : 0;
                int o2 = g > 2 ? column(v + 2, full, n) : 0;
                if (g == 3) {
                    rows4x3(k, a, a0, sp, si, b, bOff, ldb, o0, o1, o2, accumulate, c, c0, ldc, bias, i);
                } else if (g == 2) {
                    rows4x2(k, a, a0, sp, si, b, bOff, ldb, o0, o1, accumulate, c, c0, ldc, bias, i);
                } else {
                    rows4x1(k, a, a0, sp, si, b, bOff, ldb, o0, accumulate, c, c0, ldc, bias, i);
                }
                v += g;
            }
            reluRows(c, relu, c0, ldc, 4, n);
        }
        // The same loop for single rows, written out: as one method called per block of rows it made
        // the width-3 step (three single rows per product) 4% slower.
        for (; i < m; i++) {
            final int a0 = aOff + i * si;
            final int c0 = cOff + i * ldc;
            for (int v = 0; v < vectors; ) {
                int g = groupSize(vectors - v, GROUP1, window);
                int o0 = column(v, full, n);
                int o1 = g > 1 ? column(v + 1, full, n) : 0;
                int o2 = g > 2 ? column(v + 2, full, n) : 0;
                if (g == 3) {
                    row1x3(k, a, a0, sp, b, bOff, ldb, o0, o1, o2, accumulate, c, c0, bias, i);
                } else if (g == 2) {
                    row1x2(k, a, a0, sp, b, bOff, ldb, o0, o1, accumulate, c, c0, bias, i);
                } else {
                    row1(k, a, a0, sp, b, bOff, ldb, o0, accumulate, c, c0, bias, i);
                }
                v += g;
            }
            reluRows(c, relu, c0, ldc, 1, n);
        }
    }

    /** relu[at + r * ldc + j] = max(c[...], 0) for r &lt; rows, j &lt; n; nothing when relu is null. */
    private static void reluRows(float[] c, float[] relu, int at, int ldc, int rows, int n) {
        if (relu != null) {
            for (int r = 0; r < rows; r++) {
                VectorKernels.relu(c, relu, at + r * ldc, n);
            }
        }
    }

    /**
     * Vectors of columns per call of the four-row kernels: 12 accumulators and 3 vectors of B. With
     * AVX2's 16 registers that is all of them, and 8 accumulators had been kept there; but measured
     * under -XX:UseAVX=2 (an AMD EPYC emitting only AVX2) the tiny step's best half second of 8 s
     * was 0.34 ms with 8 (0.335-0.384 over 6 fresh JVMs) and 0.32 with 12 (0.305-0.389).
     */
    private static final int GROUP4 = 3;
    /** Vectors per call of the one-row kernels: each is a latency-bound chain, so fewer calls win. */
    private static final int GROUP1 = 3;

    /**
     * How many of the {@code left} remaining vectors the next call takes, at most {@code most}; never
     * leaves the window alone in the last call, away from the vector it overlaps.
     */
    private static int groupSize(int left, int most, boolean window) {
        if (left <= most) {
            return left;
        }
        return window && left - most == 1 ? left - 2 : most;
    }

    /** First column of vector v: whole vectors, then the window [n - L, n). */
    private static int column(int v, int full, int n) {
        return v < full ? v * L : n - L;
    }

    private static void rows4x3(int k, float[] a, int a0, int sp, int si, float[] b, int b0, int ldb,
                                int o0, int o1, int o2, boolean accumulate, float[] c, int c0, int ldc,
                                float[] bias, int bi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x0 = z, x1 = z, x2 = z, y0 = z, y1 = z, y2 = z;
        FloatVector u0 = z, u1 = z, u2 = z, w0 = z, w1 = z, w2 = z;
        final int c1 = c0 + ldc;
        final int c2 = c0 + 2 * ldc;
        final int c3 = c0 + 3 * ldc;
        if (accumulate) {
            x0 = FloatVector.fromArray(S, c, c0 + o0);
            x1 = FloatVector.fromArray(S, c, c0 + o1);
            x2 = FloatVector.fromArray(S, c, c0 + o2);
            y0 = FloatVector.fromArray(S, c, c1 + o0);
            y1 = FloatVector.fromArray(S, c, c1 + o1);
            y2 = FloatVector.fromArray(S, c, c1 + o2);
            u0 = FloatVector.fromArray(S, c, c2 + o0);
            u1 = FloatVector.fromArray(S, c, c2 + o1);
            u2 = FloatVector.fromArray(S, c, c2 + o2);
            w0 = FloatVector.fromArray(S, c, c3 + o0);
            w1 = FloatVector.fromArray(S, c, c3 + o1);
            w2 = FloatVector.fromArray(S, c, c3 + o2);
        }
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, ib + o0);
            FloatVector b1v = FloatVector.fromArray(S, b, ib + o1);
            FloatVector b2v = FloatVector.fromArray(S, b, ib + o2);
            FloatVector av = FloatVector.broadcast(S, a[ia]);
            x0 = av.fma(b0v, x0);
            x1 = av.fma(b1v, x1);
            x2 = av.fma(b2v, x2);
            av = FloatVector.broadcast(S, a[ia + si]);
            y0 = av.fma(b0v, y0);
            y1 = av.fma(b1v, y1);
            y2 = av.fma(b2v, y2);
            av = FloatVector.broadcast(S, a[ia + 2 * si]);
            u0 = av.fma(b0v, u0);
            u1 = av.fma(b1v, u1);
            u2 = av.fma(b2v, u2);
            av = FloatVector.broadcast(S, a[ia + 3 * si]);
            w0 = av.fma(b0v, w0);
            w1 = av.fma(b1v, w1);
            w2 = av.fma(b2v, w2);
        }
        if (bias != null) {
            FloatVector v = FloatVector.broadcast(S, bias[bi]);
            x0 = x0.add(v);
            x1 = x1.add(v);
            x2 = x2.add(v);
            v = FloatVector.broadcast(S, bias[bi + 1]);
            y0 = y0.add(v);
            y1 = y1.add(v);
            y2 = y2.add(v);
            v = FloatVector.broadcast(S, bias[bi + 2]);
            u0 = u0.add(v);
            u1 = u1.add(v);
            u2 = u2.add(v);
            v = FloatVector.broadcast(S, bias[bi + 3]);
            w0 = w0.add(v);
            w1 = w1.add(v);
            w2 = w2.add(v);
        }
        x0.intoArray(c, c0 + o0);
        x1.intoArray(c, c0 + o1);
        x2.intoArray(c, c0 + o2);
        y0.intoArray(c, c1 + o0);
        y1.intoArray(c, c1 + o1);
        y2.intoArray(c, c1 + o2);
        u0.intoArray(c, c2 + o0);
        u1.intoArray(c, c2 + o1);
        u2.intoArray(c, c2 + o2);
        w0.intoArray(c, c3 + o0);
        w1.intoArray(c, c3 + o1);
        w2.intoArray(c, c3 + o2);
    }

    private static void rows4x2(int k, float[] a, int a0, int sp, int si, float[] b, int b0, int ldb,
                                int o0, int o1, boolean accumulate, float[] c, int c0, int ldc,
                                float[] bias, int bi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x0 = z, x1 = z, y0 = z, y1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        final int c1 = c0 + ldc;
        final int c2 = c0 + 2 * ldc;
        final int c3 = c0 + 3 * ldc;
        if (accumulate) {
            x0 = FloatVector.fromArray(S, c, c0 + o0);
            x1 = FloatVector.fromArray(S, c, c0 + o1);
            y0 = FloatVector.fromArray(S, c, c1 + o0);
            y1 = FloatVector.fromArray(S, c, c1 + o1);
            u0 = FloatVector.fromArray(S, c, c2 + o0);
            u1 = FloatVector.fromArray(S, c, c2 + o1);
            w0 = FloatVector.fromArray(S, c, c3 + o0);
            w1 = FloatVector.fromArray(S, c, c3 + o1);
        }
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, ib + o0);
            FloatVector b1v = FloatVector.fromArray(S, b, ib + o1);
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
        x0.intoArray(c, c0 + o0);
        x1.intoArray(c, c0 + o1);
        y0.intoArray(c, c1 + o0);
        y1.intoArray(c, c1 + o1);
        u0.intoArray(c, c2 + o0);
        u1.intoArray(c, c2 + o1);
        w0.intoArray(c, c3 + o0);
        w1.intoArray(c, c3 + o1);
    }

    /** Four rows, one vector of columns. */
    private static void rows4x1(int k, float[] a, int a0, int sp, int si, float[] b, int b0, int ldb,
                                int o0, boolean accumulate, float[] c, int c0, int ldc, float[] bias, int bi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x = z, y = z, u = z, w = z;
        final int c1 = c0 + ldc;
        final int c2 = c0 + 2 * ldc;
        final int c3 = c0 + 3 * ldc;
        if (accumulate) {
            x = FloatVector.fromArray(S, c, c0 + o0);
            y = FloatVector.fromArray(S, c, c1 + o0);
            u = FloatVector.fromArray(S, c, c2 + o0);
            w = FloatVector.fromArray(S, c, c3 + o0);
        }
        int ia = a0;
        int ib = b0 + o0;
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
        x.intoArray(c, c0 + o0);
        y.intoArray(c, c1 + o0);
        u.intoArray(c, c2 + o0);
        w.intoArray(c, c3 + o0);
    }

    /** One row, three vectors: three chains, so one call per three vectors instead of one or two. */
    private static void row1x3(int k, float[] a, int a0, int sp, float[] b, int b0, int ldb,
                               int o0, int o1, int o2, boolean accumulate, float[] c, int c0,
                               float[] bias, int bi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x = accumulate ? FloatVector.fromArray(S, c, c0 + o0) : z;
        FloatVector y = accumulate ? FloatVector.fromArray(S, c, c0 + o1) : z;
        FloatVector u = accumulate ? FloatVector.fromArray(S, c, c0 + o2) : z;
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector av = FloatVector.broadcast(S, a[ia]);
            x = av.fma(FloatVector.fromArray(S, b, ib + o0), x);
            y = av.fma(FloatVector.fromArray(S, b, ib + o1), y);
            u = av.fma(FloatVector.fromArray(S, b, ib + o2), u);
        }
        if (bias != null) {
            FloatVector v = FloatVector.broadcast(S, bias[bi]);
            x = x.add(v);
            y = y.add(v);
            u = u.add(v);
        }
        x.intoArray(c, c0 + o0);
        y.intoArray(c, c0 + o1);
        u.intoArray(c, c0 + o2);
    }

    private static void row1x2(int k, float[] a, int a0, int sp, float[] b, int b0, int ldb,
                               int o0, int o1, boolean accumulate, float[] c, int c0, float[] bias, int bi) {
        FloatVector x = accumulate ? FloatVector.fromArray(S, c, c0 + o0) : FloatVector.zero(S);
        FloatVector y = accumulate ? FloatVector.fromArray(S, c, c0 + o1) : FloatVector.zero(S);
        int ia = a0;
        int ib = b0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            FloatVector av = FloatVector.broadcast(S, a[ia]);
            x = av.fma(FloatVector.fromArray(S, b, ib + o0), x);
            y = av.fma(FloatVector.fromArray(S, b, ib + o1), y);
        }
        if (bias != null) {
            FloatVector v = FloatVector.broadcast(S, bias[bi]);
            x = x.add(v);
            y = y.add(v);
        }
        x.intoArray(c, c0 + o0);
        y.intoArray(c, c0 + o1);
    }

    private static void row1(int k, float[] a, int a0, int sp, float[] b, int b0, int ldb,
                             int o0, boolean accumulate, float[] c, int c0, float[] bias, int bi) {
        FloatVector x = accumulate ? FloatVector.fromArray(S, c, c0 + o0) : FloatVector.zero(S);
        int ia = a0;
        int ib = b0 + o0;
        for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
            x = FloatVector.broadcast(S, a[ia]).fma(FloatVector.fromArray(S, b, ib), x);
        }
        if (bias != null) {
            x = x.add(FloatVector.broadcast(S, bias[bi]));
        }
        x.intoArray(c, c0 + o0);
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
            if (n >= L) {
                // The window kernels need no padded columns: straight into C, each element one chain
                // from C (or zero), as in the axpy form.
                axpyForm(false, m, n, k, a, aOff, lda, bt, 0, npad, accumulate, c, cOff, ldc, null);
                return;
            }
            // Fewer columns than lanes: through a padded copy of C, so that an accumulated element
            // is still one chain from C, whatever the vector width.
            if (accumulate) {
                for (int i = 0; i < m; i++) {
                    System.arraycopy(c, cOff + i * ldc, ct, i * npad, n);
                }
            }
            axpyForm(false, m, npad, k, a, aOff, lda, bt, 0, npad, accumulate, ct, 0, npad, null);
            for (int i = 0; i < m; i++) {
                System.arraycopy(ct, i * npad, c, cOff + i * ldc, n);
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
