package org.relume.geometry;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The uniform norm ||R(Theta)||_{L_inf([-r, r]^d)} of a shallow bias-free ReLU net, the
 * realization distance in which inverse stability fails (Berner, Elbrächter, Grohs, Section 2.1,
 * Example 2.1 on the domain (-1, 1)^2; the sup over the open box equals the max over the closed
 * one by continuity).
 *
 * <p>Exact by vertex enumeration: the cells of the arrangement intersected with the box are convex
 * polytopes on which the net is linear, so the maximum of each |R_o| is attained at a vertex of
 * one of them. Every such vertex is the solution of d linearly independent equations chosen from
 * the hyperplanes &lt;a_i, x&gt; = 0 and the box facets x_k = +-r, and lies in the box. We solve every
 * such d x d system and evaluate the net at the solutions. The number of systems is
 * C(m + 2d, d); beyond {@link #MAX_SYSTEMS} the norm is estimated from random points of the box
 * (a lower estimate) and says so.
 */
public final class UniformNorm {
    private UniformNorm() {}

    /** Above this many d x d systems the exact enumeration gives way to sampling. */
    public static final long MAX_SYSTEMS = 5_000_000L;

    /** Random points used when the enumeration is too large. */
    public static final int SAMPLES = 200_000;

    /**
     * The norm and how it was found.
     *
     * @param value  max over the box of max_o |R(x)_o|
     * @param exact  true if found by vertex enumeration
     * @param points vertices (exact) or random points (sampled) evaluated
     */
    public record Estimate(double value, boolean exact, int points) {}

    /** ||R(net)||_inf on [-r, r]^d. */
    public static Estimate onBox(ShallowNet net, double r) {
        if (!(r > 0) || !Double.isFinite(r)) {
            throw new IllegalArgumentException("the box half-width must be a positive number, got " + r);
        }
        int d = net.inputs();
        List<double[]> planes = new ArrayList<>();
        for (int i = 0; i < net.neurons(); i++) {
            if (ShallowNet.normInf(net.a(i)) > 0) {
                planes.add(net.a(i));
            }
        }
        int constraints = planes.size() + 2 * d;
        if (binomial(constraints, d) > MAX_SYSTEMS) {
            return sampled(net, r, SAMPLES, SobolevSeminorm.DEFAULT_SEED);
        }
        // Constraint k < planes.size(): <a_k, x> = 0; else facet (k - planes) / 2 at sign +-r.
        double[][] rows = new double[constraints][];
        double[] rhs = new double[constraints];
        for (int k = 0; k < planes.size(); k++) {
            rows[k] = planes.get(k);
        }
        for (int j = 0; j < d; j++) {
            for (int s = 0; s < 2; s++) {
                int k = planes.size() + 2 * j + s;
                rows[k] = new double[d];
                rows[k][j] = 1;
                rhs[k] = s == 0 ? r : -r;
            }
        }
        int[] pick = new int[d];
        for (int i = 0; i < d; i++) {
            pick[i] = i;
        }
        double best = 0;
        int evaluated = 0;
        double[][] system = new double[d][d + 1];
        double[] x = new double[d];
        double slack = r * (1 + 1e-12);
        while (true) {
            for (int i = 0; i < d; i++) {
                System.arraycopy(rows[pick[i]], 0, system[i], 0, d);
                system[i][d] = rhs[pick[i]];
            }
            if (solve(system, x) && inBox(x, slack)) {
                evaluated++;
                best = Math.max(best, ShallowNet.normInf(net.realize(x)));
            }
            if (!next(pick, constraints)) {
                break;
            }
        }
        return new Estimate(best, true, evaluated);
    }

    /** A lower estimate from random points uniform in [-r, r]^d. */
    public static Estimate sampled(ShallowNet net, double r, int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = net.inputs();
        double[] x = new double[d];
        double best = 0;
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < d; k++) {
                x[k] = r * (2 * random.nextDouble() - 1);
            }
            best = Math.max(best, ShallowNet.normInf(net.realize(x)));
        }
        return new Estimate(best, false, samples);
    }

    private static boolean inBox(double[] x, double r) {
        for (double v : x) {
            if (!(Math.abs(v) <= r)) {
                return false;
            }
        }
        return true;
    }

    /** Gaussian elimination with partial pivoting on [M | rhs]; false if M is (numerically) singular. */
    private static boolean solve(double[][] m, double[] x) {
        int d = x.length;
        for (int col = 0; col < d; col++) {
            int pivot = col;
            for (int row = col + 1; row < d; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double scale = 0;
            for (int k = 0; k < d; k++) {
                scale = Math.max(scale, Math.abs(m[pivot][k]));
            }
            if (scale == 0 || Math.abs(m[pivot][col]) <= 1e-13 * scale) {
                return false;
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            for (int row = col + 1; row < d; row++) {
                double f = m[row][col] / m[col][col];
                for (int k = col; k <= d; k++) {
                    m[row][k] -= f * m[col][k];
                }
            }
        }
        for (int row = d - 1; row >= 0; row--) {
            double s = m[row][d];
            for (int k = row + 1; k < d; k++) {
                s -= m[row][k] * x[k];
            }
            x[row] = s / m[row][row];
        }
        return true;
    }

    /** Advances {@code pick} to the next d-subset of 0..n-1 in lexicographic order. */
    private static boolean next(int[] pick, int n) {
        int d = pick.length;
        int i = d - 1;
        while (i >= 0 && pick[i] == n - d + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        pick[i]++;
        for (int j = i + 1; j < d; j++) {
            pick[j] = pick[j - 1] + 1;
        }
        return true;
    }

    static long binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        double v = 1;
        for (int i = 1; i <= k; i++) {
            v = v * (n - k + i) / i;
            if (v > Long.MAX_VALUE / 2.0) {
                return Long.MAX_VALUE;
            }
        }
        return Math.round(v);
    }
}
