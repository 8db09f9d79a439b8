package org.relume.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.relume.tensor.Tensor;

/**
 * The 1-D regression targets of the compositional-networks experiment (REFERENCES.md §2): x^3
 * and x^11 (convex on [0, 1], fitted by subtracting waves), tanh(3x) and sin(pi x / 2) (concave,
 * fitted by adding them), and x^2, the limit Yarotsky's construction reaches with all peaks at 1/2.
 *
 * <p>Targets are addressed by a short name so that a command line, a results row and a test all
 * say the same thing ("curve:x3"). The experiment's grid is 500 evenly spaced points on [0, 1], ends
 * included.
 */
public final class Curves {
    /** Points in the paper's grid. */
    public static final int DEFAULT_SAMPLES = 500;
    /** Left end of the paper's grid (included). */
    public static final double DEFAULT_LO = 0.0;
    /** Right end of the paper's grid (included). */
    public static final double DEFAULT_HI = 1.0;

    private static final Map<String, DoubleUnaryOperator> CURVES = new LinkedHashMap<>();

    static {
        CURVES.put("x3", x -> x * x * x);
        CURVES.put("x11", x -> Math.pow(x, 11));
        CURVES.put("tanh3", x -> Math.tanh(3 * x));
        CURVES.put("sin", x -> Math.sin(Math.PI * x / 2));
        CURVES.put("x2", x -> x * x);
    }

    private Curves() {}

    /** The known names, in a fixed order: x3, x11, tanh3, sin, x2. */
    public static List<String> names() {
        return List.copyOf(CURVES.keySet());
    }

    /** The target {@code name} at {@code x}, in double precision. */
    public static double value(String name, double x) {
        return curve(name).applyAsDouble(x);
    }

    /** The paper's grid: {@link #DEFAULT_SAMPLES} points on [{@link #DEFAULT_LO}, {@link #DEFAULT_HI}]. */
    public static Dataset generate(String name) {
        return generate(name, DEFAULT_SAMPLES, DEFAULT_LO, DEFAULT_HI);
    }

    /**
     * {@code n} evenly spaced points on [lo, hi], both ends included (numpy's linspace), as a
     * regression set named "curve:NAME" with features and targets of shape [n, 1], in grid order.
     */
    public static Dataset generate(String name, int n, double lo, double hi) {
        return sample("curve:" + name, curve(name), n, lo, hi);
    }

    /**
     * Any function {@code f} on {@code n} evenly spaced points of [lo, hi] (the same grid as
     * {@link #generate(String, int, double, double)}), as a regression set called {@code dataName}:
     * how {@code fn:EXPR} data are made.
     *
     * @throws IllegalArgumentException for a bad grid, or when f is not finite at a grid point
     */
    public static Dataset sample(String dataName, DoubleUnaryOperator f, int n, double lo, double hi) {
        if (n < 1) {
            throw new IllegalArgumentException(dataName + ": need at least 1 point, got n = " + n);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException(dataName + ": the interval needs finite ends with lo < hi, got lo = "
                    + lo + ", hi = " + hi);
        }
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) Linspace.point(lo, hi, n, i);
        }
        return tabulate(dataName, f, xs);
    }

    /**
     * The target on a grid the caller chooses; {@code xs} is copied, not kept.
     * Targets are computed from the float inputs the network will actually see, not from the
     * double grid they were rounded from, so that a perfect fit has zero error.
     */
    public static Dataset fromGrid(String name, float[] xs) {
        return tabulate("curve:" + name, curve(name), xs);
    }

    private static Dataset tabulate(String dataName, DoubleUnaryOperator f, float[] xs) {
        float[] features = xs.clone();
        float[] targets = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException(dataName + ": grid point " + i + " is " + features[i]
                        + ", expected a finite number");
            }
            targets[i] = (float) f.applyAsDouble(features[i]);
            if (!Float.isFinite(targets[i])) {
                throw new IllegalArgumentException(dataName + ": the value at x = " + features[i] + " (point " + (i + 1)
                        + " of " + features.length + ") is " + f.applyAsDouble(features[i]) + " in float32; choose lo and hi"
                        + " where it is finite");
            }
        }
        int n = features.length;
        return Dataset.regression(dataName, Tensor.wrap(features, n, 1), Tensor.wrap(targets, n, 1));
    }

    private static DoubleUnaryOperator curve(String name) {
        DoubleUnaryOperator f = name == null ? null : CURVES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown curve '" + name + "'; known curves: "
                    + String.join(", ", CURVES.keySet()));
        }
        return f;
    }
}
