package org.relume.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor: a shape and a row-major array.
 *
 * <pre>
 *   shape [d0, d1, ..., d(r-1)]          element (i0, ..., i(r-1)) lives at
 *   strides [d1*...*d(r-1), ..., d(r-1), 1]   data[i0*s0 + i1*s1 + ... + i(r-1)]
 *
 *   rank 2, [rows, cols]:   data[r * cols + c]
 *   rank 4, [N, C, H, W]:   data[((n * C + c) * H + h) * W + w]
 * </pre>
 *
 * <p>The array may be longer than {@link #numel()}: a buffer sized for the largest batch is reused
 * for a smaller one by {@link #reshapeInPlace}. Kernels therefore always use {@code numel()} and
 * never {@code data().length}.
 *
 * <p>Dense layers keep activations <em>feature-major</em>, [features, batch], so that the batch is
 * the contiguous, vectorized dimension even when a layer has only one to three units. Data sets
 * and user-facing predictions are sample-major, [samples, features].
 */
public final class Tensor {
    private int[] shape;
    private float[] data;
    private int numel;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
        this.numel = checkedNumel(shape);
        if (data.length < numel) {
            throw new IllegalArgumentException("data of length " + data.length + " is too short for shape "
                    + Arrays.toString(shape) + " (" + numel + " elements)");
        }
    }

    /** A new zero tensor of the given shape. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(s, new float[checkedNumel(s)]);
    }

    /** Wraps {@code data} (not copied) with the given shape; data must hold at least numel values. */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(shape.clone(), data);
    }

    /** A copy of {@code data} with the given shape; the length must match exactly. */
    public static Tensor of(float[] data, int... shape) {
        int n = checkedNumel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("got " + data.length + " values for shape "
                    + Arrays.toString(shape) + ", which needs " + n);
        }
        return new Tensor(shape.clone(), data.clone());
    }

    /** A rank-2 tensor from rows of equal length. */
    public static Tensor ofRows(float[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length
                        + " values, expected " + c + " like row 0");
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Tensor(new int[] {r, c}, d);
    }

    public static Tensor scalar(float value) {
        return new Tensor(new int[0], new float[] {value});
    }

    static int checkedNumel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large for one array");
            }
        }
        return (int) n;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + shapeString());
        }
        return shape[axis];
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape array itself, for the engine's allocation-free paths; never modify it. */
    int[] shapeRef() {
        return shape;
    }

    public int numel() {
        return numel;
    }

    /** The backing array; only the first {@link #numel()} values belong to this tensor. */
    public float[] data() {
        return data;
    }

    /** Rows of a rank-2 tensor. */
    public int rows() {
        requireRank(2);
        return shape[0];
    }

    /** Columns of a rank-2 tensor. */
    public int cols() {
        requireRank(2);
        return shape[1];
    }

    public float get(int i) {
        requireRank(1);
        checkIndex(0, i);
        return data[i];
    }

    public float get(int r, int c) {
        requireRank(2);
        checkIndex(0, r);
        checkIndex(1, c);
        return data[r * shape[1] + c];
    }

    public void set(int r, int c, float v) {
        requireRank(2);
        checkIndex(0, r);
        checkIndex(1, c);
        data[r * shape[1] + c] = v;
    }

    public void set(int i, float v) {
        requireRank(1);
        checkIndex(0, i);
        data[i] = v;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, shape is " + shapeString());
        }
        return data[0];
    }

    private void checkIndex(int axis, int i) {
        if (i < 0 || i >= shape[axis]) {
            throw new IndexOutOfBoundsException("index " + i + " out of range for axis " + axis
                    + " of shape " + shapeString());
        }
    }

    public void requireRank(int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("expected a rank-" + rank + " tensor, got shape " + shapeString());
        }
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /**
     * Gives this tensor a new rank-2 shape, reusing the array when it is large enough. Returns this.
     * Contents are unspecified afterwards.
     */
    public Tensor reshapeInPlace(int d0, int d1) {
        if (shape.length == 2 && shape[0] == d0 && shape[1] == d1) {
            return this;
        }
        return reshapeInPlace(new int[] {d0, d1});
    }

    /** Gives this tensor a new shape, reusing the array when it is large enough. Returns this. */
    public Tensor reshapeInPlace(int[] newShape) {
        if (Arrays.equals(shape, newShape)) {
            return this;
        }
        int n = checkedNumel(newShape);
        if (data.length < n) {
            data = new float[n];
        }
        shape = newShape.clone();
        numel = n;
        return this;
    }

    /** A view with another shape of the same element count, sharing the array. */
    public Tensor view(int... newShape) {
        int n = checkedNumel(newShape);
        if (n != numel) {
            throw new IllegalArgumentException("cannot view shape " + shapeString() + " (" + numel
                    + " elements) as " + Arrays.toString(newShape) + " (" + n + " elements)");
        }
        return new Tensor(newShape.clone(), data);
    }

    public Tensor copy() {
        return new Tensor(shape.clone(), Arrays.copyOf(data, numel));
    }

    /** Copies the values of {@code src}, which must have the same shape. Returns this. */
    public Tensor copyFrom(Tensor src) {
        if (!sameShape(src)) {
            throw new IllegalArgumentException("cannot copy a tensor of shape " + src.shapeString()
                    + " into one of shape " + shapeString());
        }
        System.arraycopy(src.data, 0, data, 0, numel);
        return this;
    }

    public Tensor fill(float v) {
        Arrays.fill(data, 0, numel, v);
        return this;
    }

    /** A new tensor holding the transpose of this rank-2 tensor. */
    public Tensor transpose() {
        int r = rows();
        int c = cols();
        float[] t = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = data[i * c + j];
            }
        }
        return new Tensor(new int[] {c, r}, t);
    }

    /** The first numel values as a new array. */
    public float[] toArray() {
        return Arrays.copyOf(data, numel);
    }

    public boolean allFinite() {
        for (int i = 0; i < numel; i++) {
            if (!Float.isFinite(data[i])) {
                return false;
            }
        }
        return true;
    }

    /** Largest absolute elementwise difference to a tensor of the same shape. */
    public float maxAbsDifference(Tensor other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException("shapes differ: " + shapeString() + " vs " + other.shapeString());
        }
        float m = 0f;
        for (int i = 0; i < numel; i++) {
            m = Math.max(m, Math.abs(data[i] - other.data[i]));
        }
        return m;
    }

    /** Exact equality of shape and every value (bitwise for NaN-free data). */
    public boolean identical(Tensor other) {
        if (!sameShape(other)) {
            return false;
        }
        for (int i = 0; i < numel; i++) {
            if (Float.floatToIntBits(data[i]) != Float.floatToIntBits(other.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shapeString()).append(' ');
        int shown = Math.min(numel, 8);
        sb.append('[');
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (numel > shown) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
