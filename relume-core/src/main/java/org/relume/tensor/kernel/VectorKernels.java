package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise and reduction kernels on float arrays, vectorized, allocation-free.
 * Every method states which arrays it modifies; lengths are the caller's responsibility.
 */
public final class VectorKernels {
    private VectorKernels() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = S.length();

    /** y[i] += x[i]. x: not modified; y: modified. */
    public static void addInPlace(float[] y, float[] x, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, i).add(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += x[i];
        }
    }

    /** y[i] = alpha * x[i] (+ y[i] when accumulating). x: not modified; y: modified. */
    public static void scale(float alpha, float[] x, float[] y, int n, boolean accumulate) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i).mul(va);
            if (accumulate) {
                v = v.add(FloatVector.fromArray(S, y, i));
            }
            v.intoArray(y, i);
        }
        for (; i < n; i++) {
            float v = alpha * x[i];
            y[i] = accumulate ? y[i] + v : v;
        }
    }

    /** Sum of x[off .. off+n), in an order independent of the vector width ({@link Lanes}). x: not modified. */
    public static float sum(float[] x, int off, int n) {
        return Lanes.sum(x, off, n);
    }

    /** Dot product of x[xo ..) and y[yo ..) over n elements ({@link Lanes}). Not modified. */
    public static float dot(float[] x, int xo, float[] y, int yo, int n) {
        return Lanes.dot(x, xo, y, yo, n);
    }

    /**
     * out[r] (+)= sum of row r of the rows x cols matrix x (row-major). A feature-major dense
     * layer's bias gradient. x: not modified; out: modified.
     */
    public static void rowSums(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            float s = sum(x, r * cols, cols);
            out[r] = accumulate ? out[r] + s : s;
        }
    }

    /**
     * y[at, at + n) = max(x, 0) elementwise, as Math.max: -0 becomes 0 and NaN stays NaN, in the
     * vector body and the scalar tail alike. y: modified (may be x).
     */
    public static void relu(float[] x, float[] y, int at, int n) {
        int i = at;
        int bound = at + S.loopBound(n);
        FloatVector zero = FloatVector.zero(S);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, i).max(zero).intoArray(y, i);
        }
        for (int end = at + n; i < end; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    /** y[at .. at+n) += bias. y: modified. */
    public static void addRowBias(float[] y, int at, float bias, int n) {
        FloatVector vb = FloatVector.broadcast(S, bias);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, at + i).add(vb).intoArray(y, at + i);
        }
        for (; i < n; i++) {
            y[at + i] += bias;
        }
    }

    /** z[i] = x[i] * y[i] (+ z[i] when accumulating). x, y: not modified; z: modified. */
    public static void multiply(float[] x, float[] y, float[] z, int n, boolean accumulate) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i).mul(FloatVector.fromArray(S, y, i));
            if (accumulate) {
                v = v.add(FloatVector.fromArray(S, z, i));
            }
            v.intoArray(z, i);
        }
        for (; i < n; i++) {
            float v = x[i] * y[i];
            z[i] = accumulate ? z[i] + v : v;
        }
    }

    /** True if every x[i], i in [0, n), is finite. */
    public static boolean allFinite(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i])) {
                return false;
            }
        }
        return true;
    }
}
