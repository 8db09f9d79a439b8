package org.relume.geometry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The degenerate parametrizations of a shallow ReLU net that prevent inverse stability (Berner,
 * Elbrächter, Grohs, Section 2.2 and conditions C.1-C.3 of Corollary 1.4 and Theorem 3.1):
 * <ul>
 *   <li><b>C.1 unbalanced</b> neurons. Neuron i is <em>balanced</em> when
 *       | ||c_i||_inf - ||a_i||_inf | &lt;= tol * max(||c_i||_inf, ||a_i||_inf) (the paper's
 *       ||a_i||_inf = ||c_i||_inf up to a relative tolerance; a neuron with a_i = 0 and c_i = 0 is
 *       balanced). Each unbalanced neuron is reported with its ratio ||c_i||_inf / ||a_i||_inf
 *       (infinite if a_i = 0); a ratio of 0 or infinity is the "complete unbalancedness" of
 *       Example 2.2, which no rescaling repairs.</li>
 *   <li><b>C.2 redundant</b> pairs: non-zero a_i, a_j that are positively parallel,
 *       || a_i / ||a_i||_2 - a_j / ||a_j||_2 ||_2 &lt;= tol, reported with mu = ||a_j||_inf / ||a_i||_inf
 *       (a_j = mu a_i), Example 2.3.</li>
 *   <li><b>C.3 opposite</b> pairs: a_j = -mu a_i with mu &gt; 0, i.e.
 *       || a_i / ||a_i||_2 + a_j / ||a_j||_2 ||_2 &lt;= tol, Examples 2.4 and 2.5.</li>
 *   <li><b>dead</b> neurons, whose output relu(&lt;a_i, x&gt; + b_i) is 0: on the data when data are
 *       given (&lt;= 0 for every sample, as {@link UnitPointStates} counts), else everywhere, which for a
 *       bias-free neuron means a_i = 0 (for a biased one, a_i = 0 and b_i &lt;= 0). The two notions
 *       differ: a trained unit is often dead on the data and alive elsewhere, and only a unit dead
 *       everywhere can be removed without changing the function, so the report always carries the
 *       dead-everywhere units too and its summary names which notion each count uses.</li>
 *   <li><b>constant</b> neurons, whose contribution c_i relu(...) is constant: c_i = 0, or a_i = 0
 *       (a constant relu(b_i)), or dead on the data when data are given. Dead neurons are constant.</li>
 * </ul>
 * A biased net x -&gt; C relu(Ax + b) + e is analyzed through its directions (a_i, b_i), the
 * quantities that rescaling and merging act on ({@link BiasedShallowNet#augmented()}).
 */
public final class Degeneracies {
    private Degeneracies() {}

    /** The default relative tolerance of every test above. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    /** An unbalanced neuron: ||c_i||_inf, ||a_i||_inf and their ratio. */
    public record Unbalanced(int neuron, double outputNorm, double directionNorm, double ratio) {}

    /** A pair of neurons with a_second = +-mu a_first (up to the tolerance). */
    public record Pair(int first, int second, double mu) {}

    /**
     * Everything found in one net.
     *
     * @param neurons    m
     * @param tolerance  the relative tolerance used
     * @param samples    the number of data samples the dead/constant tests used (0: no data)
     * @param unbalanced C.1
     * @param redundant  C.2
     * @param opposite   C.3
     * @param dead       indices of dead neurons: on the data when {@code samples > 0}, else everywhere
     * @param constant   indices of constant neurons (dead ones included)
     * @param deadEverywhere indices of neurons dead on every input (a_i = 0, b_i &lt;= 0), data or not
     */
    public record Report(int neurons, double tolerance, int samples, List<Unbalanced> unbalanced, List<Pair> redundant,
                         List<Pair> opposite, int[] dead, int[] constant, int[] deadEverywhere) {

        public boolean balanced() {
            return unbalanced.isEmpty();
        }

        /** True if nothing of C.1, C.2, C.3 or dead/constant neurons was found. */
        public boolean clean() {
            return unbalanced.isEmpty() && redundant.isEmpty() && opposite.isEmpty() && dead.length == 0 && constant.length == 0;
        }

        public String summary() {
            String deadPart = samples > 0
                    ? String.format(Locale.ROOT, "%d dead on the data (%d samples; %d dead everywhere)", dead.length, samples,
                            deadEverywhere.length)
                    : String.format(Locale.ROOT, "%d dead everywhere (zero incoming weights, no positive bias)", dead.length);
            return String.format(Locale.ROOT, "%d neurons: %d unbalanced (C.1), %d redundant pairs (C.2), %d opposite pairs "
                    + "(C.3), %s, %d constant%s", neurons, unbalanced.size(), redundant.size(), opposite.size(), deadPart,
                    constant.length, samples > 0 ? " on the data" : "");
        }

        /** What {@link #dead} counts, in words. */
        public String deadMeans() {
            return samples > 0 ? "never active on any of the " + samples + " data samples"
                    : "never active on any input (zero incoming weights and no positive bias)";
        }

        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("neurons", neurons);
            m.put("tolerance", tolerance);
            m.put("data_samples", samples);
            m.put("balanced", balanced());
            List<Map<String, Object>> u = new ArrayList<>();
            for (Unbalanced x : unbalanced) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("neuron", x.neuron());
                e.put("c_norm_inf", x.outputNorm());
                e.put("a_norm_inf", x.directionNorm());
                e.put("ratio", Double.isInfinite(x.ratio()) ? "inf" : x.ratio());
                u.add(e);
            }
            m.put("unbalanced", u);
            m.put("redundant_pairs", pairs(redundant));
            m.put("opposite_pairs", pairs(opposite));
            m.put("dead", dead);
            m.put("dead_means", deadMeans());
            m.put("dead_everywhere", deadEverywhere);
            m.put("constant", constant);
            return m;
        }

        private static List<Map<String, Object>> pairs(List<Pair> ps) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Pair p : ps) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("i", p.first());
                e.put("j", p.second());
                e.put("mu", p.mu());
                out.add(e);
            }
            return out;
        }
    }

    public static Report of(ShallowNet net) {
        return of(net, DEFAULT_TOLERANCE, null);
    }

    /**
     * The degeneracies of a bias-free net.
     *
     * @param data samples [n][d] for the dead/constant tests, or null for the data-free tests
     */
    public static Report of(ShallowNet net, double tolerance, double[][] data) {
        return analyze(net, new double[net.neurons()], false, tolerance, data);
    }

    /** The degeneracies of a biased net, through its directions (a_i, b_i). */
    public static Report of(BiasedShallowNet net, double tolerance, double[][] data) {
        double[] b = new double[net.neurons()];
        for (int i = 0; i < b.length; i++) {
            b[i] = net.b(i);
        }
        ShallowNet aug = net.augmented();
        if (data != null) {
            double[][] lifted = new double[data.length][];
            for (int s = 0; s < data.length; s++) {
                if (data[s].length != net.inputs()) {
                    throw new IllegalArgumentException("sample " + s + " has " + data[s].length + " features, the net takes "
                            + net.inputs());
                }
                lifted[s] = new double[net.inputs() + 1];
                System.arraycopy(data[s], 0, lifted[s], 0, net.inputs());
                lifted[s][net.inputs()] = 1;
            }
            data = lifted;
        }
        return analyze(aug, b, true, tolerance, data);
    }

    private static Report analyze(ShallowNet net, double[] bias, boolean biased, double tol, double[][] data) {
        if (!(tol >= 0) || !Double.isFinite(tol)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0, got " + tol);
        }
        int m = net.neurons();
        // With a bias the direction is (a_i, b_i): "a_i = 0" means its first d coordinates vanish.
        int d = biased ? net.inputs() - 1 : net.inputs();
        List<Unbalanced> unbalanced = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double cn = ShallowNet.normInf(net.c(i));
            double an = ShallowNet.normInf(net.a(i));
            if (!isBalanced(an, cn, tol)) {
                unbalanced.add(new Unbalanced(i, cn, an, an == 0 ? Double.POSITIVE_INFINITY : cn / an));
            }
        }
        List<Pair> redundant = new ArrayList<>();
        List<Pair> opposite = new ArrayList<>();
        parallelPairs(net, tol, redundant, opposite);
        List<Integer> dead = new ArrayList<>();
        List<Integer> deadEverywhere = new ArrayList<>();
        List<Integer> constant = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double[] ai = net.a(i);
            boolean zeroA = true;
            for (int k = 0; k < d; k++) {
                zeroA &= ai[k] == 0;
            }
            if (zeroA && bias[i] <= 0) {
                deadEverywhere.add(i);
            }
            boolean isDead;
            if (data != null) {
                isDead = true;
                for (double[] x : data) {
                    if (net.preactivation(i, x) > 0) {
                        isDead = false;
                        break;
                    }
                }
            } else {
                isDead = zeroA && bias[i] <= 0;
            }
            boolean zeroC = ShallowNet.normInf(net.c(i)) == 0;
            if (isDead) {
                dead.add(i);
            }
            if (isDead || zeroA || zeroC) {
                constant.add(i);
            }
        }
        return new Report(m, tol, data == null ? 0 : data.length, List.copyOf(unbalanced), List.copyOf(redundant),
                List.copyOf(opposite), toArray(dead), toArray(constant), toArray(deadEverywhere));
    }

    /** C.2 and C.3: the pairs of non-zero directions that are positively or negatively parallel. */
    private static void parallelPairs(ShallowNet net, double tol, List<Pair> redundant, List<Pair> opposite) {
        int m = net.neurons();
        for (int i = 0; i < m; i++) {
            double[] ai = net.a(i);
            if (ShallowNet.normInf(ai) == 0) {
                continue;
            }
            for (int j = i + 1; j < m; j++) {
                double[] aj = net.a(j);
                if (ShallowNet.normInf(aj) == 0) {
                    continue;
                }
                double mu = ShallowNet.normInf(aj) / ShallowNet.normInf(ai);
                if (redundant(ai, aj, tol)) {
                    redundant.add(new Pair(i, j, mu));
                } else if (opposite(ai, aj, tol)) {
                    opposite.add(new Pair(i, j, mu));
                }
            }
        }
    }

    /** C.1 for one neuron: ||c_i||_inf == ||a_i||_inf up to {@code tol} relative. */
    public static boolean isBalanced(double directionNorm, double outputNorm, double tol) {
        return Math.abs(outputNorm - directionNorm) <= tol * Math.max(outputNorm, directionNorm);
    }

    /** C.2: non-zero u, v positively parallel (unit vectors within {@code tol} in the 2-norm). */
    public static boolean redundant(double[] u, double[] v, double tol) {
        return unitDistance(u, v, 1) <= tol;
    }

    /** C.3: non-zero u, v pointing in opposite directions (unit vectors within {@code tol} of each other's negative). */
    public static boolean opposite(double[] u, double[] v, double tol) {
        return unitDistance(u, v, -1) <= tol;
    }

    private static double unitDistance(double[] u, double[] v, double sign) {
        double nu = ShallowNet.norm2(u);
        double nv = ShallowNet.norm2(v);
        if (nu == 0 || nv == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            double diff = u[k] / nu - sign * v[k] / nv;
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    /**
     * Membership in the restricted space N*_(d,m,D) of Definition 3.2: every neuron balanced, no
     * redundant pair, and the last two coordinates of every a_i strictly positive.
     */
    public static boolean inRestrictedSpace(ShallowNet net, double tol) {
        if (net.inputs() < 2) {
            return false;
        }
        Report r = of(net, tol, null);
        if (!r.unbalanced().isEmpty() || !r.redundant().isEmpty()) {
            return false;
        }
        int d = net.inputs();
        for (int i = 0; i < net.neurons(); i++) {
            if (!(net.a(i, d - 2) > 0 && net.a(i, d - 1) > 0)) {
                return false;
            }
        }
        return true;
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
