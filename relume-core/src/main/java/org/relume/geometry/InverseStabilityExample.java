package org.relume.geometry;

import java.util.Locale;

/**
 * The degenerate parametrizations of Berner, Elbrächter, Grohs, Examples 2.1-2.5, by name, each as
 * the pair (Theta_k, Gamma_k) the paper compares for k = 1, 2, ...: Theta_k is the natural
 * parametrization of the example's g_k (its R(Theta_k) = g_k) and Gamma_k the reference net
 * (constant in k except in Example 2.5). As k grows the realizations come together (or stay at a
 * fixed distance) while the parameters do not, which is the failure of inverse stability.
 *
 * <p>Each constant also states the paper's claim and our hand computation of the distances, which
 * the tests compare with the exact computation:
 * <ul>
 *   <li>2.1 exploding gradient: Gamma = 0 in N_(2,2,1),
 *       g_k(x) = k relu(&lt;(k, 0), x&gt;) - k relu(&lt;(k, -1/k^2), x&gt;). On (-1, 1)^2, sup |g_k| = 1/k: where
 *       both neurons are on g_k = x_2 / k, and the regions where one is on are wedges at most 1/k^3 wide.
 *       The gradient there is (k^2, 0), so |g_k|_{W1,inf} = k^2.</li>
 *   <li>2.2 complete unbalancedness: Gamma = ((r, 0), 0) in N_(2,1,1) with r = 1/2 (the paper's
 *       Figure 2), g_k = (1/k) relu(&lt;(0, 1), x&gt;), Theta_k = ((0, 1), 1/k).</li>
 *   <li>2.3 redundant directions: Gamma = ([(1, 0), (1, 0)], (1, 1)) in N_(2,2,1),
 *       g_k = 2 relu(&lt;(1, 0), x&gt;) + (1/k) relu(&lt;(0, 1), x&gt;), Theta_k = ([(1, 0), (0, 1)], (2, 1/k)).</li>
 *   <li>2.4 opposite directions 1: a_1 = (1, -1/2), a_2 = (-1, -1/2), a_3 = (0, 1) (the paper's Figure
 *       4; pairwise independent, ||a_i||_inf = 1, sum 0), Gamma = ([a_1 | a_2 | a_3 | -a_1 | -a_2 | -a_3],
 *       (1, 1, 1, -1, -1, -1)) in N_(2,6,1), whose realization sum_i &lt;a_i, x&gt; is 0;
 *       g_k = (1/k) relu(&lt;v, x&gt;) with v = (1, 0), Theta_k = ([v | 0 | 0 | 0 | 0 | 0], (1/k, 0, ..., 0)).</li>
 *   <li>2.5 opposite directions 2: a_1 = (k, k, 1/k), a_2 = (-k, k, 1/k), a_3 = (0, -sqrt(2) k, 1/(sqrt(2) k)),
 *       c = (k, k, sqrt(2) k); Gamma_k = ([a_1 | a_2 | a_3], c), Theta_k = ([-a_1 | -a_2 | -a_3], c) in
 *       N_(3,3,1). R(Theta_k) - R(Gamma_k) = -&lt;sum_i c_i a_i, x&gt; = -3 x_3, so both distances are 3
 *       for every k, while the parameters are 2 sqrt(2) k apart.</li>
 * </ul>
 */
