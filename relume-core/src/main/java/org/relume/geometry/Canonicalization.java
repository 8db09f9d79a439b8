package org.relume.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * Function-preserving canonical forms of shallow ReLU nets (Berner, Elbrächter, Grohs, Section 3
 * and Appendix A.3): each operation returns a <em>new</em> net and checks, before returning, that
 * it computes the same function as the original on {@link #CHECK_INPUTS} random inputs (an
 * {@link IllegalStateException} otherwise).
 * <ul>
 *   <li><b>rebalance</b>: (a_i, c_i) -&gt; (lambda a_i, c_i / lambda) with
 *       lambda = sqrt(||c_i||_inf / ||a_i||_inf), so that ||lambda a_i||_inf = ||c_i / lambda||_inf
 *       (positive homogeneity of relu; the paper's remark after Theorem 3.1). Neurons with a_i = 0
 *       or c_i = 0 cannot be balanced by scaling and are left as they are.</li>
 *   <li><b>merge</b> redundant neurons [R] (the paper's eq. 87, not in our copy of the text): if
 *       a_j = mu a_i with mu &gt; 0 then c_i relu(&lt;a_i, x&gt;) + c_j relu(&lt;a_j, x&gt;) = (c_i + mu c_j)
 *       relu(&lt;a_i, x&gt;), so c_i &lt;- c_i + (||a_j||_inf / ||a_i||_inf) c_j and j is dropped. Pairs are
 *       found with {@link Degeneracies#redundant}; each neuron merges into the first neuron of its
 *       direction.</li>
 *   <li><b>drop dead</b>: neurons that contribute nothing anywhere (c_i = 0, or a_i = 0 without a
 *       positive bias) are removed; a biased neuron with a_i = 0 and b_i &gt; 0 is the constant
 *       c_i b_i and is folded into the output bias e.</li>
 *   <li><b>restricted</b> (Lemma A.6 [R, verified]): a biased net x -&gt; C relu(Ax + b) + e with m
 *       neurons becomes a bias-free net in N*_(d+2,m+1,D) that computes the same function on the
 *       inputs (x, 1, -1); see {@link #restricted}.</li>
 * </ul>
 * Biased nets are rebalanced and merged through their directions (a_i, b_i), for which relu is
 * positively homogeneous as well. A net is never left without neurons: if every neuron would be
 * dropped, one zero neuron stays, because a network needs a hidden layer of width at least 1.
 */
public final class Canonicalization {
    private Canonicalization() {}

    /** Random inputs, uniform in [-1, 1]^d, on which every result is compared with its original. */
    public static final int CHECK_INPUTS = 1000;

    /** Seed of those inputs, fixed so that a check can be repeated. */
    public static final long CHECK_SEED = 6L;

    /** Relative difference allowed by the check for exact operations (rounding only). */
    public static final double ROUNDING = 1e-10;

    /**
     * The largest merge tolerance accepted. Neurons whose unit directions differ by tol change the
     * function by O(tol) when merged; beyond 1e-2 that is no longer "the same function".
     */
    public static final double MAX_TOLERANCE = 1e-2;

    static double requireTolerance(double tol) {
        if (!(tol >= 0 && tol <= MAX_TOLERANCE)) {
            throw new IllegalArgumentException("the merge tolerance must be in [0, " + MAX_TOLERANCE + "], got " + tol);
        }
        return tol;
    }

    // ---------------------------------------------------------------- bias-free nets

    /** The rebalanced net (see the class comment). */
    public static ShallowNet rebalance(ShallowNet net) {
        double[][] a = net.directions();
        double[][] c = net.outputVectors();
        rebalanceInPlace(a, c);
        ShallowNet out = new ShallowNet(a, c);
        verify("rebalance", net::realize, out::realize, net.inputs(), tolerance(net, 0));
        return out;
    }

    /** The net with redundant neurons merged, at direction tolerance {@code tol}. */
    public static ShallowNet mergeRedundant(ShallowNet net, double tol) {
        requireTolerance(tol);
        double[][] a = net.directions();
        double[][] c = net.outputVectors();
        boolean[] keep = mergeInPlace(a, c, tol);
        ShallowNet out = new ShallowNet(select(a, keep), select(c, keep));
        verify("merge", net::realize, out::realize, net.inputs(), tolerance(net, tol));
        return out;
    }

    /** The net without neurons whose a_i or c_i is zero (they contribute nothing). */
    public static ShallowNet dropDead(ShallowNet net) {
        boolean[] keep = new boolean[net.neurons()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = ShallowNet.normInf(net.a(i)) > 0 && ShallowNet.normInf(net.c(i)) > 0;
        }
        double[][] a = net.directions();
        double[][] c = net.outputVectors();
        ShallowNet out = anyTrue(keep) ? new ShallowNet(select(a, keep), select(c, keep))
                : new ShallowNet(new double[][] {new double[net.inputs()]}, new double[][] {new double[net.outputs()]});
        verify("drop dead", net::realize, out::realize, net.inputs(), tolerance(net, 0));
        return out;
    }

    // ---------------------------------------------------------------- biased nets

    /** The rebalanced biased net: (a_i, b_i) scaled together. */
    public static BiasedShallowNet rebalance(BiasedShallowNet net) {
        ShallowNet aug = net.augmented();
        double[][] a = aug.directions();
        double[][] c = aug.outputVectors();
        rebalanceInPlace(a, c);
        BiasedShallowNet out = BiasedShallowNet.fromAugmented(new ShallowNet(a, c), net.e(), net.hasHiddenBias(), net.hasOutputBias());
        verify("rebalance", net::realize, out::realize, net.inputs(), tolerance(net, 0));
        return out;
    }

    /** The biased net with neurons whose (a_i, b_i) are positively parallel merged. */
    public static BiasedShallowNet mergeRedundant(BiasedShallowNet net, double tol) {
        requireTolerance(tol);
        ShallowNet aug = net.augmented();
        double[][] a = aug.directions();
        double[][] c = aug.outputVectors();
        boolean[] keep = mergeInPlace(a, c, tol);
        BiasedShallowNet out = BiasedShallowNet.fromAugmented(new ShallowNet(select(a, keep), select(c, keep)), net.e(),
                net.hasHiddenBias(), net.hasOutputBias());
        verify("merge", net::realize, out::realize, net.inputs(), tolerance(net, tol));
        return out;
    }

    /**
     * The biased net without neurons that contribute nothing (c_i = 0; a_i = 0 and b_i &lt;= 0), and
     * with constant neurons (a_i = 0, b_i &gt; 0) folded into e.
     */
    public static BiasedShallowNet dropDead(BiasedShallowNet net) {
        BiasedShallowNet out = dropDeadUnchecked(net);
        verify("drop dead", net::realize, out::realize, net.inputs(), tolerance(net, 0));
        return out;
    }

    private static BiasedShallowNet subset(BiasedShallowNet net, List<Integer> kept, double[] e) {
        int d = net.inputs();
        if (kept.isEmpty()) {
            return new BiasedShallowNet(new double[][] {new double[d]}, new double[1], new double[][] {new double[e.length]},
                    e, net.hasHiddenBias(), net.hasOutputBias());
        }
        double[][] a = new double[kept.size()][];
        double[] b = new double[kept.size()];
        double[][] c = new double[kept.size()][];
        for (int k = 0; k < a.length; k++) {
            a[k] = net.a(kept.get(k));
            b[k] = net.b(kept.get(k));
            c[k] = net.c(kept.get(k));
        }
        return new BiasedShallowNet(a, b, c, e, net.hasHiddenBias(), net.hasOutputBias());
    }

    /**
     * Lemma A.6 [R, verified]: a bias-free net Gamma in N*_(d+2, m+1, D) with
     * R(Gamma)(x, 1, -1) = C relu(Ax + b) + e for all x. Steps:
     * <ol>
     *   <li>drop neurons with c_i = 0 and fold constant neurons (a_i = 0) into e: e += c_i relu(b_i);</li>
     *   <li>merge neurons whose (a_i, b_i) are positively parallel (tolerance {@code tol});</li>
     *   <li>a~_i = (a_i, 1 + max(b_i, 0), 1 + max(-b_i, 0)), since a~_i . (x, 1, -1) = &lt;a_i, x&gt; + b_i;</li>
     *   <li>the bias neuron a~ = (0, ..., 0, 2, 1) with c = e, which is 1 on every input; if e = 0
     *       this slot is left unused instead (c = 0 could not be balanced);</li>
     *   <li>unused slots k = 0, 1, ...: a~ = (0, ..., 0, 1, 2 + k), which is 1 - (2 + k) &lt; 0 on every
     *       input (inactive), with distinct ratios 1 / (2 + k) &lt; 1 &lt; 2, so no two slots and no slot
     *       and bias neuron are parallel; their c = (1, ..., 1) is arbitrary but non-zero, so that
     *       they can be balanced;</li>
     *   <li>rebalance every neuron (the scaling keeps the last two coordinates positive).</li>
     * </ol>
     * Merged neurons have non-parallel (a_i, b_i); then their a~_i are not parallel either (if
     * a~_i = mu a~_j, one of max(b, 0), max(-b, 0) is 0 for each, which forces mu = 1 and a~_i = a~_j),
     * and every survivor has a_i != 0, so it is parallel to no (0, ..., 0, s, t). As a guard against
     * tolerance effects a second merge pass runs on the a~_i. The result is checked against the
     * original on random x.
     */
    public static ShallowNet restricted(BiasedShallowNet net, double tol) {
        requireTolerance(tol);
        int d = net.inputs();
        int outputs = net.outputs();
        int slots = net.neurons() + 1;
        BiasedShallowNet merged = mergeUnchecked(dropDeadUnchecked(net), tol);
        double[] e = merged.e();
        List<double[]> a = new ArrayList<>();
        List<double[]> c = new ArrayList<>();
        for (int i = 0; i < merged.neurons(); i++) {
            double[] ci = merged.c(i);
            if (ShallowNet.normInf(ci) == 0 || ShallowNet.normInf(merged.a(i)) == 0) {
                continue; // a merge cancelled it, or it is the placeholder of an empty net
            }
            double[] ai = new double[d + 2];
            System.arraycopy(merged.a(i), 0, ai, 0, d);
            ai[d] = 1 + Math.max(merged.b(i), 0);
            ai[d + 1] = 1 + Math.max(-merged.b(i), 0);
            a.add(ai);
            c.add(ci);
        }
        if (ShallowNet.normInf(e) > 0) {
            double[] bias = new double[d + 2];
            bias[d] = 2;
            bias[d + 1] = 1;
            a.add(bias);
            c.add(e);
        }
        // Guard: merge again in the lifted space (a no-op unless tolerances interact).
        double[][] la = a.toArray(new double[0][]);
        double[][] lc = c.toArray(new double[0][]);
        if (la.length > 0) {
            boolean[] keep = mergeInPlace(la, lc, tol);
            la = select(la, keep);
            lc = select(lc, keep);
        }
        double[][] fa = Arrays.copyOf(la, slots);
        double[][] fc = Arrays.copyOf(lc, slots);
        for (int k = 0; la.length + k < slots; k++) {
            double[] slot = new double[d + 2];
            slot[d] = 1;
            slot[d + 1] = 2 + k;
            double[] ones = new double[outputs];
            Arrays.fill(ones, 1);
            fa[la.length + k] = slot;
            fc[la.length + k] = ones;
        }
        rebalanceInPlace(fa, fc);
        ShallowNet out = new ShallowNet(fa, fc);
        verify("Lemma A.6", net::realize, x -> out.realize(lift(x)), d, Math.max(tolerance(net, tol), tolerance(out, tol)));
        return out;
    }

    /** (x, 1, -1), the input of the restricted net. */
    public static double[] lift(double[] x) {
        double[] y = Arrays.copyOf(x, x.length + 2);
        y[x.length] = 1;
        y[x.length + 1] = -1;
        return y;
    }

    private static BiasedShallowNet dropDeadUnchecked(BiasedShallowNet net) {
        double[] e = net.e();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < net.neurons(); i++) {
            double[] c = net.c(i);
            if (ShallowNet.normInf(c) == 0) {
                continue;
            }
            if (ShallowNet.normInf(net.a(i)) == 0) {
                double value = Math.max(net.b(i), 0);
                for (int o = 0; o < e.length; o++) {
                    e[o] += c[o] * value;
                }
                continue;
            }
            kept.add(i);
        }
        return subset(net, kept, e);
    }

    private static BiasedShallowNet mergeUnchecked(BiasedShallowNet net, double tol) {
        ShallowNet aug = net.augmented();
        double[][] a = aug.directions();
        double[][] c = aug.outputVectors();
        boolean[] keep = mergeInPlace(a, c, tol);
        return BiasedShallowNet.fromAugmented(new ShallowNet(select(a, keep), select(c, keep)), net.e(),
                net.hasHiddenBias(), net.hasOutputBias());
    }

    // ---------------------------------------------------------------- networks of any depth

    /** Which operations {@link #canonicalize} applies, and the merge tolerance. */
    public record Options(boolean rebalance, boolean merge, boolean dropDead, double tolerance) {
        public Options {
            requireTolerance(tolerance);
        }

        public boolean any() {
            return rebalance || merge || dropDead;
        }
    }

    /** Sweeps of layer-wise rebalancing allowed for a deep network (one suffices for a shallow one). */
    public static final int MAX_REBALANCE_SWEEPS = 200;

    /**
     * A new network computing the same function with the chosen operations applied to every relu
     * hidden layer l, viewed as the biased shallow net h_(l-1) -&gt; W_(l+1) relu(W_l h + b_l) + b_(l+1)
     * (whose output is the next layer's preactivation, so the rest of the network is unaffected).
     * Order: drop dead, merge, drop dead again (a merge can cancel a neuron), rebalance. In a deep
     * network, rebalancing layer l + 1 rescales the outgoing vectors of layer l, so rebalancing
     * repeats over all layers until every neuron is balanced to 1e-9 or
     * {@link #MAX_REBALANCE_SWEEPS} sweeps have run (the outcome is checked either way).
     *
     * @throws IllegalArgumentException if a hidden layer is not dense relu
     */
    public static Network canonicalize(Network network, Options options) {
        network.requireChain("canonicalization");
        for (int l = 0; l < network.hiddenLayerCount(); l++) {
            Layer layer = network.layer(l);
            if (!(layer instanceof Dense) || !layer.activation().name().equals("relu")) {
                throw new IllegalArgumentException("canonical forms need dense relu hidden layers; layer " + l + " is "
                        + layer.type() + " with " + layer.activation().name());
            }
        }
        if (!(network.layer(network.layerCount() - 1) instanceof Dense)) {
            throw new IllegalArgumentException("canonical forms need a dense output layer");
        }
        List<Layer> layers = new ArrayList<>(network.layers());
        for (int l = 0; l < network.hiddenLayerCount(); l++) {
            BiasedShallowNet view = view(layers, l);
            if (options.dropDead()) {
                view = dropDeadUnchecked(view);
            }
            if (options.merge()) {
                view = mergeUnchecked(view, options.tolerance());
            }
            if (options.dropDead() && options.merge()) {
                view = dropDeadUnchecked(view);
            }
            write(layers, l, view);
        }
        if (options.rebalance()) {
            for (int sweep = 0; sweep < MAX_REBALANCE_SWEEPS; sweep++) {
                double worst = 0;
                for (int l = 0; l < network.hiddenLayerCount(); l++) {
                    BiasedShallowNet view = view(layers, l);
                    worst = Math.max(worst, imbalance(view));
                    ShallowNet aug = view.augmented();
                    double[][] a = aug.directions();
                    double[][] c = aug.outputVectors();
                    rebalanceInPlace(a, c);
                    write(layers, l, BiasedShallowNet.fromAugmented(new ShallowNet(a, c), view.e(), view.hasHiddenBias(),
                            view.hasOutputBias()));
                }
                if (worst <= 1e-9) {
                    break;
                }
            }
        }
        Network out = new Network(layers);
        double diff = maxOutputDifference(network, out, CHECK_INPUTS, CHECK_SEED, false);
        double scale = maxOutput(network, CHECK_INPUTS, CHECK_SEED);
        double allowed = 1e-4 * (1 + scale) + (options.merge() ? 8 * options.tolerance() * (1 + scale) : 0);
        if (!(diff <= allowed)) {
            throw new IllegalStateException("canonicalization changed the network's outputs by " + diff
                    + " (allowed " + allowed + ")");
        }
        return out;
    }

    /** Lemma A.6 for a one-hidden-layer Relume network: the (d + 2)-input bias-free network. */
    public static Network restricted(Network shallow, double tol) {
        return restricted(BiasedShallowNet.fromNetwork(shallow), tol).toNetwork();
    }

    /** The largest relative imbalance | ||c|| - ||a|| | / max over neurons that scaling can balance. */
    static double imbalance(BiasedShallowNet view) {
        ShallowNet aug = view.augmented();
        double worst = 0;
        for (int i = 0; i < aug.neurons(); i++) {
            double an = ShallowNet.normInf(aug.a(i));
            double cn = ShallowNet.normInf(aug.c(i));
            if (an > 0 && cn > 0) {
                worst = Math.max(worst, Math.abs(an - cn) / Math.max(an, cn));
            }
        }
        return worst;
    }

    private static BiasedShallowNet view(List<Layer> layers, int l) {
        Dense in = (Dense) layers.get(l);
        Dense out = (Dense) layers.get(l + 1);
        int m = in.outputSize();
        int d = in.inputSize();
        int outputs = out.outputSize();
        float[] w1 = in.weight().value().data();
        float[] w2 = out.weight().value().data();
        double[][] a = new double[m][d];
        double[] b = new double[m];
        double[][] c = new double[m][outputs];
        double[] e = new double[outputs];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                a[i][k] = w1[i * d + k];
            }
            b[i] = in.hasBias() ? in.bias().value().data()[i] : 0;
            for (int o = 0; o < outputs; o++) {
                c[i][o] = w2[o * m + i];
            }
        }
        for (int o = 0; o < outputs; o++) {
            e[o] = out.hasBias() ? out.bias().value().data()[o] : 0;
        }
        return new BiasedShallowNet(a, b, c, e, in.hasBias(), out.hasBias());
    }

    private static void write(List<Layer> layers, int l, BiasedShallowNet view) {
        Dense in = (Dense) layers.get(l);
        Dense out = (Dense) layers.get(l + 1);
        Network built = view.toNetwork();
        Dense newIn = (Dense) built.layer(0);
        Dense newOut = (Dense) built.layer(1);
        layers.set(l, new Dense(newIn.weight().value(), newIn.hasBias() ? newIn.bias().value() : null, in.activation()));
        layers.set(l + 1, new Dense(newOut.weight().value(), newOut.hasBias() ? newOut.bias().value() : null, out.activation()));
    }

    // ---------------------------------------------------------------- checks

    /**
     * The largest absolute output difference between two networks on {@code n} inputs uniform in
     * [-1, 1]^d; with {@code lifted}, the second network gets (x, 1, -1) (Lemma A.6).
     */
    public static double maxOutputDifference(Network original, Network converted, int n, long seed, boolean lifted) {
        int d = original.inputSize();
        int dc = lifted ? d + 2 : d;
        if (converted.inputSize() != dc) {
            throw new IllegalArgumentException("the converted network takes " + converted.inputSize() + " inputs, expected " + dc);
        }
        float[] x = new float[n * d];
        float[] xc = new float[n * dc];
        SplittableRandom r = new SplittableRandom(seed);
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < d; k++) {
                float v = (float) (2 * r.nextDouble() - 1);
                x[s * d + k] = v;
                xc[s * dc + k] = v;
            }
            if (lifted) {
                xc[s * dc + d] = 1;
                xc[s * dc + d + 1] = -1;
            }
        }
        float[] y = original.predict(Tensor.of(x, n, d)).data();
        float[] yc = converted.predict(Tensor.of(xc, n, dc)).data();
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            worst = Math.max(worst, Math.abs((double) y[i] - yc[i]));
        }
        return worst;
    }

    private static double maxOutput(Network net, int n, long seed) {
        int d = net.inputSize();
        float[] x = new float[n * d];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        double worst = 0;
        for (float v : net.predict(Tensor.of(x, n, d)).data()) {
            worst = Math.max(worst, Math.abs(v));
        }
        return worst;
    }

    /**
     * The largest absolute difference of two functions on {@code n} inputs uniform in [-1, 1]^d.
     */
    public static double maxDifference(Function<double[], double[]> f, Function<double[], double[]> g, int d, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        double[] x = new double[d];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < d; k++) {
                x[k] = 2 * r.nextDouble() - 1;
            }
            double[] y = f.apply(x);
            double[] z = g.apply(x);
            for (int o = 0; o < y.length; o++) {
                worst = Math.max(worst, Math.abs(y[o] - z[o]));
            }
        }
        return worst;
    }

    private static void verify(String what, Function<double[], double[]> before, Function<double[], double[]> after, int d,
                               double allowed) {
        double diff = maxDifference(before, after, d, CHECK_INPUTS, CHECK_SEED);
        if (!(diff <= allowed)) {
            throw new IllegalStateException(what + " changed the function by " + diff + " on [-1, 1]^" + d + " (allowed "
                    + allowed + ")");
        }
    }

    /**
     * What the check allows: rounding (relative {@link #ROUNDING}) plus, for a merge at tolerance
     * tol, the function change of merging neurons whose unit directions differ by up to tol, both
     * relative to S = ||e||_inf + sum_i ||c_i||_inf (||a_i||_1 + |b_i|), a bound of the outputs on
     * [-1, 1]^d. Merging c_j relu(a_j . x) into neuron i changes the output by at most
     * ||c_j|| ||a_j - mu a_i||_2 ||x||_2; with unit directions tol apart and mu the ratio of
     * inf-norms, ||a_j - mu a_i||_2 &lt;= (1 + sqrt(n)) tol ||a_j||_2 and ||x||_2 &lt;= sqrt(n) for n inputs.
     */
    private static double tolerance(ShallowNet net, double tol) {
        double s = 0;
        for (int i = 0; i < net.neurons(); i++) {
            s += ShallowNet.normInf(net.c(i)) * norm1(net.a(i));
        }
        double n = net.inputs();
        return (ROUNDING + tol * (1 + Math.sqrt(n)) * Math.sqrt(n)) * (1 + s);
    }

    private static double tolerance(BiasedShallowNet net, double tol) {
        return tolerance(net.augmented(), tol) + ROUNDING * ShallowNet.normInf(net.e());
    }

    private static double norm1(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    // ---------------------------------------------------------------- kernels on arrays

    /** Rebalances every neuron with a_i != 0 and c_i != 0, in place. */
    static void rebalanceInPlace(double[][] a, double[][] c) {
        for (int i = 0; i < a.length; i++) {
            double an = ShallowNet.normInf(a[i]);
            double cn = ShallowNet.normInf(c[i]);
            if (an == 0 || cn == 0) {
                continue;
            }
            double lambda = Math.sqrt(cn / an);
            for (int k = 0; k < a[i].length; k++) {
                a[i][k] *= lambda;
            }
            for (int o = 0; o < c[i].length; o++) {
                c[i][o] /= lambda;
            }
        }
    }

    /** Merges every neuron into the first earlier one with a positively parallel direction; returns which survive. */
    static boolean[] mergeInPlace(double[][] a, double[][] c, double tol) {
        boolean[] keep = new boolean[a.length];
        Arrays.fill(keep, true);
        for (int i = 0; i < a.length; i++) {
            if (!keep[i]) {
                continue;
            }
            double ni = ShallowNet.normInf(a[i]);
            if (ni == 0) {
                continue;
            }
            for (int j = i + 1; j < a.length; j++) {
                if (!keep[j] || ShallowNet.normInf(a[j]) == 0 || !Degeneracies.redundant(a[i], a[j], tol)) {
                    continue;
                }
                double mu = ShallowNet.normInf(a[j]) / ni;
                for (int o = 0; o < c[i].length; o++) {
                    c[i][o] += mu * c[j][o];
                }
                keep[j] = false;
            }
        }
        return keep;
    }

    private static double[][] select(double[][] rows, boolean[] keep) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (keep[i]) {
                out.add(rows[i]);
            }
        }
        return out.toArray(new double[0][]);
    }

    private static boolean anyTrue(boolean[] b) {
        for (boolean v : b) {
            if (v) {
                return true;
            }
        }
        return false;
    }
}
