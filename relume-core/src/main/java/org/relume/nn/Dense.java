package org.relume.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.relume.tensor.LinearOps;
import org.relume.tensor.PointwiseOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * A fully connected layer, h = f(W x + b), with W of shape [out, in] and b of shape [out], on
 * feature-major inputs [in, batch] (REFERENCES.md notation g^l = W^l h^{l-1} + b^l, h^l = f(g^l)).
 */
public final class Dense implements Layer {
    private final Var weight;
    private final Var bias;
    private final PointwiseFunction activation;

    /** A layer with the given parameter values (copied) and activation; bias may be null. */
    public Dense(Tensor weight, Tensor bias, PointwiseFunction activation) {
        weight.requireRank(2);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.rows())) {
            throw new IllegalArgumentException("dense layer: bias of shape " + bias.shapeString()
                    + " does not match weight of shape " + weight.shapeString() + " (expected [" + weight.rows() + "])");
        }
        this.weight = Var.parameter("weight", weight.copy());
        this.bias = bias == null ? null : Var.parameter("bias", bias.copy());
        this.activation = activation;
    }

    /**
     * A layer over existing parameter Vars (not copied), for surgery that keeps a parameter's
     * identity, and with it its optimizer state, while it changes the parameter's value or size.
     */
    public static Dense wrap(Var weight, Var bias, PointwiseFunction activation) {
        return new Dense(weight, bias, activation, true);
    }

    private Dense(Var weight, Var bias, PointwiseFunction activation, boolean wrapped) {
        weight.value().requireRank(2);
        if (bias != null && (bias.value().rank() != 1 || bias.value().dim(0) != weight.value().rows())) {
            throw new IllegalArgumentException("dense layer: bias of shape " + bias.value().shapeString()
                    + " does not match weight of shape " + weight.value().shapeString());
        }
        this.weight = weight;
        this.bias = bias;
        this.activation = activation;
    }

    /** The same layer with another activation (same parameter Vars). */
    public Dense withActivation(PointwiseFunction f) {
        return new Dense(weight, bias, f, true);
    }

    /** A layer initialized by {@code init} from {@code random}. */
    public static Dense create(int in, int out, PointwiseFunction activation, boolean withBias,
                               Initializer init, SplittableRandom random) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("a dense layer needs positive sizes, got " + in + " -> " + out);
        }
        Tensor w = Tensor.zeros(out, in);
        Tensor b = withBias ? Tensor.zeros(out) : null;
        init.initialize(w, b, random);
        return new Dense(w, b, activation);
    }

    public Var weight() {
        return weight;
    }

    /** The bias Var, or null for a bias-free layer. */
    public Var bias() {
        return bias;
    }

    public boolean hasBias() {
        return bias != null;
    }

    @Override public String type() { return "dense"; }

    @Override public int inputSize() { return weight.value().cols(); }

    @Override public int outputSize() { return weight.value().rows(); }

    @Override public PointwiseFunction activation() { return activation; }

    @Override
    public List<Var> parameters() {
        List<Var> p = new ArrayList<>(2);
        p.add(weight);
        if (bias != null) {
            p.add(bias);
        }
        return p;
    }

    @Override
    public Var preactivate(Tape tape, Var input) {
        return LinearOps.affine(tape, weight, input, bias, activation);
    }

    @Override
    public Var activate(Tape tape, Var preactivation) {
        return activation.isIdentity() ? preactivation : PointwiseOps.apply(tape, preactivation, activation);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type());
        c.put("in", inputSize());
        c.put("out", outputSize());
        c.put("bias", hasBias());
        Activations.putConfig(c, activation);
        return c;
    }

    @Override
    public Dense copy() {
        return new Dense(weight.value(), bias == null ? null : bias.value(), activation);
    }

    @Override
    public String toString() {
        return "Dense(" + inputSize() + " -> " + outputSize() + ", " + Activations.describe(activation)
                + (hasBias() ? "" : ", no bias") + ")";
    }
}
