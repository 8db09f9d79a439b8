package org.relume.tensor.kernel;

import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix product {@code C = op(A) op(B)} or {@code C += op(A) op(B)} on row-major
 * arrays, where op is the identity or the transpose.
 *
 * <p>A thin front method checks sizes, then picks a kernel by the amount of work:
 * <ul>
 *   <li>small shapes (thin layers: width 1-25, batch ~85) use unpacked kernels vectorized along
 *       whichever dimension is contiguous, with no allocation at all ({@code SmallGemm});</li>
 *   <li>large shapes use a cache-blocked kernel in the BLIS layout: blocks of op(B) and op(A) are
 *       packed into micro-panels and a register-blocked Vector API micro-kernel does the
 *       arithmetic ({@code PackedGemm}); above {@link EngineParameters#gemmParallelThreshold}
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
                SmallGemm.axpyForm(transA, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, null);
            } else if (!transA) {
                SmallGemm.dotForm(m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            } else {
                naive(true, true, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            }
        } else {
            PackedGemm.multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, work);
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
        biasProduct(m, n, k, a, aOff, lda, b, bOff, ldb, bias, c, cOff, ldc, null);
    }

    /**
     * True where {@link #multiplyAddBiasRelu} writes its relu from the product's registers, with no
     * pass of its own: the small kernels. Elsewhere a separate relu pass (which may split over
     * cores) is as fast.
     */
    public static boolean fusesRelu(int m, int n, int k) {
        return k > 0 && m > 0 && n > 0 && (long) m * n * k < EngineParameters.gemmBlockedThreshold;
    }

    /**
     * C = A B + bias 1^T as {@link #multiplyAddBias}, and R = max(C, 0) at C's positions: a dense
     * layer with its relu. Where the small kernels run ({@link #fusesRelu}), each vector of R is
     * stored from the register that holds C, saving a pass over C; elsewhere R comes from a second
     * pass. Either way R is exactly what the relu of {@code PointwiseFunctions} computes from C.
     */
    public static void multiplyAddBiasRelu(int m, int n, int k, float[] a, int aOff, int lda,
                                           float[] b, int bOff, int ldb, float[] bias,
                                           float[] c, int cOff, int ldc, float[] relu) {
        checkOperand("R", false, m, n, relu, cOff, ldc);
        biasProduct(m, n, k, a, aOff, lda, b, bOff, ldb, bias, c, cOff, ldc, relu);
    }

    /** C = A B + bias 1^T, and max(C, 0) into relu unless it is null: both front methods above. */
    private static void biasProduct(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] bias, float[] c, int cOff, int ldc, float[] relu) {
        checkOperand("A", false, m, k, a, aOff, lda);
        checkOperand("B", false, k, n, b, bOff, ldb);
        checkOperand("C", false, m, n, c, cOff, ldc);
        if (bias == null || bias.length < m) {
            throw badBias(bias, m);
        }
        if (fusesRelu(m, n, k)) {
            SmallGemm.axpyForm(false, m, n, k, a, aOff, lda, b, bOff, ldb, false, c, cOff, ldc, bias, relu);
            return;
        }
        multiply(false, false, m, n, k, a, aOff, lda, b, bOff, ldb, false, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            VectorKernels.addRowBias(c, cOff + i * ldc, bias[i], n);
            if (relu != null) {
                VectorKernels.relu(c, relu, cOff + i * ldc, n);
            }
        }
    }

    /** Out of line, so that the message's string building does not keep the caller from being inlined. */
    private static IllegalArgumentException badBias(float[] bias, int m) {
        return new IllegalArgumentException((bias == null ? "no bias" : "bias of length " + bias.length)
                + " for " + m + " rows");
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
}
