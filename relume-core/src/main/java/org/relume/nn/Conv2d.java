package org.relume.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.ConvOps;
import org.relume.tensor.PointwiseOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * A 2-D convolution layer, h = f(conv(x) + b), with k x k kernels, a stride and zero padding, on
 * feature-major images [C*H*W, batch] (see {@link ConvOps}). The weight is [out_channels,
 * in_channels*k*k] (PyTorch's [out, in, k, k] flattened), so model files and the optimizers treat it
 * like a dense weight. Its units, for jumpstart and the unit/point states, are its output channels,
 * each over H' x W' positions (Riera et al., the convolutional case of eqs. 3-6).
 *
 * <p>With a {@link BatchNorm}, g = BN(conv(x) + b) and h = f(g): the normalized values are the
 * preactivation, so jumpstart and the unit states see what the activation sees.
 */
public final class Conv2d implements Layer {
    private final ConvGeometry geometry;
    private final Var weight;
    private final Var bias;
    private final PointwiseFunction activation;
    private final BatchNorm norm;

    public Conv2d(ConvGeometry geometry, Tensor weight, Tensor bias, PointwiseFunction activation) {
        if (weight.rank() != 2 || weight.rows() != geometry.outChannels() || weight.cols() != geometry.taps()) {
            throw new IllegalArgumentException("convolution: weight of shape " + weight.shapeString() + " does not match "
                    + geometry.outChannels() + " x " + geometry.taps() + " (out channels x in channels*k*k)");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != geometry.outChannels())) {
            throw new IllegalArgumentException("convolution: bias of shape " + bias.shapeString() + " does not match "
                    + geometry.outChannels() + " output channels");
        }
        this.geometry = geometry;
        this.weight = Var.parameter("weight", weight.copy());
        this.bias = bias == null ? null : Var.parameter("bias", bias.copy());
        this.activation = activation;
        this.norm = null;
    }

    /** A layer over existing parameter Vars (not copied), as model loading and surgery need. */
    public static Conv2d wrap(ConvGeometry geometry, Var weight, Var bias, PointwiseFunction activation) {
        return new Conv2d(geometry, weight, bias, activation, null);
    }

    /** As {@link #wrap}, with a batch normalization before the activation ({@code null}: none). */
    public static Conv2d wrap(ConvGeometry geometry, Var weight, Var bias, PointwiseFunction activation, BatchNorm norm) {
        return new Conv2d(geometry, weight, bias, activation, norm);
    }

    /** This layer, sharing its parameters, with a fresh batch normalization before the activation. */
    public Conv2d withBatchNorm() {
        return new Conv2d(geometry, weight, bias, activation, BatchNorm.fresh(geometry.outChannels()));
    }

    private Conv2d(ConvGeometry geometry, Var weight, Var bias, PointwiseFunction activation, BatchNorm norm) {
        this.geometry = geometry;
        this.weight = weight;
        this.bias = bias;
        this.activation = activation;
        this.norm = norm;
        if (norm != null && norm.channels() != geometry.outChannels()) {
            throw new IllegalArgumentException("convolution: batch norm over " + norm.channels() + " channels after "
                    + geometry.outChannels() + " output channels");
        }
        if (weight.value().rows() != geometry.outChannels() || weight.value().cols() != geometry.taps()) {
            throw new IllegalArgumentException("convolution: weight of shape " + weight.value().shapeString()
                    + " does not match " + geometry.outChannels() + " x " + geometry.taps());
        }
    }

    /** A layer initialized by {@code init} with the convolution's fans (in/out channels times k*k). */
    public static Conv2d create(ConvGeometry g, PointwiseFunction activation, boolean withBias, Initializer init,
                                SplittableRandom random) {
        Tensor w = Tensor.zeros(g.outChannels(), g.taps());
        Tensor b = withBias ? Tensor.zeros(g.outChannels()) : null;
        int kk = g.kernel() * g.kernel();
        init.initialize(w, b, g.inChannels() * kk, g.outChannels() * kk, random);
        return new Conv2d(g, w, b, activation);
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public Var weight() {
        return weight;
    }

    public Var bias() {
        return bias;
    }

    /** The batch normalization before the activation, or null. */
    public BatchNorm batchNorm() {
        return norm;
    }

    @Override public String type() { return "conv2d"; }

    @Override public int inputSize() { return geometry.inSize(); }

    @Override public int outputSize() { return geometry.outSize(); }

    @Override public int spatial() { return geometry.outHeight() * geometry.outWidth(); }

    @Override public PointwiseFunction activation() { return activation; }

    @Override
    public List<Var> parameters() {
        List<Var> p = new ArrayList<>(4);
        p.add(weight);
        if (bias != null) {
            p.add(bias);
        }
        if (norm != null) {
            p.addAll(norm.parameters());
        }
        return p;
    }

    @Override
    public Map<String, Tensor> buffers() {
        return norm == null ? Map.of() : norm.buffers();
    }

    @Override
    public Var preactivate(Tape tape, Var input) {
        Var z = ConvOps.conv2d(tape, weight, input, bias, geometry);
        return norm == null ? z : norm.apply(tape, z);
    }

    @Override
    public Var activate(Tape tape, Var preactivation) {
        return activation.isIdentity() ? preactivation : PointwiseOps.apply(tape, preactivation, activation);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type());
        c.put("in_channels", geometry.inChannels());
        c.put("height", geometry.height());
        c.put("width", geometry.width());
        c.put("out_channels", geometry.outChannels());
        c.put("kernel", geometry.kernel());
        c.put("stride", geometry.stride());
        c.put("padding", geometry.padding());
        c.put("in", inputSize());
        c.put("out", outputSize());
        c.put("bias", bias != null);
        if (norm != null) {
            c.put("batch_norm", true);
            c.put("bn_momentum", norm.momentum());
            c.put("bn_eps", norm.eps());
        }
        Activations.putConfig(c, activation);
        return c;
    }

    @Override
    public Conv2d copy() {
        return new Conv2d(geometry, Var.parameter("weight", weight.value().copy()),
                bias == null ? null : Var.parameter("bias", bias.value().copy()), activation,
                norm == null ? null : norm.copy());
    }

    @Override
    public String toString() {
        return "Conv2d(" + geometry.inChannels() + "x" + geometry.height() + "x" + geometry.width() + " -> "
                + geometry.outChannels() + "x" + geometry.outHeight() + "x" + geometry.outWidth() + ", " + geometry.kernel()
                + "x" + geometry.kernel() + " stride " + geometry.stride() + " pad " + geometry.padding() + ", "
                + (norm == null ? "" : "batch norm, ") + Activations.describe(activation) + ")";
    }
}
