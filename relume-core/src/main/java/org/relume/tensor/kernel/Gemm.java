package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 *       the output is split over cores by column (or row) blocks.</li>
 * </ul>
 * Splitting never divides a sum, so results are identical for any number of threads.
 *
 * <p>Index layout: element (i, j) of a row-major matrix with leading dimension {@code ld} starting
 * at {@code off} is {@code x[off + i * ld + j]}. With {@code transA}, A is stored k x m and
 * op(A)(i, p) = {@code a[aOff + p * lda + i]}; likewise for B.
 */
public final class Gemm {
    private Gemm() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of the micro-kernel's register block. */
    public static final int MR = 6;
    /** Columns of the micro-kernel's register block: two vectors. */
    public static final int NR = 2 * L;

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
                smallAxpyForm(transA, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            } else if (!transA) {
                smallDotForm(m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            } else {
                naive(true, true, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            }
        } else {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, work);
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
     * op(B) = B, so rows of B and C are contiguous: vectorize along n. Four rows of C share every
     * load of B. This is the forward of a feature-major dense layer (W x) and, with transA, the
     * backward to its input (W^T dY).
     */
    private static void smallAxpyForm(boolean transA, int m, int n, int k,
                                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      boolean accumulate, float[] c, int cOff, int ldc) {
        // Stride between A(i, p) and A(i, p+1), and between A(i, p) and A(i+1, p).
        final int sp = transA ? lda : 1;
        final int si = transA ? 1 : lda;
        final int nv = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            final int a0 = aOff + i * si;
            final int c0 = cOff + i * ldc;
            for (int j = 0; j < nv; j += L) {
                FloatVector acc0, acc1, acc2, acc3;
                if (accumulate) {
                    acc0 = FloatVector.fromArray(S, c, c0 + j);
                    acc1 = FloatVector.fromArray(S, c, c0 + ldc + j);
                    acc2 = FloatVector.fromArray(S, c, c0 + 2 * ldc + j);
                    acc3 = FloatVector.fromArray(S, c, c0 + 3 * ldc + j);
                } else {
                    acc0 = FloatVector.zero(S);
                    acc1 = acc0;
                    acc2 = acc0;
                    acc3 = acc0;
                }
                int ia = a0;
                int ib = bOff + j;
                for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
                    FloatVector bv = FloatVector.fromArray(S, b, ib);
                    acc0 = FloatVector.broadcast(S, a[ia]).fma(bv, acc0);
                    acc1 = FloatVector.broadcast(S, a[ia + si]).fma(bv, acc1);
                    acc2 = FloatVector.broadcast(S, a[ia + 2 * si]).fma(bv, acc2);
                    acc3 = FloatVector.broadcast(S, a[ia + 3 * si]).fma(bv, acc3);
                }
                acc0.intoArray(c, c0 + j);
                acc1.intoArray(c, c0 + ldc + j);
                acc2.intoArray(c, c0 + 2 * ldc + j);
                acc3.intoArray(c, c0 + 3 * ldc + j);
            }
            for (int r = 0; r < 4; r++) {
                scalarAxpyTail(nv, n, k, a, a0 + r * si, sp, b, bOff, ldb, accumulate, c, c0 + r * ldc);
            }
        }
        for (; i < m; i++) {
            final int a0 = aOff + i * si;
            final int c0 = cOff + i * ldc;
            for (int j = 0; j < nv; j += L) {
                FloatVector acc = accumulate ? FloatVector.fromArray(S, c, c0 + j) : FloatVector.zero(S);
                int ia = a0;
                int ib = bOff + j;
                for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
                    acc = FloatVector.broadcast(S, a[ia]).fma(FloatVector.fromArray(S, b, ib), acc);
                }
                acc.intoArray(c, c0 + j);
            }
            scalarAxpyTail(nv, n, k, a, a0, sp, b, bOff, ldb, accumulate, c, c0);
        }
    }

    private static void scalarAxpyTail(int from, int n, int k, float[] a, int a0, int sp,
                                       float[] b, int bOff, int ldb, boolean accumulate,
                                       float[] c, int c0) {
        for (int j = from; j < n; j++) {
            float s = accumulate ? c[c0 + j] : 0f;
            int ia = a0;
            int ib = bOff + j;
            for (int p = 0; p < k; p++, ia += sp, ib += ldb) {
                s = Math.fma(a[ia], b[ib], s);
            }
            c[c0 + j] = s;
        }
    }

    /**
     * op(A) = A and op(B) = B^T: rows of A and B are contiguous along the summed index, so each
     * output is a vectorized dot product. This is a dense layer's weight gradient dY X^T.
     */
    private static void smallDotForm(int m, int n, int k, float[] a, int aOff, int lda,
                                     float[] b, int bOff, int ldb, boolean accumulate,
                                     float[] c, int cOff, int ldc) {
        final int kv = k - k % L;
        for (int i = 0; i < m; i++) {
            final int ar = aOff + i * lda;
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                final int br0 = bOff + j * ldb;
                final int br1 = br0 + ldb;
                FloatVector acc0 = FloatVector.zero(S);
                FloatVector acc1 = acc0;
                for (int p = 0; p < kv; p += L) {
                    FloatVector av = FloatVector.fromArray(S, a, ar + p);
                    acc0 = av.fma(FloatVector.fromArray(S, b, br0 + p), acc0);
                    acc1 = av.fma(FloatVector.fromArray(S, b, br1 + p), acc1);
                }
                float s0 = acc0.reduceLanes(VectorOperators.ADD);
                float s1 = acc1.reduceLanes(VectorOperators.ADD);
                for (int p = kv; p < k; p++) {
                    s0 = Math.fma(a[ar + p], b[br0 + p], s0);
                    s1 = Math.fma(a[ar + p], b[br1 + p], s1);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s0 : s0;
                c[ci + 1] = accumulate ? c[ci + 1] + s1 : s1;
            }
            for (; j < n; j++) {
                final int br = bOff + j * ldb;
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L) {
                    acc = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, br + p), acc);
                }
                float s = acc.reduceLanes(VectorOperators.ADD);
                for (int p = kv; p < k; p++) {
                    s = Math.fma(a[ar + p], b[br + p], s);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Blocked, packed kernel.

    private static void blocked(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                boolean accumulate, float[] c, int cOff, int ldc, long work) {
        int threads = work >= EngineParameters.gemmParallelThreshold ? Parallelism.threadsAvailable() : 1;
        if (threads > 1 && n >= threads * NR) {
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
     * NR-column panel of B, twelve vector accumulators.
     */
    private static void micro(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc,
                              int mr, int nr, boolean accumulate, float[] edge) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++, ia += MR, ib += NR) {
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
        if (mr == MR && nr == NR) {
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
