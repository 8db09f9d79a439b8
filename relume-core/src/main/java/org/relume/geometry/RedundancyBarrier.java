package org.relume.geometry;

import java.util.List;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.tensor.ArithmeticOps;
import org.relume.tensor.Node;
import org.relume.tensor.Op;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.train.Regularizer;

/**
 * A barrier against redundant directions, condition C.2 of Berner, Elbrächter, Grohs (no two
 * first-layer vectors positively parallel), in the form their outlook points to: a penalty on the
 * cosine similarity of first-layer weight vectors. For every hidden layer and every pair of units:
 * <pre>
 *   P = lambda * sum_l sum_{i &lt; j} relu(cos(a_i, a_j) - tau)^2,
 *   cos(u, v) = &lt;u, v&gt; / (n(u) n(v)),  n(u) = sqrt(||u||_2^2 + eps)
 * </pre>
 * with a_i = (row i of W_l, b_l[i]) (the bias belongs to the direction for the same reason as in
 * {@link BalancePenalty}). Pairs whose cosine stays below the threshold tau cost nothing, so the
 * penalty only pushes apart directions that come close to parallel; opposite directions
 * (cos = -1) are not penalized, as C.2 does not forbid them. Applied to every hidden layer, it
 * covers the "first layer" of each shallow block of a deep network.
 *
 * <p>One tape op per hidden layer with an exact backward in double precision: with
 * g_ij = 2 relu(cos_ij - tau), dP/da_i = lambda sum_j g_ij (a_j / (n_i n_j) - cos_ij a_i / n_i^2).
 */
public final class RedundancyBarrier implements Regularizer {
    /** The default threshold tau: pairs closer than about 25 degrees are pushed apart. */
    public static final double DEFAULT_THRESHOLD = 0.9;

    private final double coefficient;
    private final double threshold;

    public RedundancyBarrier(double coefficient) {
        this(coefficient, DEFAULT_THRESHOLD);
    }

    public RedundancyBarrier(double coefficient, double threshold) {
        if (!(coefficient >= 0) || !Double.isFinite(coefficient)) {
            throw new IllegalArgumentException("the redundancy penalty's weight must be a finite number >= 0, got " + coefficient);
        }
        if (!(threshold >= -1 && threshold < 1)) {
            throw new IllegalArgumentException("the cosine threshold must be in [-1, 1), got " + threshold);
        }
        this.coefficient = coefficient;
        this.threshold = threshold;
    }

    public double coefficient() {
        return coefficient;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public String name() {
        return "redundancy";
    }

    @Override
    public String describe() {
        return "redundancy(lambda=" + coefficient + ", sum over pairs of hidden units of relu(cos - " + threshold + ")^2)";
    }

    @Override
    public Var penalty(Tape tape, List<Preactivation> preactivations, Network network) {
        network.requireChain("the redundancy barrier");
        Var total = null;
        for (int l = 0; l + 1 < network.layerCount(); l++) {
            Layer in = network.layer(l);
            if (!(in instanceof Dense dense)) {
                continue;
            }
            Var p = layerPenalty(tape, dense.weight(), dense.bias());
            total = total == null ? p : ArithmeticOps.add(tape, total, p);
        }
        return total != null ? total : Var.constant(Tensor.scalar(0f));
    }

    /** The penalty of one layer's incoming vectors: weights {@code w} [m, d] and biases {@code b} [m] (may be null). */
    public Var layerPenalty(Tape tape, Var w, Var b) {
        int m = w.value().rows();
        int d = w.value().cols();
        if (b != null && b.value().numel() != m) {
            throw new IllegalArgumentException("bias of " + b.value().numel() + " entries for " + m + " units");
        }
        double[][] u = vectors(w, b);
        double[] n = norms(u);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double excess = ShallowNet.dot(u[i], u[j]) / (n[i] * n[j]) - threshold;
                if (excess > 0) {
                    sum += excess * excess;
                }
            }
        }
        boolean grad = tape.needsGrad(w, b);
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = (float) (coefficient * sum);
        if (grad) {
            Node node = tape.record(BACKWARD, out, w, b, null);
            node.aux = this;
        }
        return out;
    }

    private static double[][] vectors(Var w, Var b) {
        int m = w.value().rows();
        int d = w.value().cols();
        float[] wv = w.value().data();
        double[][] u = new double[m][d + (b == null ? 0 : 1)];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                u[i][k] = wv[i * d + k];
            }
            if (b != null) {
                u[i][d] = b.value().data()[i];
            }
        }
        return u;
    }

    private static double[] norms(double[][] u) {
        double[] n = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            n[i] = Math.sqrt(ShallowNet.dot(u[i], u[i]) + BalancePenalty.EPSILON);
        }
        return n;
    }

    private void backward(Node node) {
        Var w = node.in0;
        Var b = node.in1;
        double upstream = node.out.grad().data()[0] * coefficient;
        int m = w.value().rows();
        int d = w.value().cols();
        double[][] u = vectors(w, b);
        double[] n = norms(u);
        double[][] grad = new double[m][u.length == 0 ? 0 : u[0].length];
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double cos = ShallowNet.dot(u[i], u[j]) / (n[i] * n[j]);
                double excess = cos - threshold;
                if (excess <= 0) {
                    continue;
                }
                double g = 2 * excess * upstream;
                for (int k = 0; k < u[i].length; k++) {
                    grad[i][k] += g * (u[j][k] / (n[i] * n[j]) - cos * u[i][k] / (n[i] * n[i]));
                    grad[j][k] += g * (u[i][k] / (n[i] * n[j]) - cos * u[j][k] / (n[j] * n[j]));
                }
            }
        }
        float[] dw = BalancePenalty.gradientBuffer(w);
        float[] db = BalancePenalty.gradientBuffer(b);
        for (int i = 0; i < m; i++) {
            if (dw != null) {
                for (int k = 0; k < d; k++) {
                    dw[i * d + k] += (float) grad[i][k];
                }
            }
            if (db != null) {
                db[i] += (float) grad[i][d];
            }
        }
    }

    private static final Op BACKWARD = new Op() {
        @Override public String name() { return "redundancy_barrier"; }

        @Override public void backward(Node n) {
            ((RedundancyBarrier) n.aux).backward(n);
        }
    };
}