public enum InverseStabilityExample {
    EXPLODING_GRADIENT("2.1", "exploding-gradient") {
        @Override
        public Instance instance(int k) {
            double kk = checkK(k);
            ShallowNet theta = new ShallowNet(new double[][] {{kk, 0}, {kk, -1 / (kk * kk)}}, new double[][] {{kk}, {-kk}});
            ShallowNet gamma = new ShallowNet(new double[][] {{0, 0}, {0, 0}}, new double[][] {{0}, {0}});
            return new Instance(this, k, theta, gamma);
        }

        @Override public double handUniformDistance(int k) { return 1.0 / k; }

        @Override public double handSobolevDistance(int k) { return (double) k * k; }

        @Override public double paperSobolevDistance(int k) { return Double.NaN; }

        @Override public double paperParameterLowerBound(int k) { return Double.NaN; }

        @Override
        public String paperClaim() {
            return "||R(Phi_k) - R(Gamma)||_{L_inf((-1,1)^2)} -> 0 and ||Phi_k - Gamma||_inf -> infinity for every Phi_k with R(Phi_k) = g_k";
        }
    },
    COMPLETE_UNBALANCEDNESS("2.2", "complete-unbalancedness") {
        @Override
        public Instance instance(int k) {
            double kk = checkK(k);
            ShallowNet theta = new ShallowNet(new double[][] {{0, 1}}, new double[][] {{1 / kk}});
            ShallowNet gamma = new ShallowNet(new double[][] {{R, 0}}, new double[][] {{0}});
            return new Instance(this, k, theta, gamma);
        }

        @Override public double handUniformDistance(int k) { return 1.0 / k; }

        @Override public double handSobolevDistance(int k) { return 1.0 / k; }

        @Override public double paperSobolevDistance(int k) { return 1.0 / k; }

        @Override public double paperParameterLowerBound(int k) { return R; }

        @Override
        public String paperClaim() {
            return "|R(Phi_k) - R(Gamma)|_{W1,inf} = 1/k and ||Phi_k - Gamma||_inf >= r (r = 1/2 here)";
        }
    },
    REDUNDANT_DIRECTIONS("2.3", "redundant-directions") {
        @Override
        public Instance instance(int k) {
            double kk = checkK(k);
            ShallowNet theta = new ShallowNet(new double[][] {{1, 0}, {0, 1}}, new double[][] {{2}, {1 / kk}});
            ShallowNet gamma = new ShallowNet(new double[][] {{1, 0}, {1, 0}}, new double[][] {{1}, {1}});
            return new Instance(this, k, theta, gamma);
        }

        @Override public double handUniformDistance(int k) { return 1.0 / k; }

        @Override public double handSobolevDistance(int k) { return 1.0 / k; }

        @Override public double paperSobolevDistance(int k) { return 1.0 / k; }

        @Override public double paperParameterLowerBound(int k) { return 1; }

        @Override
        public String paperClaim() {
            return "|R(Phi_k) - R(Gamma)|_{W1,inf} = 1/k and ||Phi_k - Gamma||_inf >= 1";
        }
    },
    OPPOSITE_DIRECTIONS_1("2.4", "opposite-directions-1") {
        @Override
        public Instance instance(int k) {
            double kk = checkK(k);
            double[][] a = {{1, -0.5}, {-1, -0.5}, {0, 1}};
            double[][] ga = new double[6][];
            double[][] gc = new double[6][];
            for (int i = 0; i < 3; i++) {
                ga[i] = a[i].clone();
                ga[i + 3] = new double[] {-a[i][0], -a[i][1]};
                gc[i] = new double[] {1};
                gc[i + 3] = new double[] {-1};
            }
            double[][] ta = new double[6][2];
            double[][] tc = new double[6][1];
            ta[0] = new double[] {1, 0};
            tc[0][0] = 1 / kk;
            return new Instance(this, k, new ShallowNet(ta, tc), new ShallowNet(ga, gc));
        }

        @Override public double handUniformDistance(int k) { return 1.0 / k; }

        @Override public double handSobolevDistance(int k) { return 1.0 / k; }

        @Override public double paperSobolevDistance(int k) { return 1.0 / k; }

        @Override public double paperParameterLowerBound(int k) { return Double.NaN; }

        @Override
        public String paperClaim() {
            return "|R(Phi_k) - R(Gamma)|_{W1,inf} = 1/k and ||Phi_k - Gamma||_inf >= C for a constant C > 0 (not given)";
        }
    },
    OPPOSITE_DIRECTIONS_2("2.5", "opposite-directions-2") {
        @Override
        public Instance instance(int k) {
            double kk = checkK(k);
            double s = Math.sqrt(2);
            double[][] a = {{kk, kk, 1 / kk}, {-kk, kk, 1 / kk}, {0, -s * kk, 1 / (s * kk)}};
            double[][] c = {{kk}, {kk}, {s * kk}};
            double[][] neg = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int q = 0; q < 3; q++) {
                    neg[i][q] = -a[i][q];
                }
            }
            return new Instance(this, k, new ShallowNet(neg, c), new ShallowNet(a, c));
        }

        @Override public double handUniformDistance(int k) { return 3; }

        @Override public double handSobolevDistance(int k) { return 3; }

        @Override public double paperSobolevDistance(int k) { return 3; }

        @Override public double paperParameterLowerBound(int k) { return k; }

        @Override
        public String paperClaim() {
            return "|R(Phi_k) - R(Gamma_k)|_{W1,inf} = 3 and ||Phi_k - Gamma_k||_inf >= k for every Phi_k with R(Phi_k) = R(Theta_k)";
        }
    };

    /** Example 2.2's r: the paper's Figure 2 uses 0.5. */
    public static final double R = 0.5;

    private final String number;
    private final String id;

    InverseStabilityExample(String number, String id) {
        this.number = number;
        this.id = id;
    }

    /** The paper's number, e.g. {@code 2.3}. */
    public String number() {
        return number;
    }

    /** The name used on the command line and in results, e.g. {@code redundant-directions}. */
    public String id() {
        return id;
    }

    /** (Theta_k, Gamma_k), k &gt;= 1: Theta_k realizes the example's g_k (R(Theta_k) in Example 2.5). */
    public abstract Instance instance(int k);

    /** Our hand computation of sup over (-1, 1)^d of |R(Theta_k) - R(Gamma_k)|. */
    public abstract double handUniformDistance(int k);

    /** Our hand computation of |R(Theta_k) - R(Gamma_k)|_{W1,inf}. */
    public abstract double handSobolevDistance(int k);

    /** The Sobolev distance the paper states, or NaN where it states none. */
    public abstract double paperSobolevDistance(int k);

    /** The paper's lower bound on ||Phi_k - Gamma_k||_inf over all reparametrizations Phi_k, or NaN where it gives no number. */
    public abstract double paperParameterLowerBound(int k);

    /** The paper's statement, in words. */
    public abstract String paperClaim();

    /** One example at one k. */
    public record Instance(InverseStabilityExample example, int k, ShallowNet theta, ShallowNet gamma) {
        /** ||Theta_k - Gamma_k||_inf. */
        public double parameterDistance() {
            return theta.parameterDistance(gamma);
        }

        /** |R(Theta_k) - R(Gamma_k)|_{W1,inf}, exact (d &lt;= 3). */
        public SobolevSeminorm.Estimate sobolevDistance() {
            return SobolevSeminorm.distance(theta, gamma);
        }

        /** sup over the paper's domain (-1, 1)^d of |R(Theta_k) - R(Gamma_k)|, exact. */
        public UniformNorm.Estimate uniformDistance() {
            return UniformNorm.onBox(theta.minus(gamma), 1);
        }
    }

    private static double checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the examples are indexed by k >= 1, got " + k);
        }
        return k;
    }

    /** The example called {@code name}: its id ({@code redundant-directions}) or number ({@code 2.3}). */
    public static InverseStabilityExample byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (InverseStabilityExample e : values()) {
            if (e.id.equals(n) || e.number.equals(n)) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (InverseStabilityExample e : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(e.number).append(' ').append(e.id);
        }
        throw new IllegalArgumentException("unknown example '" + name + "'; known: " + known);
    }
}
