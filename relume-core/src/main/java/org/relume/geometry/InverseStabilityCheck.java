package org.relume.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checks Theorem 3.3 of Berner, Elbrächter, Grohs (uniform (4, 1/2) inverse stability on the
 * restricted space): for Gamma in N*_(d,m,D) and g in R(N*_(d,m,D)) there is Phi in N* with
 * R(Phi) = g and ||Phi - Gamma||_inf &lt;= 4 |g - R(Gamma)|_{W1,inf}^(1/2), on random instances where
 * such a Phi can be computed.
 *
 * <p>How an instance is built (all draws from one seed per instance):
 * <ol>
 *   <li>Gamma: m neurons in R^d (d = 2 or 3, so that the semi-norm is exact); the first d - 2
 *       coordinates of a_i uniform in [-1, 1], the last two uniform in [0.2, 1.2] (so positive);
 *       c_i uniform in [-1, 1]^D; each neuron then rebalanced and scaled to the norm
 *       ||a_i||_inf = ||c_i||_inf = s_i, s_i log-uniform in [0.01, 1]. Redrawn until it is in N*.</li>
 *   <li>g = R(Theta) for Theta in N*: either a <em>perturbation</em> of Gamma (every entry of A and C
 *       plus delta times a uniform draw from [-1, 1], the last two coordinates reflected to stay
 *       positive, then rebalanced) or an <em>unrelated</em> net drawn like Gamma. Theta's neurons are
 *       then shuffled by a random permutation, so that finding Phi requires matching.</li>
 *   <li>Phi: the permutation of Theta's neurons nearest to Gamma in ||.||_inf, found exactly as a
 *       bottleneck assignment (the smallest threshold t for which neurons closer than t admit a
 *       perfect matching, by bisection over the sorted pairwise distances and augmenting paths).
 *       Phi is in N* and R(Phi) = g. For generic g in R(N*) the reparametrizations in N* are
 *       exactly these permutations: every neuron of N* has its own kink hyperplane (no two a_i are
 *       positively parallel, and opposite ones would violate the positive last coordinates), the
 *       jump of the gradient across it fixes c_i a_i^T, and balance fixes the split into a_i and
 *       c_i. So this Phi is the best one the theorem could mean.</li>
 *   <li>|g - R(Gamma)|_{W1,inf} exactly (difference net, d &lt;= 3), and the test
 *       ||Phi - Gamma||_inf &lt;= 4 sqrt(that) (with 1e-12 relative slack for rounding).</li>
 * </ol>
 */
public final class InverseStabilityCheck {
    private InverseStabilityCheck() {}

    /** The perturbation sizes of the perturbed instances; {@link #UNRELATED} marks independent nets. */
    public static final double[] DELTAS = {1, 0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4};

    /** The delta recorded for an unrelated g. */
    public static final double UNRELATED = Double.POSITIVE_INFINITY;

    /**
     * One checked instance.
     *
     * @param parameterDistance   ||Phi - Gamma||_inf (Phi matched)
     * @param unmatchedDistance   ||Theta - Gamma||_inf for the shuffled Theta, before matching
     * @param sobolevDistance     |g - R(Gamma)|_{W1,inf}, exact
     * @param bound               4 sqrt(sobolevDistance)
     */
    public record Instance(int index, int d, int neurons, int outputs, double delta, double parameterDistance,
                           double unmatchedDistance, double sobolevDistance, double bound, boolean holds) {
        /** ||Phi - Gamma|| / bound: at most 1 when the theorem's bound holds. */
        public double ratio() {
            return bound == 0 ? (parameterDistance == 0 ? 0 : Double.POSITIVE_INFINITY) : parameterDistance / bound;
        }

        public String mode() {
            return Double.isInfinite(delta) ? "unrelated" : String.format(Locale.ROOT, "perturbed %.0e", delta);
        }
    }

    /**
     * {@code count} instances from {@code seed}: instance i uses seed + i, d = 2 + (i mod 2), m in
     * 1..8, D in 1..3, and cycles through the perturbation sizes and the unrelated case.
     */
    public static List<Instance> run(int count, long seed) {
        return run(0, count, seed);
    }

