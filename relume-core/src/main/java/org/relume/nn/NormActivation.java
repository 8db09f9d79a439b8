package org.relume.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.tensor.PointwiseOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * Batch normalization of an image's channels followed by an activation, h = f(BN(x)), as a layer of
 * its own: the first two operations of DenseNet's composite function T = BN-ReLU-conv (Huang et al.
 * 2017, Section 3; Li et al., eqs. 19 and 21), which normalizes a layer's input rather than its
 * output. Its units are the channels and BN(x) is their preactivation, so jumpstart and the
 * unit/point states see what the activation sees, as for a {@link Conv2d} with batch norm.
 */
public final class NormActivation implements Layer {
    private final BatchNorm norm;
    private final int positions;
    private final PointwiseFunction activation;

    /** @param positions H x W positions of each channel */
    public NormActivation(BatchNorm norm, int positions, PointwiseFunction activation) {
        if (positions <= 0) {
            throw new IllegalArgumentException("batch norm layer: positions must be positive, got " + positions);
        }
        this.norm = norm;
        this.positions = positions;
        this.activation = activation;
    }

    /** Scale 1, shift 0 and fresh running statistics over {@code channels} maps. */
    public static NormActivation fresh(int channels, int positions, PointwiseFunction activation) {
        return new NormActivation(BatchNorm.fresh(channels), positions, activation);
    }

    public BatchNorm batchNorm() {
        return norm;
    }

    public int channels() {
        return norm.channels();
    }

    @Override public String type() { return "batch_norm"; }

    @Override public int inputSize() { return norm.channels() * positions; }

    @Override public int outputSize() { return inputSize(); }

    @Override public int spatial() { return positions; }

    @Override public PointwiseFunction activation() { return activation; }

    @Override public List<Var> parameters() { return norm.parameters(); }

    @Override public Map<String, Tensor> buffers() { return norm.buffers(); }

    @Override
    public Var preactivate(Tape tape, Var input) {
        return norm.apply(tape, input);
    }

    @Override
    public Var activate(Tape tape, Var preactivation) {
        return activation.isIdentity() ? preactivation : PointwiseOps.apply(tape, preactivation, activation);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type());
        c.put("channels", norm.channels());
        c.put("positions", positions);
        c.put("in", inputSize());
        c.put("out", outputSize());
        c.put("bn_momentum", norm.momentum());
        c.put("bn_eps", norm.eps());
        Activations.putConfig(c, activation);
        return c;
    }

    @Override
    public NormActivation copy() {
        return new NormActivation(norm.copy(), positions, activation);
    }

    @Override
    public String toString() {
        return "BatchNorm(" + norm.channels() + " channels x " + positions + " positions, "
                + Activations.describe(activation) + ")";
    }
}
