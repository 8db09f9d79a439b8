package org.relume.geometry;

import java.util.ArrayList;
import java.util.List;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * A shallow ReLU network with biases, x -&gt; C relu(A x + b) + e: the general parametrization
 * P_(d,m,D) of Berner, Elbrächter, Grohs (eqs. 2-3 with L = 2), which Lemma A.6 turns into a
 * bias-free net of the restricted space N*_(d+2,m+1,D) (see {@link Canonicalization#restricted}).
 *
 * <p>Every one-hidden-layer Relume network is one of these: {@link #fromNetwork} reads it (absent
 * biases read as zeros) and {@link #toNetwork} writes it back, keeping a bias vector wherever the
 * original layer had one or a value is non-zero. Its {@link #augmented() augmented view} is the
 * bias-free net with directions (a_i, b_i) on inputs (x, 1); neuron-wise operations (rebalancing,
 * merging) act on those augmented directions, because relu(&lt;a, x&gt; + b) is positively
 * homogeneous in (a, b) jointly.
 */
public final class BiasedShallowNet {
    private final double[][] a;
    private final double[] b;
    private final double[][] c;
    private final double[] e;
    private final boolean hiddenBias;
    private final boolean outputBias;

    /**
     * @param a          m rows of length d (the a_i)
     * @param b          m hidden biases
     * @param c          m rows of length D (the c_i, columns of C)
     * @param e          D output biases
     * @param hiddenBias whether a network built from this keeps a hidden bias vector even if b = 0
     * @param outputBias the same for e
     */
    public BiasedShallowNet(double[][] a, double[] b, double[][] c, double[] e, boolean hiddenBias, boolean outputBias) {
        ShallowNet check = new ShallowNet(a, c); // validates shapes and finiteness of A and C
        if (b.length != a.length) {
            throw new IllegalArgumentException("need one hidden bias per neuron: " + a.length + " neurons, " + b.length + " biases");
        }
        if (e.length != check.outputs()) {
            throw new IllegalArgumentException("need one output bias per output: " + check.outputs() + " outputs, "
                    + e.length + " biases");
        }
        for (double v : b) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("hidden bias " + v + " is not finite");
            }
        }
        for (double v : e) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("output bias " + v + " is not finite");
            }
        }
        this.a = ShallowNet.copy(a);
        this.b = b.clone();
        this.c = ShallowNet.copy(c);
        this.e = e.clone();
        this.hiddenBias = hiddenBias;
        this.outputBias = outputBias;
    }

    public int neurons() {
        return a.length;
    }

    public int inputs() {
        return a[0].length;
    }

    public int outputs() {
        return e.length;
    }

    public double[] a(int i) {
        return a[i].clone();
    }

    public double b(int i) {
        return b[i];
    }

    public double[] c(int i) {
        return c[i].clone();
    }

    /** A copy of the output bias e. */
    public double[] e() {
        return e.clone();
    }

    public boolean hasHiddenBias() {
        return hiddenBias;
    }

    public boolean hasOutputBias() {
        return outputBias;
    }

    /** True if b = 0 and e = 0: the net is a bias-free {@link ShallowNet}. */
    public boolean isBiasFree() {
        for (double v : b) {
            if (v != 0) {
                return false;
            }
        }
        for (double v : e) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** (A, C) with the biases dropped. */
    public ShallowNet withoutBiases() {
        return new ShallowNet(a, c);
    }

    /** C relu(A x + b) + e. */
    public double[] realize(double[] x) {
        if (x.length != inputs()) {
            throw new IllegalArgumentException("this net takes " + inputs() + " inputs, got " + x.length);
        }
        double[] y = e.clone();
        for (int i = 0; i < a.length; i++) {
            double g = ShallowNet.dot(a[i], x) + b[i];
            if (g > 0) {
                for (int o = 0; o < y.length; o++) {
                    y[o] += c[i][o] * g;
                }
            }
        }
        return y;
    }

    /** a_i . x + b_i. */
    public double preactivation(int i, double[] x) {
        return ShallowNet.dot(a[i], x) + b[i];
    }

    /**
     * The bias-free net with directions (a_i, b_i) in R^(d+1) and the same c_i: on inputs (x, 1)
     * it computes C relu(Ax + b), i.e. this net without e.
     */
    public ShallowNet augmented() {
        int d = inputs();
        double[][] na = new double[a.length][d + 1];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, na[i], 0, d);
            na[i][d] = b[i];
        }
        return new ShallowNet(na, c);
    }

    /** The inverse of {@link #augmented()}: the last coordinate of each direction becomes its bias. */
    public static BiasedShallowNet fromAugmented(ShallowNet augmented, double[] e, boolean hiddenBias, boolean outputBias) {
        int d = augmented.inputs() - 1;
        if (d < 1) {
            throw new IllegalArgumentException("an augmented net needs at least 2 inputs (x and the constant 1)");
        }
        double[][] na = new double[augmented.neurons()][d];
        double[] nb = new double[augmented.neurons()];
        for (int i = 0; i < na.length; i++) {
            for (int k = 0; k < d; k++) {
                na[i][k] = augmented.a(i, k);
            }
            nb[i] = augmented.a(i, d);
        }
        return new BiasedShallowNet(na, nb, augmented.outputVectors(), e, hiddenBias, outputBias);
    }

    /**
     * Reads a Relume network with exactly one hidden layer: dense with relu (any derivative at 0),
     * then dense with the identity. Missing biases read as zeros.
     *
     * @throws IllegalArgumentException for any other network, naming what differs
     */
    public static BiasedShallowNet fromNetwork(Network network) {
        requireShallow(network);
        Dense hidden = (Dense) network.layer(0);
        Dense out = (Dense) network.layer(1);
        int m = hidden.outputSize();
        int d = hidden.inputSize();
        int outputs = out.outputSize();
        float[] w1 = hidden.weight().value().data();
        float[] w2 = out.weight().value().data();
        double[][] a = new double[m][d];
        double[][] c = new double[m][outputs];
        double[] b = new double[m];
        double[] e = new double[outputs];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                a[i][k] = w1[i * d + k];
            }
            for (int o = 0; o < outputs; o++) {
                c[i][o] = w2[o * m + i];
            }
            b[i] = hidden.hasBias() ? hidden.bias().value().data()[i] : 0;
        }
        for (int o = 0; o < outputs; o++) {
            e[o] = out.hasBias() ? out.bias().value().data()[o] : 0;
        }
        return new BiasedShallowNet(a, b, c, e, hidden.hasBias(), out.hasBias());
    }

    /** True if {@code network} is dense relu -&gt; dense identity, the form {@link #fromNetwork} reads. */
    public static boolean isShallow(Network network) {
        try {
            requireShallow(network);
            return true;
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    static void requireShallow(Network network) {
        if (network.layerCount() != 2) {
            throw new IllegalArgumentException("a shallow net has exactly one hidden layer; this network has "
                    + network.hiddenLayerCount() + " (" + network.architecture() + ")");
        }
        for (int l = 0; l < 2; l++) {
            Layer layer = network.layer(l);
            if (!(layer instanceof Dense)) {
                throw new IllegalArgumentException("a shallow net has dense layers; layer " + l + " is " + layer.type());
            }
        }
        if (!network.layer(0).activation().name().equals("relu")) {
            throw new IllegalArgumentException("a shallow ReLU net needs a relu hidden layer; this one uses "
                    + Activations.describe(network.layer(0).activation()));
        }
        if (!network.layer(1).activation().isIdentity()) {
            throw new IllegalArgumentException("a shallow ReLU net needs a linear (identity) output layer; this one uses "
                    + Activations.describe(network.layer(1).activation()));
        }
    }

    /**
     * A Relume network computing this net in float: dense relu (bias kept if the original had one
     * or some b_i is non-zero), then dense identity (likewise for e).
     */
    public Network toNetwork() {
        int m = a.length;
        int d = inputs();
        int outputs = outputs();
        float[] w1 = new float[m * d];
        float[] w2 = new float[outputs * m];
        float[] b1 = new float[m];
        float[] b2 = new float[outputs];
        boolean anyB = hiddenBias;
        boolean anyE = outputBias;
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                w1[i * d + k] = (float) a[i][k];
            }
            for (int o = 0; o < outputs; o++) {
                w2[o * m + i] = (float) c[i][o];
            }
            b1[i] = (float) b[i];
            anyB |= b[i] != 0;
        }
        for (int o = 0; o < outputs; o++) {
            b2[o] = (float) e[o];
            anyE |= e[o] != 0;
        }
        List<Dense> layers = new ArrayList<>(2);
        layers.add(new Dense(Tensor.of(w1, m, d), anyB ? Tensor.of(b1, m) : null, Activations.relu()));
        layers.add(new Dense(Tensor.of(w2, outputs, m), anyE ? Tensor.of(b2, outputs) : null, PointwiseFunctions.IDENTITY));
        return new Network(layers);
    }

    @Override
    public String toString() {
        return "BiasedShallowNet(d=" + inputs() + ", m=" + a.length + ", D=" + outputs() + ")";
    }
}