    /** Instances {@code from} .. {@code from + count - 1} of {@link #run(int, long)}'s sequence. */
    public static List<Instance> run(int from, int count, long seed) {
        List<Instance> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            SplittableRandom r = new SplittableRandom(seed + i);
            int d = 2 + i % 2;
            int m = 1 + r.nextInt(8);
            int outputs = 1 + r.nextInt(3);
            int mode = i % (DELTAS.length + 1);
            double delta = mode < DELTAS.length ? DELTAS[mode] : UNRELATED;
            out.add(instance(i, r, d, m, outputs, delta));
        }
        return out;
    }

    /** One instance (see the class comment). */
    public static Instance instance(int index, SplittableRandom r, int d, int m, int outputs, double delta) {
        if (d < 2 || d > 3) {
            throw new IllegalArgumentException("instances use d = 2 or 3 (N* needs two positive coordinates, exactness d <= 3)");
        }
        ShallowNet gamma = restrictedNet(r, d, m, outputs);
        ShallowNet theta = Double.isInfinite(delta) ? restrictedNet(r, d, m, outputs) : perturb(r, gamma, delta);
        int[] perm = permutation(r, m);
        ShallowNet shuffled = theta.select(perm);
        ShallowNet phi = shuffled.select(bottleneckAssignment(gamma, shuffled));
        double dist = phi.parameterDistance(gamma);
        double sobolev = SobolevSeminorm.exact(shuffled.minus(gamma)).value();
        double bound = 4 * Math.sqrt(sobolev);
        boolean holds = dist <= bound * (1 + 1e-12) + 1e-15;
        return new Instance(index, d, m, outputs, delta, dist, shuffled.parameterDistance(gamma), sobolev, bound, holds);
    }

    /** A random net in N*_(d,m,D) with neuron norms log-uniform in [0.01, 1] (see the class comment). */
    static ShallowNet restrictedNet(SplittableRandom r, int d, int m, int outputs) {
        while (true) {
            double[][] a = new double[m][d];
            double[][] c = new double[m][outputs];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < d - 2; k++) {
                    a[i][k] = 2 * r.nextDouble() - 1;
                }
                a[i][d - 2] = 0.2 + r.nextDouble();
                a[i][d - 1] = 0.2 + r.nextDouble();
                for (int o = 0; o < outputs; o++) {
                    c[i][o] = 2 * r.nextDouble() - 1;
                }
                if (ShallowNet.normInf(c[i]) < 0.05) {
                    c[i][0] = 0.5;
                }
                double scale = Math.pow(10, -2 * r.nextDouble());
                double an = ShallowNet.normInf(a[i]);
                double cn = ShallowNet.normInf(c[i]);
                for (int k = 0; k < d; k++) {
                    a[i][k] *= scale / an;
                }
                for (int o = 0; o < outputs; o++) {
                    c[i][o] *= scale / cn;
                }
            }
            ShallowNet net = new ShallowNet(a, c);
            if (Degeneracies.inRestrictedSpace(net, 1e-9)) {
                return net;
            }
        }
    }

    private static ShallowNet perturb(SplittableRandom r, ShallowNet gamma, double delta) {
        int d = gamma.inputs();
        while (true) {
            double[][] a = gamma.directions();
            double[][] c = gamma.outputVectors();
            boolean positive = true;
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < d; k++) {
                    a[i][k] += delta * (2 * r.nextDouble() - 1);
                    if (k >= d - 2) {
                        a[i][k] = Math.abs(a[i][k]); // reflect to stay in N*; moves the entry no further from Gamma's
                    }
                }
                for (int o = 0; o < c[i].length; o++) {
                    c[i][o] += delta * (2 * r.nextDouble() - 1);
                }
                positive &= a[i][d - 2] > 0 && a[i][d - 1] > 0 && ShallowNet.normInf(c[i]) > 0;
            }
            if (!positive) {
                continue;
            }
            Canonicalization.rebalanceInPlace(a, c);
            ShallowNet net = new ShallowNet(a, c);
            if (Degeneracies.inRestrictedSpace(net, 1e-9)) {
                return net;
            }
        }
    }

    private static int[] permutation(SplittableRandom r, int m) {
        int[] p = new int[m];
        for (int i = 0; i < m; i++) {
            p[i] = i;
        }
        for (int i = m - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * The order of {@code theta}'s neurons that minimizes max_i dist(gamma_i, theta_order[i]), where
     * dist is the largest absolute difference of the two neurons' entries: result[i] is the neuron of
     * theta matched to neuron i of gamma.
     */
    public static int[] bottleneckAssignment(ShallowNet gamma, ShallowNet theta) {
        int m = gamma.neurons();
        if (theta.neurons() != m) {
            throw new IllegalArgumentException("matching needs the same number of neurons: " + m + " and " + theta.neurons());
        }
        double[][] cost = new double[m][m];
        double[] values = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double c = 0;
                for (int k = 0; k < gamma.inputs(); k++) {
                    c = Math.max(c, Math.abs(gamma.a(i, k) - theta.a(j, k)));
                }
                for (int o = 0; o < gamma.outputs(); o++) {
                    c = Math.max(c, Math.abs(gamma.c(i, o) - theta.c(j, o)));
                }
                cost[i][j] = c;
                values[i * m + j] = c;
            }
        }
        Arrays.sort(values);
        int lo = 0;
        int hi = values.length - 1; // the largest threshold always admits a perfect matching
        int[] best = match(cost, values[hi]);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int[] found = match(cost, values[mid]);
            if (found != null) {
                best = found;
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int[] result = match(cost, values[lo]);
        return result != null ? result : best;
    }

    /** A perfect matching using only pairs with cost &lt;= t (augmenting paths), or null if none exists. */
    private static int[] match(double[][] cost, double t) {
        int m = cost.length;
        int[] ownerOf = new int[m];
        Arrays.fill(ownerOf, -1);
        for (int i = 0; i < m; i++) {
            if (!augment(i, cost, t, ownerOf, new boolean[m])) {
                return null;
            }
        }
        int[] result = new int[m];
        for (int j = 0; j < m; j++) {
            result[ownerOf[j]] = j;
        }
        return result;
    }

    private static boolean augment(int i, double[][] cost, double t, int[] ownerOf, boolean[] seen) {
        for (int j = 0; j < cost.length; j++) {
            if (cost[i][j] <= t && !seen[j]) {
                seen[j] = true;
                if (ownerOf[j] < 0 || augment(ownerOf[j], cost, t, ownerOf, seen)) {
                    ownerOf[j] = i;
                    return true;
                }
            }
        }
        return false;
    }
}
