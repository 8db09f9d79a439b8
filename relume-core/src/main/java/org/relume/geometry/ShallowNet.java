package org.relume.geometry;

import java.util.ArrayList;
import java.util.List;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * A shallow bias-free ReLU network Theta = (A, C) in N_(d,m,D) (Berner, Elbrächter, Grohs, "How
 * degenerate is the parametrization of neural networks with the ReLU activation function?",
 * Section 2, eq. 19): R(Theta)(x) = C relu(A x) = sum_i c_i relu(&lt;a_i, x&gt;), with first-layer
 * vectors ("directions") a_i in R^d and output vectors c_i in R^D.
 *
 * <p>Immutable and in double precision: the paper's statements are about exact arithmetic, and
 * the geometry built on this view (Sobolev semi-norms, degeneracies, canonical forms) compares
 * quantities that float rounding would blur. {@link #fromNetwork} and {@link #toNetwork} convert to
 * and from an ordinary Relume network with one relu hidden layer and no (or zero) biases.
 *
 * <p>Layout: {@code a[i]} is row i of A (length d); {@code c[i]} is column i of C (length D).
 */
public final class ShallowNet {
    private final double[][] a;
    private final double[][] c;
    private final int d;
    private final int outputs;

    /**
     * A net with neurons (a[i], c[i]); the arrays are copied.
     *
     * @param a m &gt;= 1 rows of length d
     * @param c m rows of length D
     */
    public ShallowNet(double[][] a, double[][] c) {
        if (a.length == 0 || a.length != c.length) {
            throw new IllegalArgumentException("a shallow net needs m >= 1 neurons with one a_i and one c_i each, got "
                    + a.length + " first-layer vectors and " + c.length + " output vectors");
        }
        this.d = a[0].length;
        this.outputs = c[0].length;
        if (d == 0 || outputs == 0) {
            throw new IllegalArgumentException("input and output dimensions must be positive, got d = " + d + ", D = " + outputs);
        }
        this.a = new double[a.length][];
        this.c = new double[c.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != d || c[i].length != outputs) {
                throw new IllegalArgumentException("neuron " + i + " has a_i of length " + a[i].length + " and c_i of length "
                        + c[i].length + ", expected " + d + " and " + outputs);
            }
            for (int k = 0; k < d; k++) {
                requireFinite(a[i][k], "a", i, k);
            }
            for (int k = 0; k < outputs; k++) {
                requireFinite(c[i][k], "c", i, k);
            }
            this.a[i] = a[i].clone();
            this.c[i] = c[i].clone();
        }
    }

    private static void requireFinite(double v, String what, int i, int k) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + "_" + i + "[" + k + "] is " + v + ", expected a finite number");
        }
    }

    /** m, the number of neurons. */
    public int neurons() {
        return a.length;
    }

    /** d, the input dimension. */
    public int inputs() {
        return d;
    }

    /** D, the output dimension. */
    public int outputs() {
        return outputs;
    }

    /** A copy of a_i. */
    public double[] a(int i) {
        return a[i].clone();
    }

    /** A copy of c_i. */
    public double[] c(int i) {
        return c[i].clone();
    }

    public double a(int i, int k) {
        return a[i][k];
    }

    public double c(int i, int k) {
        return c[i][k];
    }

    /** All a_i as rows (a copy). */
    public double[][] directions() {
        return copy(a);
    }

    /** All c_i as rows (a copy). */
    public double[][] outputVectors() {
        return copy(c);
    }

    static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }

    /** &lt;a_i, x&gt;. */
    public double preactivation(int i, double[] x) {
        return dot(a[i], x);
    }

    /** R(Theta)(x) = sum_i c_i relu(&lt;a_i, x&gt;). */
    public double[] realize(double[] x) {
        if (x.length != d) {
            throw new IllegalArgumentException("this net takes " + d + " inputs, got " + x.length);
        }
        double[] y = new double[outputs];
        for (int i = 0; i < a.length; i++) {
            double g = dot(a[i], x);
            if (g > 0) {
                for (int o = 0; o < outputs; o++) {
                    y[o] += c[i][o] * g;
                }
            }
        }
        return y;
    }

    /**
     * The Jacobian sum_{i active} c_i a_i^T (D x d) of the linear piece on which exactly the neurons
     * marked in {@code active} have &lt;a_i, x&gt; &gt; 0 (eq. 21).
     */
    public double[][] jacobian(boolean[] active) {
        double[][] j = new double[outputs][d];
        for (int i = 0; i < a.length; i++) {
            if (active[i]) {
                for (int o = 0; o < outputs; o++) {
                    double ci = c[i][o];
                    if (ci != 0) {
                        for (int k = 0; k < d; k++) {
                            j[o][k] += ci * a[i][k];
                        }
                    }
                }
            }
        }
        return j;
    }

    /** The largest absolute entry of a matrix: the norm that eq. (6) takes of Dg(x). */
    public static double maxAbs(double[][] m) {
        double best = 0;
        for (double[] row : m) {
            for (double v : row) {
                best = Math.max(best, Math.abs(v));
            }
        }
        return best;
    }

    /**
     * The difference R(this) - R(other) as one net: both sets of neurons, the second with negated
     * c (its realization is exactly the difference, so |R(Theta) - R(Gamma)|_{W1,inf} is the
     * semi-norm of one net).
     */
    public ShallowNet minus(ShallowNet other) {
        requireSameSpaces(other);
        int m = a.length + other.a.length;
        double[][] na = new double[m][];
        double[][] nc = new double[m][];
        for (int i = 0; i < a.length; i++) {
            na[i] = a[i];
            nc[i] = c[i];
        }
        for (int i = 0; i < other.a.length; i++) {
            na[a.length + i] = other.a[i];
            nc[a.length + i] = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                nc[a.length + i][o] = -other.c[i][o];
            }
        }
        return new ShallowNet(na, nc);
    }

    /**
     * ||Theta - Gamma||_inf: the largest absolute difference of corresponding entries of A and C
     * (footnote 1 of the paper). Both nets must have the same architecture (d, m, D).
     */
    public double parameterDistance(ShallowNet other) {
        requireSameSpaces(other);
        if (other.a.length != a.length) {
            throw new IllegalArgumentException("parameter distance needs the same architecture: this net has " + a.length
                    + " neurons, the other " + other.a.length);
        }
        double best = 0;
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < d; k++) {
                best = Math.max(best, Math.abs(a[i][k] - other.a[i][k]));
            }
            for (int o = 0; o < outputs; o++) {
                best = Math.max(best, Math.abs(c[i][o] - other.c[i][o]));
            }
        }
        return best;
    }

    /** ||Theta||_inf, the largest absolute parameter. */
    public double parameterNorm() {
        return Math.max(maxAbs(a), maxAbs(c));
    }

    private void requireSameSpaces(ShallowNet other) {
        if (other.d != d || other.outputs != outputs) {
            throw new IllegalArgumentException("nets map R^" + d + " -> R^" + outputs + " and R^" + other.d + " -> R^"
                    + other.outputs + "; they must have the same input and output dimensions");
        }
    }

    /** The same net with neurons in the order {@code order} (a permutation or a selection of indices). */
    public ShallowNet select(int[] order) {
        double[][] na = new double[order.length][];
        double[][] nc = new double[order.length][];
        for (int i = 0; i < order.length; i++) {
            na[i] = a[order[i]];
            nc[i] = c[order[i]];
        }
        return new ShallowNet(na, nc);
    }

    /**
     * The bias-free view of a Relume network with exactly one hidden layer: dense relu (its
     * derivative at 0 does not matter here), then a dense identity output layer, both without
     * biases or with biases that are all zero.
     *
     * @throws IllegalArgumentException for any other network, naming what differs
     */
    public static ShallowNet fromNetwork(Network network) {
        BiasedShallowNet biased = BiasedShallowNet.fromNetwork(network);
        if (!biased.isBiasFree()) {
            throw new IllegalArgumentException("the network has non-zero biases; it is a biased shallow net "
                    + "x -> C relu(Ax + b) + e (use BiasedShallowNet, or the Lemma A.6 conversion to a bias-free net)");
        }
        return biased.withoutBiases();
    }

    /** A Relume network d -> m (relu, no bias) -> D (identity, no bias) computing this net in float. */
    public Network toNetwork() {
        int m = a.length;
        float[] w1 = new float[m * d];
        float[] w2 = new float[outputs * m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                w1[i * d + k] = (float) a[i][k];
            }
            for (int o = 0; o < outputs; o++) {
                w2[o * m + i] = (float) c[i][o];
            }
        }
        List<Dense> layers = new ArrayList<>(2);
        layers.add(new Dense(Tensor.of(w1, m, d), null, Activations.relu()));
        layers.add(new Dense(Tensor.of(w2, outputs, m), null, PointwiseFunctions.IDENTITY));
        return new Network(layers);
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s;
    }

    static double normInf(double[] v) {
        double best = 0;
        for (double x : v) {
            best = Math.max(best, Math.abs(x));
        }
        return best;
    }

    static double norm2(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    @Override
    public String toString() {
        return "ShallowNet(d=" + d + ", m=" + a.length + ", D=" + outputs + ")";
    }
}
