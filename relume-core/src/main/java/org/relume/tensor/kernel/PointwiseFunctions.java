package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise functions behind Relume's activations: relu (with a chosen derivative at 0),
 * leaky relu, sigmoid, tanh, softplus, softsign, elu, swish (x * sigmoid(x)) and identity.
 *
 * <p>The derivative of relu at 0 matters in this field: GradMax's new neurons start with
 * preactivation exactly 0 and only move if relu'(0) = 1 (REFERENCES.md §4.1), while the usual
 * convention (PyTorch, Keras) is relu'(0) = 0.
 */
public final class PointwiseFunctions {
    /**
     * Gradients below this are dropped where relu passes them back. Through a deep thin net the
     * backward signal can shrink into float's subnormal range, where x86 takes a microcode assist
     * per operation (Java cannot set flush-to-zero): a width-25 net of depth 100 trained 9 times
     * slower per step than one of depth 50. A preactivation gradient below 1e-30 moves no float32
     * weight: Adam amplifies a gradient by at most 1/eps = 1e8, SGD not at all.
     */
    public static final float TINY_GRADIENT = 1e-30f;

    private PointwiseFunctions() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;

    public static final PointwiseFunction IDENTITY = new Identity();

    /** relu with relu'(0) = {@code gradAtZero}; only 0 and 1 are meaningful choices. */
    public static PointwiseFunction relu(float gradAtZero) {
        if (gradAtZero != 0f && gradAtZero != 1f) {
            throw new IllegalArgumentException("relu's derivative at 0 must be 0 or 1, got " + gradAtZero);
        }
        return new Relu(gradAtZero);
    }

    /** True for relu (either derivative at 0): its forward is max(x, 0), which products can fuse. */
    public static boolean isRelu(PointwiseFunction f) {
        return f instanceof Relu;
    }

    public static PointwiseFunction leakyRelu(float negativeSlope) {
        if (!(negativeSlope >= 0f) || negativeSlope >= 1f) {
            throw new IllegalArgumentException("leaky relu's negative slope must be in [0, 1), got " + negativeSlope);
        }
        return new LeakyRelu(negativeSlope);
    }

    public static PointwiseFunction elu(float alpha) {
        if (!(alpha > 0f)) {
            throw new IllegalArgumentException("elu's alpha must be positive, got " + alpha);
        }
        return new Elu(alpha);
    }

    public static final PointwiseFunction SIGMOID = new Scalar("sigmoid") {
        @Override public double value(double x) { return sigmoid(x); }
        @Override public double derivative(double x) { double s = sigmoid(x); return s * (1 - s); }
        /**
         * Vectorized with {@link FastExp}: a scalar Math.exp per element made sigmoid layers cost more
         * than their matrix products. The tail runs the same float operations one lane at a time, so
         * an element's value does not depend on whether it fell in a vector or in the tail.
         */
        @Override public void forward(float[] x, float[] y, int from, int to) {
            int i = from;
            int bound = from + S.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (; i < bound; i += S.length()) {
                FloatVector e = FastExp.exp(FloatVector.fromArray(S, x, i).neg());
                one.div(e.add(1f)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = 1f / (FastExp.exp(-x[i]) + 1f);
            }
        }
        @Override public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, boolean acc) {
            for (int i = from; i < to; i++) {
                float g = dy[i] * y[i] * (1f - y[i]);
                dx[i] = acc ? dx[i] + g : g;
            }
        }
    };

