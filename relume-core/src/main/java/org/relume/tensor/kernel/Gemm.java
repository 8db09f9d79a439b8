package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix product {@code C = op(A) op(B)} or {@code C += op(A) op(B)} on row-major
 * arrays, where op is the identity or the transpose.
 *
 * <p>A thin front method checks sizes, then picks a kernel by the amount of work:
 * <ul>
 *   <li>small shapes (thin layers: width 1-25, batch ~85) use unpacked kernels vectorized along
 *       whichever dimension is contiguous, with no allocation at all;</li>
 *   <li>large shapes use a cache-blocked kernel in the BLIS layout: blocks of op(B) and op(A) are
 *       packed into micro-panels and a register-blocked {@link #MR} x {@link #NR} Vector API
 *       micro-kernel does the arithmetic; above {@link EngineParameters#gemmParallelThreshold}
 *       the output is split over cores by row or column blocks.</li>
 * </ul>
 * Splitting never divides a sum, so results are identical for any number of threads.
 *
 * <p>Index layout: element (i, j) of a row-major matrix with leading dimension {@code ld} starting
 * at {@code off} is {@code x[off + i * ld + j]}. With {@code transA}, A is stored k x m and
 * op(A)(i, p) = {@code a[aOff + p * lda + i]}; likewise for B.
 */
public final class Gemm {
    private Gemm() {}

    static final VectorSpecies<Float> S = Lanes.SPECIES;
    static final int L = S.length();
    /** Rows of the micro-kernel's register block: 12 where there are 32 vector registers, else 6. */
    public static final int MR = L >= 16 ? 12 : 6;
    /** Columns of the micro-kernel's register block: two vectors. */
    public static final int NR = 2 * L;

    /** Lane q of a run along a row of A goes MR places after lane q-1 in a packed panel. */
    private static final int[] PANEL_STRIDE = new int[L];

    static {
        for (int q = 0; q < L; q++) {
            PANEL_STRIDE[q] = q * MR;
        }
    }

    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    /**
     * {@code C = op(A) op(B)} (or {@code C += ...} when {@code accumulate}); op(A) is m x k, op(B) is
     * k x n, C is m x n. A and B: not modified. C: modified.
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb,
                                boolean accumulate, float[] c, int cOff, int ldc) {
        checkOperand("A", transA, m, k, a, aOff, lda);
        checkOperand("B", transB, k, n, b, bOff, ldb);
        checkOperand("C", false, m, n, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        if (work < EngineParameters.gemmBlockedThreshold) {
            if (!transB) {
                smallAxpyForm(transA, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, null);
            } else if (!transA) {
                smallDotForm(m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            } else {
                naive(true, true, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            }
        } else {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, work);
        }
    }

    /**
     * C = A B + bias 1^T: a dense layer's forward, bias [m]. Where the product takes the small
     * kernels the bias is added to the accumulators before they are stored, saving a pass over C;
     * otherwise by a second pass. Either way each element is fl(fl(sum) + bias), exactly what
     * adding the bias afterwards gives.
     */
    public static void multiplyAddBias(int m, int n, int k, float[] a, int aOff, int lda,
                                       float[] b, int bOff, int ldb, float[] bias, float[] c, int cOff, int ldc) {
        checkOperand("A", false, m, k, a, aOff, lda);
        checkOperand("B", false, k, n, b, bOff, ldb);
        checkOperand("C", false, m, n, c, cOff, ldc);
        if (bias.length < m) {
            throw new IllegalArgumentException("bias of length " + bias.length + " for " + m + " rows");
        }
        if (k > 0 && m > 0 && n > 0 && (long) m * n * k < EngineParameters.gemmBlockedThreshold) {
            smallAxpyForm(false, m, n, k, a, aOff, lda, b, bOff, ldb, false, c, cOff, ldc, bias);
            return;
        }
        multiply(false, false, m, n, k, a, aOff, lda, b, bOff, ldb, false, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            VectorKernels.addRowBias(c, cOff + i * ldc, bias[i], n);
        }
    }

    private static void checkOperand(String name, boolean trans, int rows, int cols,
                                     float[] x, int off, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix " + name + " has negative size " + rows + "x" + cols);
        }
        int storedRows = trans ? cols : rows;
        int storedCols = trans ? rows : cols;
        if (storedRows == 0 || storedCols == 0) {
            return;
        }
        if (ld < storedCols) {
            throw new IllegalArgumentException("matrix " + name + ": leading dimension " + ld
                    + " is smaller than its " + storedCols + " stored columns");
        }
        long last = (long) off + (long) (storedRows - 1) * ld + storedCols - 1;
        if (off < 0 || last >= x.length) {
            throw new IllegalArgumentException("matrix " + name + " (" + storedRows + "x" + storedCols
                    + ", offset " + off + ", ld " + ld + ") does not fit its array of length " + x.length);
        }
    }

    /**
     * Plain triple loop in double accumulation, any transposes. The reference the tests compare
     * against, and the path for the rare small A^T B^T case.
     */
    public static void naive(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                c[cOff + i * ldc + j] = (float) s;
            }
        }
    }

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
    private static void smallAxpyForm(boolean transA, int m, int n, int k,
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
    private static void smallDotForm(int m, int n, int k, float[] a, int aOff, int lda,
                                     float[] b, int bOff, int ldb, boolean accumulate,
                                     float[] c, int cOff, int ldc) {
        // A fixed threshold, not one in lanes: which form runs decides the order of the sums.
        if (n >= Lanes.LOGICAL / 2) {
            int npad = (n + L - 1) / L * L;
            float[][] s = smallScratch(k * npad, m * npad);
            float[] bt = s[0];
            float[] ct = s[1];
            transposeInto(b, bOff, ldb, n, k, bt, npad);
            smallAxpyForm(false, m, npad, k, a, aOff, lda, bt, 0, npad, false, ct, 0, npad, null);
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
     * bt[p * npad + j] = b[bOff + j * ldb + p] for j &lt; n, and 0 for n &lt;= j &lt; npad. Where
     * scatter stores exist (AVX-512), a run of L values along a row of b goes out in one; this copy
     * was a sixth of a width-25 training step.
     */
    private static void transposeInto(float[] b, int bOff, int ldb, int n, int k, float[] bt, int npad) {
        int kv = MR == 12 && npad == SCATTER_NPAD ? k - k % L : 0;
        for (int j = 0; j < n; j++) {
            int src = bOff + j * ldb;
            int p = 0;
            for (; p < kv; p += L) {
                FloatVector.fromArray(S, b, src + p).intoArray(bt, p * npad + j, SMALL_STRIDE, 0);
            }
            for (; p < k; p++) {
                bt[p * npad + j] = b[src + p];
            }
        }
        if (n < npad) {
            for (int p = 0; p < k; p++) {
                for (int j = n; j < npad; j++) {
                    bt[p * npad + j] = 0f;
                }
            }
        }
    }

    /** The padded width whose scatter offsets {@link #SMALL_STRIDE} holds: two vectors. */
    private static final int SCATTER_NPAD = 2 * L;
    private static final int[] SMALL_STRIDE = new int[L];

    static {
        for (int q = 0; q < L; q++) {
            SMALL_STRIDE[q] = q * SCATTER_NPAD;
        }
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

    // ------------------------------------------------------------------------------------------
    // Blocked, packed kernel.

    private static void blocked(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                boolean accumulate, float[] c, int cOff, int ldc, long work) {
        int threads = work >= EngineParameters.gemmParallelThreshold ? Parallelism.threadsAvailable() : 1;
        // Each part packs its own blocks, so a split repeats the packing of the operand it does not
        // divide: a column split packs all of A in every part, a row split all of B. A's panels cost
        // about twice B's per element (a scatter against a copy), so rows are split unless B is the
        // wider one by more than that.
        boolean rowsFirst = m >= threads * MR && n <= 2L * m;
        if (threads > 1 && n >= threads * NR && !rowsFirst) {
            // Split columns of C into NR-aligned ranges of (nearly) equal size.
            int panels = (n + NR - 1) / NR;
            int parts = Math.min(threads, panels);
            Parallelism.forEachPart(parts, part -> {
                int p0 = (int) ((long) panels * part / parts);
                int p1 = (int) ((long) panels * (part + 1) / parts);
                int j0 = p0 * NR;
                int j1 = Math.min(n, p1 * NR);
                blockedRange(transA, transB, 0, m, j0, j1, k, a, aOff, lda, b, bOff, ldb,
                        accumulate, c, cOff, ldc);
            });
        } else if (threads > 1 && m >= threads * MR) {
            int panels = (m + MR - 1) / MR;
            int parts = Math.min(threads, panels);
            Parallelism.forEachPart(parts, part -> {
                int p0 = (int) ((long) panels * part / parts);
                int p1 = (int) ((long) panels * (part + 1) / parts);
                blockedRange(transA, transB, p0 * MR, Math.min(m, p1 * MR), 0, n, k,
                        a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            });
        } else {
            blockedRange(transA, transB, 0, m, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        }
    }

    /** Buffers of the calling thread: packed A, packed B, an edge tile. Reused across calls. */
    private static float[][] scratch(int kc, int mc, int nc) {
        float[][] s = SCRATCH.get();
        int needA = mc * kc;
        int needB = nc * kc;
        if (s == null || s[0].length < needA || s[1].length < needB) {
            s = new float[][] {new float[needA], new float[needB], new float[MR * NR]};
            SCRATCH.set(s);
        }
        return s;
    }

    private static void blockedRange(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                     boolean accumulate, float[] c, int cOff, int ldc) {
        final int kcMax = Math.max(1, EngineParameters.gemmKc);
        final int mcMax = Math.max(MR, EngineParameters.gemmMc / MR * MR);
        final int ncMax = Math.max(NR, EngineParameters.gemmNc / NR * NR);
        float[][] s = scratch(kcMax, mcMax, ncMax);
        float[] packA = s[0];
        float[] packB = s[1];
        float[] edge = s[2];
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, packB);
                boolean acc = accumulate || pc > 0;
                for (int ic = i0; ic < i1; ic += mcMax) {
                    int mc = Math.min(mcMax, i1 - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, packA);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int pb0 = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            micro(kc, packA, ir * kc, packB, pb0, c, cOff + (ic + ir) * ldc + jc + jr, ldc,
                                    mr, nr, acc, edge);
                        }
                    }
                }
            }
        }
    }

    /** Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels, each stored p-major, zero-padded. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                              float[] pa) {
        int idx = 0;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    for (int r = 0; r < mr; r++) {
                        pa[idx + r] = a[src + r];
                    }
                    for (int r = mr; r < MR; r++) {
                        pa[idx + r] = 0f;
                    }
                    idx += MR;
                }
            } else if (mr == MR && MR == 12) {
                // A full panel from rows of A: each run of L values along a row lands MR apart in the
                // panel, one scatter store (AVX-512 has them); this was a tenth of a 512^3 product.
                int src = aOff + (i0 + ir) * lda + p0;
                int kv = kc - kc % L;
                for (int r = 0; r < MR; r++) {
                    int row = src + r * lda;
                    int p = 0;
                    for (; p < kv; p += L) {
                        FloatVector.fromArray(S, a, row + p).intoArray(pa, idx + p * MR + r, PANEL_STRIDE, 0);
                    }
                    for (; p < kc; p++) {
                        pa[idx + p * MR + r] = a[row + p];
                    }
                }
                idx += MR * kc;
            } else if (mr == MR) {
                int src = aOff + (i0 + ir) * lda + p0;
                for (int p = 0; p < kc; p++, idx += MR) {
                    int q = src + p;
                    for (int r = 0; r < MR; r++, q += lda) {
                        pa[idx + r] = a[q];
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < mr) {
                        int src = aOff + (i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kc; p++) {
                            pa[idx + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            pa[idx + p * MR + r] = 0f;
                        }
                    }
                }
                idx += MR * kc;
            }
        }
    }

    /** Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels, each stored p-major, zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[] pb) {
        int idx = 0;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + jr;
                    System.arraycopy(b, src, pb, idx, nr);
                    for (int q = nr; q < NR; q++) {
                        pb[idx + q] = 0f;
                    }
                    idx += NR;
                }
            } else {
                for (int q = 0; q < NR; q++) {
                    if (q < nr) {
                        int src = bOff + (j0 + jr + q) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            pb[idx + p * NR + q] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            pb[idx + p * NR + q] = 0f;
                        }
                    }
                }
                idx += NR * kc;
            }
        }
    }

    /**
     * The register-blocked micro-kernel: an MR x NR tile of C from an MR-row panel of A and an
     * NR-column panel of B. With 32 vector registers (AVX-512) a 12 x 2 tile keeps 24 accumulators
     * and needs 14 loads per 24 FMAs; with 16 registers (AVX2) a 6 x 2 tile's 12 accumulators are
     * all that fit. Either way each element of C is one FMA chain over p, so the tile shape never
     * changes a result.
     */
    private static void micro(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc,
                              int mr, int nr, boolean accumulate, float[] edge) {
        if (MR == 12) {
            // The 12-row kernel stores only full tiles: with a second store path it grew past what
            // C2 inlines whole, and in some runs it was compiled with boxed vectors, 25x slower.
            if (mr == MR && nr == NR) {
                micro12(kc, pa, ia, pb, ib, c, c0, ldc, accumulate);
            } else {
                micro12(kc, pa, ia, pb, ib, edge, 0, NR, false);
                copyEdge(edge, mr, nr, c, c0, ldc, accumulate);
            }
        } else {
            micro6(kc, pa, ia, pb, ib, c, c0, ldc, mr, nr, accumulate, edge);
        }
    }

    private static void micro12(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc,
                                boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c000 = z, c001 = z, c010 = z, c011 = z, c020 = z, c021 = z, c030 = z, c031 = z;
        FloatVector c040 = z, c041 = z, c050 = z, c051 = z, c060 = z, c061 = z, c070 = z, c071 = z;
        FloatVector c080 = z, c081 = z, c090 = z, c091 = z, c100 = z, c101 = z, c110 = z, c111 = z;
        for (int p = 0; p < kc; p++, ia += 12, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ib);
            FloatVector b1 = FloatVector.fromArray(S, pb, ib + L);
            FloatVector av = FloatVector.broadcast(S, pa[ia]);
            c000 = av.fma(b0, c000);
            c001 = av.fma(b1, c001);
            av = FloatVector.broadcast(S, pa[ia + 1]);
            c010 = av.fma(b0, c010);
            c011 = av.fma(b1, c011);
            av = FloatVector.broadcast(S, pa[ia + 2]);
            c020 = av.fma(b0, c020);
            c021 = av.fma(b1, c021);
            av = FloatVector.broadcast(S, pa[ia + 3]);
            c030 = av.fma(b0, c030);
            c031 = av.fma(b1, c031);
            av = FloatVector.broadcast(S, pa[ia + 4]);
            c040 = av.fma(b0, c040);
            c041 = av.fma(b1, c041);
            av = FloatVector.broadcast(S, pa[ia + 5]);
            c050 = av.fma(b0, c050);
            c051 = av.fma(b1, c051);
            av = FloatVector.broadcast(S, pa[ia + 6]);
            c060 = av.fma(b0, c060);
            c061 = av.fma(b1, c061);
            av = FloatVector.broadcast(S, pa[ia + 7]);
            c070 = av.fma(b0, c070);
            c071 = av.fma(b1, c071);
            av = FloatVector.broadcast(S, pa[ia + 8]);
            c080 = av.fma(b0, c080);
            c081 = av.fma(b1, c081);
            av = FloatVector.broadcast(S, pa[ia + 9]);
            c090 = av.fma(b0, c090);
            c091 = av.fma(b1, c091);
            av = FloatVector.broadcast(S, pa[ia + 10]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(S, pa[ia + 11]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        // Written out, not through storeRow: twelve calls exceed C2's inlining budget, and a
        // vector passed to a method that is not inlined is boxed.
        if (accumulate) {
            c000 = c000.add(FloatVector.fromArray(S, c, c0 + 0 * ldc));
            c001 = c001.add(FloatVector.fromArray(S, c, c0 + 0 * ldc + L));
            c010 = c010.add(FloatVector.fromArray(S, c, c0 + 1 * ldc));
            c011 = c011.add(FloatVector.fromArray(S, c, c0 + 1 * ldc + L));
            c020 = c020.add(FloatVector.fromArray(S, c, c0 + 2 * ldc));
            c021 = c021.add(FloatVector.fromArray(S, c, c0 + 2 * ldc + L));
            c030 = c030.add(FloatVector.fromArray(S, c, c0 + 3 * ldc));
            c031 = c031.add(FloatVector.fromArray(S, c, c0 + 3 * ldc + L));
            c040 = c040.add(FloatVector.fromArray(S, c, c0 + 4 * ldc));
            c041 = c041.add(FloatVector.fromArray(S, c, c0 + 4 * ldc + L));
            c050 = c050.add(FloatVector.fromArray(S, c, c0 + 5 * ldc));
            c051 = c051.add(FloatVector.fromArray(S, c, c0 + 5 * ldc + L));
            c060 = c060.add(FloatVector.fromArray(S, c, c0 + 6 * ldc));
            c061 = c061.add(FloatVector.fromArray(S, c, c0 + 6 * ldc + L));
            c070 = c070.add(FloatVector.fromArray(S, c, c0 + 7 * ldc));
            c071 = c071.add(FloatVector.fromArray(S, c, c0 + 7 * ldc + L));
            c080 = c080.add(FloatVector.fromArray(S, c, c0 + 8 * ldc));
            c081 = c081.add(FloatVector.fromArray(S, c, c0 + 8 * ldc + L));
            c090 = c090.add(FloatVector.fromArray(S, c, c0 + 9 * ldc));
            c091 = c091.add(FloatVector.fromArray(S, c, c0 + 9 * ldc + L));
            c100 = c100.add(FloatVector.fromArray(S, c, c0 + 10 * ldc));
            c101 = c101.add(FloatVector.fromArray(S, c, c0 + 10 * ldc + L));
            c110 = c110.add(FloatVector.fromArray(S, c, c0 + 11 * ldc));
            c111 = c111.add(FloatVector.fromArray(S, c, c0 + 11 * ldc + L));
        }
        c000.intoArray(c, c0 + 0 * ldc);
        c001.intoArray(c, c0 + 0 * ldc + L);
        c010.intoArray(c, c0 + 1 * ldc);
        c011.intoArray(c, c0 + 1 * ldc + L);
        c020.intoArray(c, c0 + 2 * ldc);
        c021.intoArray(c, c0 + 2 * ldc + L);
        c030.intoArray(c, c0 + 3 * ldc);
        c031.intoArray(c, c0 + 3 * ldc + L);
        c040.intoArray(c, c0 + 4 * ldc);
        c041.intoArray(c, c0 + 4 * ldc + L);
        c050.intoArray(c, c0 + 5 * ldc);
        c051.intoArray(c, c0 + 5 * ldc + L);
        c060.intoArray(c, c0 + 6 * ldc);
        c061.intoArray(c, c0 + 6 * ldc + L);
        c070.intoArray(c, c0 + 7 * ldc);
        c071.intoArray(c, c0 + 7 * ldc + L);
        c080.intoArray(c, c0 + 8 * ldc);
        c081.intoArray(c, c0 + 8 * ldc + L);
        c090.intoArray(c, c0 + 9 * ldc);
        c091.intoArray(c, c0 + 9 * ldc + L);
        c100.intoArray(c, c0 + 10 * ldc);
        c101.intoArray(c, c0 + 10 * ldc + L);
        c110.intoArray(c, c0 + 11 * ldc);
        c111.intoArray(c, c0 + 11 * ldc + L);
    }

    private static void micro6(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc,
                               int mr, int nr, boolean accumulate, float[] edge) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++, ia += 6, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ib);
            FloatVector b1 = FloatVector.fromArray(S, pb, ib + L);
            FloatVector av = FloatVector.broadcast(S, pa[ia]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ia + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ia + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ia + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, pa[ia + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, pa[ia + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (mr == 6 && nr == NR) {
            storeRow(c, c0, c00, c01, accumulate);
            storeRow(c, c0 + ldc, c10, c11, accumulate);
            storeRow(c, c0 + 2 * ldc, c20, c21, accumulate);
            storeRow(c, c0 + 3 * ldc, c30, c31, accumulate);
            storeRow(c, c0 + 4 * ldc, c40, c41, accumulate);
            storeRow(c, c0 + 5 * ldc, c50, c51, accumulate);
            return;
        }
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
        c40.intoArray(edge, 4 * NR);
        c41.intoArray(edge, 4 * NR + L);
        c50.intoArray(edge, 5 * NR);
        c51.intoArray(edge, 5 * NR + L);
        copyEdge(edge, mr, nr, c, c0, ldc, accumulate);
    }

    /** The computed mr x nr corner of a partial tile, from the edge buffer into C. */
    private static void copyEdge(float[] edge, int mr, int nr, float[] c, int c0, int ldc, boolean accumulate) {
        for (int r = 0; r < mr; r++) {
            int row = c0 + r * ldc;
            for (int q = 0; q < nr; q++) {
                float v = edge[r * NR + q];
                c[row + q] = accumulate ? c[row + q] + v : v;
            }
        }
    }

    private static void storeRow(float[] c, int at, FloatVector v0, FloatVector v1, boolean accumulate) {
        if (accumulate) {
            v0 = v0.add(FloatVector.fromArray(S, c, at));
            v1 = v1.add(FloatVector.fromArray(S, c, at + L));
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + L);
    }
}
