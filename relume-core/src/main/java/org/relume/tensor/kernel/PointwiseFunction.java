package org.relume.tensor.kernel;

/**
 * A scalar function applied elementwise, with its derivative: the math behind every activation.
 *
 * <p>{@link #value} and {@link #derivative} are the definitions, in double, and are what the
 * gradient checks test. The bulk float methods are the fast paths; the default bodies follow the
 * definitions and implementations may vectorize them.
 */
public interface PointwiseFunction {

    /** A short name, as used on the command line and in model files, e.g. {@code relu}. */
    String name();

    double value(double x);

    /**
     * f'(x). Where f has a kink (relu at 0) this returns the chosen one-sided value, and the choice
     * is part of the function's identity (see {@link PointwiseFunctions#relu(float)}).
     */
    double derivative(double x);

    /** y[i] = f(x[i]) for i in [0, n). x: not modified; y: modified (may alias x). */
    default void forward(float[] x, float[] y, int n) {
        forward(x, y, 0, n);
    }

    /**
     * y[i] = f(x[i]) for i in [from, to): the part of a large array one core takes. Every element
     * is computed on its own, so a split changes no result.
     */
    default void forward(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) value(x[i]);
        }
    }

    /**
     * dx[i] = dy[i] * f'(x[i]), or {@code +=} when accumulating. y holds f(x) for functions whose
     * derivative is cheaper from the output. x, y, dy: not modified; dx: modified.
     */
    default void backward(float[] x, float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        backward(x, y, dy, dx, 0, n, accumulate);
    }

    /** As {@link #backward(float[], float[], float[], float[], int, boolean)} over [from, to). */
    default void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, boolean accumulate) {
        for (int i = from; i < to; i++) {
            float g = (float) (dy[i] * derivative(x[i]));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /** True if f(x) = x everywhere, so layers may skip the elementwise pass. */
    default boolean isIdentity() {
        return false;
    }
}
