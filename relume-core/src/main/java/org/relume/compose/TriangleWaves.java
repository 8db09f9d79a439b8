package org.relume.compose;

/**
 * Triangle waves and their scaled sums, the closed form behind compositional networks
 * (Milkert, Hyde, Laine, eqs. 1-3 and 5; REFERENCES.md §2):
 * <pre>
 *   T_a(x) = x / a for x &lt;= a, (1 - x) / (1 - a) for x &gt; a            (a triangle with peak a on [0, 1])
 *   W_0 = T_{a_0}(x),  W_i = T_{a_i}(W_{i-1}(x))                          (composed waves; W_i has 2^(i+1) pieces)
 *   y(x) = x + sigma * sum_{i=0}^{d-1} s_i W_i(x)                          (sigma = +1 added, -1 subtracted)
 *   eq. 5:  s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}                            (the output becomes differentiable in the limit)
 *   [R] s_0 = (1 - a_0) a_1 (added waves),  s_0 = a_0 a_1 (subtracted waves)
 * </pre>
 * A depth-d network uses peaks a_0..a_d: the last, a_d, only enters through the scale s_{d-1}.
 * With every a_i = 1/2 and subtracted waves, s_i = 4^-(i+1) and y is Yarotsky's approximation of
 * x^2, with maximal error 4^-(d+1).
 */
public final class TriangleWaves {
    private TriangleWaves() {}

    /** Whether the waves are added to the line y = x (concave targets) or subtracted from it (convex targets). */
    public enum Sign {
        ADDED(1), SUBTRACTED(-1);

        private final int sigma;

        Sign(int sigma) {
            this.sigma = sigma;
        }

        public int sigma() {
            return sigma;
        }
    }

    /** T_a(x) on [0, 1]. */
    public static double triangle(double a, double x) {
        return x <= a ? x / a : (1 - x) / (1 - a);
    }

    /** W_i(x): the first i + 1 peaks composed. */
    public static double wave(double[] peaks, int i, double x) {
        double w = x;
        for (int k = 0; k <= i; k++) {
            w = triangle(peaks[k], w);
        }
        return w;
    }

    /** y(x) = x + sigma sum_{i &lt; scales.length} s_i W_i(x). */
    public static double output(double[] peaks, double[] scales, Sign sign, double x) {
        double y = x;
        double w = x;
        for (int i = 0; i < scales.length; i++) {
            w = triangle(peaks[i], w);
            y += sign.sigma() * scales[i] * w;
        }
        return y;
    }

    /** The [R] first scale: (1 - a_0) a_1 for added waves, a_0 a_1 for subtracted ones. */
    public static double firstScale(double[] peaks, Sign sign) {
        return sign == Sign.ADDED ? (1 - peaks[0]) * peaks[1] : peaks[0] * peaks[1];
    }

    /** The eq. 5 scales s_0..s_{d-1} for peaks a_0..a_d, starting from {@code s0}. */
    public static double[] enforcedScales(double[] peaks, double s0) {
        int d = peaks.length - 1;
        if (d < 1) {
            throw new IllegalArgumentException("need at least two peaks (a depth-1 network uses a_0 and a_1), got " + peaks.length);
        }
        double[] s = new double[d];
        s[0] = s0;
        for (int i = 0; i + 1 < d; i++) {
            s[i + 1] = s[i] * (1 - peaks[i + 1]) * peaks[i + 2];
        }
        return s;
    }

    /** The eq. 5 scales with the [R] first scale. */
    public static double[] enforcedScales(double[] peaks, Sign sign) {
        return enforcedScales(peaks, firstScale(peaks, sign));
    }

    /** Checks that every peak lies strictly inside (0, 1). */
    public static void checkPeaks(double[] peaks) {
        for (int i = 0; i < peaks.length; i++) {
            if (!(peaks[i] > 0 && peaks[i] < 1)) {
                throw new IllegalArgumentException("peak a_" + i + " = " + peaks[i] + " must lie strictly inside (0, 1)");
            }
        }
    }
}