    public static final PointwiseFunction TANH = new Scalar("tanh") {
        @Override public double value(double x) { return Math.tanh(x); }
        @Override public double derivative(double x) { double t = Math.tanh(x); return 1 - t * t; }
        @Override public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, boolean acc) {
            for (int i = from; i < to; i++) {
                float g = dy[i] * (1f - y[i] * y[i]);
                dx[i] = acc ? dx[i] + g : g;
            }
        }
    };

    /** log(1 + e^x), computed without overflow as max(x, 0) + log1p(e^-|x|). */
    public static final PointwiseFunction SOFTPLUS = new Scalar("softplus") {
        @Override public double value(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }
        @Override public double derivative(double x) { return sigmoid(x); }
    };

    public static final PointwiseFunction SOFTSIGN = new Scalar("softsign") {
        @Override public double value(double x) { return x / (1 + Math.abs(x)); }
        @Override public double derivative(double x) { double d = 1 + Math.abs(x); return 1 / (d * d); }
    };

    /** x * sigmoid(x), also called SiLU. */
    public static final PointwiseFunction SWISH = new Scalar("swish") {
        @Override public double value(double x) { return x * sigmoid(x); }
        @Override public double derivative(double x) { double s = sigmoid(x); return s + x * s * (1 - s); }
    };

    /** Numerically stable logistic function. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    private abstract static class Scalar implements PointwiseFunction {
        private final String name;

        Scalar(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }

        @Override public String toString() { return name; }
    }

    private static final class Identity extends Scalar {
        Identity() { super("identity"); }

        @Override public double value(double x) { return x; }

        @Override public double derivative(double x) { return 1; }

        @Override public boolean isIdentity() { return true; }

        @Override public void forward(float[] x, float[] y, int from, int to) {
            if (x != y) {
                System.arraycopy(x, from, y, from, to - from);
            }
        }

        @Override public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, boolean acc) {
            if (!acc) {
                System.arraycopy(dy, from, dx, from, to - from);
            } else {
                for (int i = from; i < to; i++) {
                    dx[i] += dy[i];
                }
            }
        }
    }

    private static final class Relu extends Scalar {
        private final float gradAtZero;

        Relu(float gradAtZero) {
            super("relu");
            this.gradAtZero = gradAtZero;
        }

        float gradAtZero() { return gradAtZero; }

        @Override public double value(double x) { return Math.max(x, 0); }

        @Override public double derivative(double x) { return x > 0 ? 1 : x < 0 ? 0 : gradAtZero; }

        @Override public void forward(float[] x, float[] y, int from, int to) {
            VectorKernels.relu(x, y, from, to - from);
        }

        @Override public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, boolean acc) {
            // Units on (x > 0, or x >= 0 when relu'(0) = 1) pass the gradient through unchanged. The
            // comparison operator must be a constant at each call site: with a variable one, C2 loses
            // the Vector API intrinsic once it has seen both values, and every mask gets boxed.
            boolean passAtZero = gradAtZero == 1f;
            int i = from;
            int bound = from + S.loopBound(to - from);
            FloatVector zero = FloatVector.zero(S);
            if (passAtZero) {
                for (; i < bound; i += S.length()) {
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    VectorMask<Float> m = FloatVector.fromArray(S, x, i).compare(VectorOperators.GE, 0f)
                            .and(d.abs().compare(VectorOperators.GE, TINY_GRADIENT));
                    FloatVector g = zero.blend(d, m);
                    if (acc) {
                        g = g.add(FloatVector.fromArray(S, dx, i));
                    }
                    g.intoArray(dx, i);
                }
            } else {
                for (; i < bound; i += S.length()) {
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    VectorMask<Float> m = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)
                            .and(d.abs().compare(VectorOperators.GE, TINY_GRADIENT));
                    FloatVector g = zero.blend(d, m);
                    if (acc) {
                        g = g.add(FloatVector.fromArray(S, dx, i));
                    }
                    g.intoArray(dx, i);
                }
            }
            for (; i < to; i++) {
                float xi = x[i];
                float g = (xi > 0f || (passAtZero && xi == 0f)) && Math.abs(dy[i]) >= TINY_GRADIENT ? dy[i] : 0f;
                dx[i] = acc ? dx[i] + g : g;
            }
        }

        @Override public boolean equals(Object o) {
            return o instanceof Relu r && r.gradAtZero == gradAtZero;
        }

        @Override public int hashCode() { return Float.hashCode(gradAtZero); }

        @Override public String toString() { return "relu(grad_at_zero=" + gradAtZero + ")"; }
    }

    private static final class LeakyRelu extends Scalar {
        private final float slope;

        LeakyRelu(float slope) {
            super("leaky_relu");
            this.slope = slope;
        }

        @Override public double value(double x) { return x > 0 ? x : slope * x; }

        @Override public double derivative(double x) { return x > 0 ? 1 : slope; }

        @Override public void forward(float[] x, float[] y, int from, int to) {
            for (int i = from; i < to; i++) {
                float v = x[i];
                y[i] = v > 0f ? v : slope * v;
            }
        }

        @Override public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, boolean acc) {
            for (int i = from; i < to; i++) {
                float g = x[i] > 0f ? dy[i] : slope * dy[i];
                dx[i] = acc ? dx[i] + g : g;
            }
        }

        @Override public boolean equals(Object o) { return o instanceof LeakyRelu l && l.slope == slope; }

        @Override public int hashCode() { return Float.hashCode(slope); }

        @Override public String toString() { return "leaky_relu(negative_slope=" + slope + ")"; }
    }

    private static final class Elu extends Scalar {
        private final float alpha;

        Elu(float alpha) {
            super("elu");
            this.alpha = alpha;
        }

        @Override public double value(double x) { return x > 0 ? x : alpha * Math.expm1(x); }

        @Override public double derivative(double x) { return x > 0 ? 1 : alpha * Math.exp(x); }

        @Override public boolean equals(Object o) { return o instanceof Elu e && e.alpha == alpha; }

        @Override public int hashCode() { return Float.hashCode(alpha); }

        @Override public String toString() { return "elu(alpha=" + alpha + ")"; }
    }

    /** Parameters of a function, for describing it in a model file; empty for parameterless ones. */
    public static java.util.Map<String, Float> parameters(PointwiseFunction f) {
        if (f instanceof Relu r) {
            return java.util.Map.of("grad_at_zero", r.gradAtZero());
        }
        if (f instanceof LeakyRelu l) {
            return java.util.Map.of("negative_slope", l.slope);
        }
        if (f instanceof Elu e) {
            return java.util.Map.of("alpha", e.alpha);
        }
        return java.util.Map.of();
    }
}
