package org.relume.geometry;

import java.util.Arrays;
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
 * A penalty that keeps training near balanced parametrizations, condition C.1 of Berner,
 * Elbrächter, Grohs (Corollary 1.4: ||a_i||_inf = ||c_i||_inf), which the paper's outlook suggests
 * enforcing by regularization. In a smooth form with 2-norms:
 * <pre>
 *   P = lambda * sum_l sum_i ( n(c_i^l) - n(a_i^l) )^2,   n(v) = sqrt(||v||_2^2 + eps)
 * </pre>
 * where, for every hidden layer l, a_i^l = (row i of W_l, b_l[i]) is unit i's incoming weight vector
 * with its bias and c_i^l = column i of W_(l+1) its outgoing one. (For a shallow net this is
 * sum_i (||c_i|| - ||a_i||)^2 of the paper's (a_i, c_i); the bias belongs to a_i because relu is
 * positively homogeneous in (a_i, b_i), which is the invariance that rebalancing uses.) The 2-norm
 * and eps = 1e-12 make the penalty differentiable everywhere except where a norm is zero, where
 * eps smooths it; the minimizers are the neurons with equal 2-norms, and rescaling
 * (a, c) -&gt; (lambda a, c / lambda) moves any neuron onto them without changing the function.
 *
 * <p>One tape op per hidden layer with an exact backward in double precision.
 */
public final class BalancePenalty implements Regularizer {
    /** The smoothing of the norms. */
    public static final double EPSILON = 1e-12;

    private final double coefficient;

    public BalancePenalty(double coefficient) {
        if (!(coefficient >= 0) || !Double.isFinite(coefficient)) {
            throw new IllegalArgumentException("the balance penalty's weight must be a finite number >= 0, got " + coefficient);
        }
        this.coefficient = coefficient;
    }

    public double coefficient() {
        return coefficient;
    }

    @Override
    public String name() {
        return "balance";
    }

    @Override
    public String describe() {
        return "balance(lambda=" + coefficient + ", sum over hidden units of (||c_i||_2 - ||(a_i, b_i)||_2)^2)";
    }

    @Override
    public Var penalty(Tape tape, List<Preactivation> preactivations, Network network) {
        network.requireChain("the balance penalty");
        Var total = null;
        for (int l = 0; l + 1 < network.layerCount(); l++) {
            Layer in = network.layer(l);
            Layer out = network.layer(l + 1);
            if (!(in instanceof Dense din) || !(out instanceof Dense dout)) {
                continue;
            }
            Var p = layerPenalty(tape, din.weight(), din.bias(), dout.weight());
            total = total == null ? p : ArithmeticOps.add(tape, total, p);
        }
        return total != null ? total : Var.constant(Tensor.scalar(0f));
    }

    /**
     * The penalty of one hidden layer: incoming weights {@code w} [m, d], biases {@code b} [m] (may
     * be null) and the next layer's weights {@code next} [D, m].
     */
    public Var layerPenalty(Tape tape, Var w, Var b, Var next) {
        int m = w.value().rows();
        int d = w.value().cols();
        if (b != null && b.value().numel() != m) {
            throw new IllegalArgumentException("bias of " + b.value().numel() + " entries for " + m + " units");
        }
        if (next.value().cols() != m) {
            throw new IllegalArgumentException("next layer takes " + next.value().cols() + " inputs, this one has " + m + " units");
        }
        float[] wv = w.value().data();
        float[] bv = b == null ? null : b.value().data();
        float[] nv = next.value().data();
        int outputs = next.value().rows();
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double na = Math.sqrt(incomingSquare(wv, bv, i, d) + EPSILON);
            double nc = Math.sqrt(outgoingSquare(nv, i, m, outputs) + EPSILON);
            sum += (nc - na) * (nc - na);
        }
        boolean grad = tape.needsGrad(w, b, next);
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = (float) (coefficient * sum);
        if (grad) {
            Node n = tape.record(BACKWARD, out, w, b, next);
            n.aux = this;
        }
        return out;
    }

    private static double incomingSquare(float[] w, float[] b, int i, int d) {
        double s = b == null ? 0 : (double) b[i] * b[i];
        for (int k = 0; k < d; k++) {
            double v = w[i * d + k];
            s += v * v;
        }
        return s;
    }

    private static double outgoingSquare(float[] next, int i, int m, int outputs) {
        double s = 0;
        for (int o = 0; o < outputs; o++) {
            double v = next[o * m + i];
            s += v * v;
        }
        return s;
    }

    /** d/da_i = -2 (n_c - n_a) a_i / n_a and d/dc_i = 2 (n_c - n_a) c_i / n_c, times lambda and the upstream gradient. */
    private void backward(Node node) {
        Var w = node.in0;
        Var b = node.in1;
        Var next = node.in2;
        double upstream = node.out.grad().data()[0] * coefficient;
        int m = w.value().rows();
        int d = w.value().cols();
        int outputs = next.value().rows();
        float[] wv = w.value().data();
        float[] bv = b == null ? null : b.value().data();
        float[] nv = next.value().data();
        float[] dw = gradientBuffer(w);
        float[] db = b == null ? null : gradientBuffer(b);
        float[] dn = gradientBuffer(next);
        for (int i = 0; i < m; i++) {
            double na = Math.sqrt(incomingSquare(wv, bv, i, d) + EPSILON);
            double nc = Math.sqrt(outgoingSquare(nv, i, m, outputs) + EPSILON);
            double g = 2 * (nc - na) * upstream;
            if (dw != null) {
                for (int k = 0; k < d; k++) {
                    dw[i * d + k] += (float) (-g * wv[i * d + k] / na);
                }
            }
            if (db != null) {
                db[i] += (float) (-g * bv[i] / na);
            }
            if (dn != null) {
                for (int o = 0; o < outputs; o++) {
                    dn[o * m + i] += (float) (g * nv[o * m + i] / nc);
                }
            }
        }
    }

    /** The gradient array to add into, zeroed on the first contribution of the step; null if none is needed. */
    static float[] gradientBuffer(Var v) {
        if (v == null || !v.requiresGrad()) {
            return null;
        }
        boolean accumulate = v.beginGradWrite();
        float[] g = v.grad().data();
        if (!accumulate) {
            Arrays.fill(g, 0, v.value().numel(), 0f);
        }
        return g;
    }

    private static final Op BACKWARD = new Op() {
        @Override public String name() { return "balance_penalty"; }

        @Override public void backward(Node n) {
            ((BalancePenalty) n.aux).backward(n);
        }
    };
}
