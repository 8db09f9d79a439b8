package org.relume.geometry;

import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Sobolev semi-norm |R(Theta)|_{W1,inf} of a shallow ReLU net (Berner, Elbrächter, Grohs,
 * eqs. 6 and 21): the ess sup over x of the largest absolute entry of the Jacobian
 * sum_{i : &lt;a_i, x&gt; &gt; 0} c_i a_i^T. The Jacobian is constant on each activation region, so the
 * ess sup is a maximum over the regions that have positive measure.
 *
 * <ul>
 *   <li><b>Exact</b> for input dimension d &lt;= 3: the regions are the cells of the central
 *       arrangement of the a_i, enumerated by {@link CentralArrangement}. For a bias-free net the
 *       semi-norm does not depend on the domain U as long as U contains a neighbourhood of 0
 *       (the paper's remark after eq. 21).</li>
 *   <li><b>Sampled</b> otherwise: random directions, uniform on the sphere. The net is positively
 *       homogeneous, so every region is a cone and meets the sphere in a set of positive measure;
 *       the estimate is a maximum over a subset of the regions and can only be lower than the
 *       truth. The method and the number of samples are part of the result.</li>
 * </ul>
 * A difference |R(Theta) - R(Gamma)|_{W1,inf} is the semi-norm of one net, {@link ShallowNet#minus}.
 *
 * <p>Biased nets x -&gt; C relu(Ax + b) + e are handled over all of R^d through their augmented
 * view: the regions of the affine arrangement in R^d are the cells of the central arrangement of
 * the (a_i, b_i) and of e_{d+1} that lie in the half-space x_{d+1} &gt; 0 (scale a point of such a cell
 * to x_{d+1} = 1). So they are exact for d &lt;= 2, and the Jacobian is the first d columns of the
 * augmented one.
 */
public final class SobolevSeminorm {
    private SobolevSeminorm() {}

    /** Above this many neurons the exact 3-D enumeration (about m^3 work) gives way to sampling. */
    public static final int MAX_EXACT_NEURONS_3D = 400;

    /** Above this many neurons the exact 1-D and 2-D enumerations give way to sampling. */
    public static final int MAX_EXACT_NEURONS_2D = 100_000;

    /** Sampling budget: about this many multiply-adds, spread over at most {@link #MAX_SAMPLES} directions. */
    public static final double SAMPLING_WORK = 2e8;

    public static final int MIN_SAMPLES = 2_000;

    public static final int MAX_SAMPLES = 100_000;

    /** The fixed seed of {@link #of}'s sampling, so that reports are repeatable. */
    public static final long DEFAULT_SEED = 20191208L;

    /**
     * The semi-norm and how it was obtained.
     *
     * @param value   the semi-norm (exact, or the sampled lower estimate)
     * @param exact   true if every region was enumerated
     * @param regions exact: the number of regions; sampled: the number of distinct patterns seen
     * @param samples sampled: the number of random directions; exact: 0
     * @param method  one line saying how
     */
    public record Estimate(double value, boolean exact, int regions, int samples, String method) {
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", value);
            m.put("exact", exact);
            m.put("regions", regions);
            if (!exact) {
                m.put("samples", samples);
            }
            m.put("method", method);
            return m;
        }
    }

    /** Exact when the input dimension allows it (d &lt;= 3), else sampled with the default budget. */
    public static Estimate of(ShallowNet net) {
        if (canBeExact(net.inputs(), net.neurons())) {
            return exact(net);
        }
        return sampled(net, defaultSamples(net), DEFAULT_SEED);
    }

    /** |R(theta) - R(gamma)|_{W1,inf}, exact for d &lt;= 3. */
    public static Estimate distance(ShallowNet theta, ShallowNet gamma) {
        return of(theta.minus(gamma));
    }

    static boolean canBeExact(int d, int neurons) {
        return d <= 2 && neurons <= MAX_EXACT_NEURONS_2D || d == 3 && neurons <= MAX_EXACT_NEURONS_3D;
    }

    /** The sample count {@link #of} uses: about {@link #SAMPLING_WORK} multiply-adds, within [2,000, 100,000]. */
    public static int defaultSamples(ShallowNet net) {
        double perSample = (double) net.neurons() * net.inputs() * (net.outputs() + 1);
        return (int) Math.max(MIN_SAMPLES, Math.min(MAX_SAMPLES, SAMPLING_WORK / Math.max(1, perSample)));
    }

    /** The exact semi-norm by region enumeration; d must be 1, 2 or 3. */
    public static Estimate exact(ShallowNet net) {
        List<boolean[]> cells = CentralArrangement.cells(net.directions(), net.inputs());
        double best = 0;
        for (boolean[] active : cells) {
            best = Math.max(best, ShallowNet.maxAbs(net.jacobian(active)));
        }
        return new Estimate(best, true, cells.size(), 0,
                "exact: maximum over all " + cells.size() + " activation regions (central arrangement in R^" + net.inputs() + ")");
    }

    /** The sampled lower estimate over {@code samples} directions uniform on the sphere. */
    public static Estimate sampled(ShallowNet net, int samples, long seed) {
        if (samples <= 0) {
            throw new IllegalArgumentException("need a positive number of samples, got " + samples);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int d = net.inputs();
        int m = net.neurons();
        double[] x = new double[d];
        boolean[] active = new boolean[m];
        Set<BitSet> seen = new HashSet<>();
        double best = 0;
        for (int s = 0; s < samples; s++) {
            gaussian(r, x);
            BitSet key = new BitSet(m);
            for (int i = 0; i < m; i++) {
                active[i] = net.preactivation(i, x) > 0;
                if (active[i]) {
                    key.set(i);
                }
            }
            if (seen.add(key)) {
                best = Math.max(best, ShallowNet.maxAbs(net.jacobian(active)));
            }
        }
        return new Estimate(best, false, seen.size(), samples, "sampled: " + samples
                + " random directions uniform on the unit sphere of R^" + d + " (seed " + seed + "); a lower estimate");
    }

    /** Fills x with independent standard normals (a uniform direction once normalized; sign tests need no normalizing). */
    static void gaussian(SplittableRandom r, double[] x) {
        for (int k = 0; k < x.length; k++) {
            // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
            double u = 1 - r.nextDouble();
            double v = r.nextDouble();
            x[k] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }

    /** |R|_{W1,inf} over R^d of a biased shallow net: exact for d &lt;= 2, else sampled. */
    public static Estimate of(BiasedShallowNet net) {
        if (canBeExact(net.inputs() + 1, net.neurons() + 1)) {
            return exact(net);
        }
        ShallowNet aug = net.augmented();
        return sampled(net, defaultSamples(aug), DEFAULT_SEED);
    }

    /** The exact semi-norm of a biased net over R^d, d &lt;= 2 (see the class comment). */
    public static Estimate exact(BiasedShallowNet net) {
        int d = net.inputs();
        ShallowNet aug = net.augmented();
        double[][] normals = new double[aug.neurons() + 1][];
        for (int i = 0; i < aug.neurons(); i++) {
            normals[i] = aug.a(i);
        }
        normals[aug.neurons()] = new double[d + 1];
        normals[aug.neurons()][d] = 1; // the half-space x_{d+1} > 0 holds the affine slice x_{d+1} = 1
        List<boolean[]> cells = CentralArrangement.cells(normals, d + 1);
        double best = 0;
        int regions = 0;
        boolean[] active = new boolean[aug.neurons()];
        for (boolean[] cell : cells) {
            if (!cell[aug.neurons()]) {
                continue;
            }
            regions++;
            System.arraycopy(cell, 0, active, 0, active.length);
            best = Math.max(best, maxAbsFirstColumns(aug.jacobian(active), d));
        }
        return new Estimate(best, true, regions, 0, "exact: maximum over all " + regions
                + " activation regions of the affine arrangement in R^" + d + " (via the central arrangement in R^" + (d + 1) + ")");
    }

    /**
     * The sampled lower estimate for a biased net: random directions of R^(d+1) with the last
     * coordinate made positive, i.e. random points (y / y_{d+1}) of the slice x_{d+1} = 1. Every
     * region of R^d is a cone there with positive measure on the half-sphere.
     */
    public static Estimate sampled(BiasedShallowNet net, int samples, long seed) {
        if (samples <= 0) {
            throw new IllegalArgumentException("need a positive number of samples, got " + samples);
        }
        ShallowNet aug = net.augmented();
        int d = net.inputs();
        SplittableRandom r = new SplittableRandom(seed);
        double[] y = new double[d + 1];
        boolean[] active = new boolean[aug.neurons()];
        Set<BitSet> seen = new HashSet<>();
        double best = 0;
        for (int s = 0; s < samples; s++) {
            gaussian(r, y);
            y[d] = Math.abs(y[d]);
            BitSet key = new BitSet(active.length);
            for (int i = 0; i < active.length; i++) {
                active[i] = aug.preactivation(i, y) > 0;
                if (active[i]) {
                    key.set(i);
                }
            }
            if (seen.add(key)) {
                best = Math.max(best, maxAbsFirstColumns(aug.jacobian(active), d));
            }
        }
        return new Estimate(best, false, seen.size(), samples, "sampled: " + samples + " random directions of the upper "
                + "half-sphere of R^" + (d + 1) + ", i.e. random points of R^" + d + " (seed " + seed + "); a lower estimate");
    }

    private static double maxAbsFirstColumns(double[][] j, int columns) {
        double best = 0;
        for (double[] row : j) {
            for (int k = 0; k < columns; k++) {
                best = Math.max(best, Math.abs(row[k]));
            }
        }
        return best;
    }
}
