package org.relume.grow;

import java.util.ArrayList;
import java.util.List;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * Function-preserving surgery on convolutions for growth (GradMax on CNNs, Evci et al. 2022,
 * REFERENCES.md §4.1): adds k filters (output channels) to convolution l and the matching input
 * channels to what reads it, the next convolution or the dense head over the flattened maps. A
 * convolution's weight row holds its taps channel by channel, and a flattened map's features are
 * channel-major, so the new channels' entries are appended blocks in both readers. Parameters keep
 * their {@link Var} identity and the optimizer's state is remapped as in {@link Surgery}.
 */
public final class ConvSurgery {
    private ConvSurgery() {}

    /**
     * Adds k filters to convolution {@code layer}: incoming kernels {@code inW} [k, in_channels*k1*k1],
     * biases {@code inB} [k] (null without bias), and outgoing weights {@code outW} [next_outputs,
     * k*block] where block is the next convolution's k2*k2 taps or the dense head's H*W positions. The
     * function is unchanged when the new filters output zero (zero incoming kernels and biases with
     * relu) or their outgoing weights are zero.
     */
    public static Network widen(Network net, int layer, Tensor inW, Tensor inB, Tensor outW, Optimizer optimizer) {
        Conv2d here = conv(net, layer);
        Layer reader = next(net, layer);
        ConvGeometry g = here.geometry();
        int k = inW.rows();
        int oldC = g.outChannels();
        int block = reader instanceof Conv2d c ? c.geometry().kernel() * c.geometry().kernel()
                : g.outHeight() * g.outWidth();
        if (inW.rank() != 2 || inW.cols() != g.taps()) {
            throw new IllegalArgumentException("incoming kernels must be [" + k + ", " + g.taps() + "], got " + inW.shapeString());
        }
        if ((here.bias() != null) != (inB != null) || (inB != null && inB.numel() != k)) {
            throw new IllegalArgumentException("new biases must be " + (here.bias() != null ? "[" + k + "]" : "absent"));
        }
        int readerOut = reader instanceof Conv2d c ? c.geometry().outChannels() : reader.outputSize();
        if (outW.rank() != 2 || outW.rows() != readerOut || outW.cols() != k * block) {
            throw new IllegalArgumentException("outgoing weights must be [" + readerOut + ", " + k * block + "], got "
                    + outW.shapeString());
        }
        Surgery.replaceAppendingRows(here.weight(), inW, optimizer);
        if (inB != null) {
            Surgery.replaceAppendingRows(here.bias(), inB, optimizer);
        }
        Var readerWeight = reader instanceof Conv2d c ? c.weight() : ((Dense) reader).weight();
        Surgery.replaceAppendingColumns(readerWeight, outW, optimizer);
        ConvGeometry grown = new ConvGeometry(g.inChannels(), g.height(), g.width(), oldC + k, g.kernel(), g.stride(),
                g.padding());
        List<Layer> layers = new ArrayList<>(net.layers());
        layers.set(layer, Conv2d.wrap(grown, here.weight(), here.bias(), here.activation()));
        if (reader instanceof Conv2d c) {
            ConvGeometry r = c.geometry();
            layers.set(layer + 1, Conv2d.wrap(new ConvGeometry(oldC + k, r.height(), r.width(), r.outChannels(), r.kernel(),
                    r.stride(), r.padding()), c.weight(), c.bias(), c.activation()));
        } else {
            Dense d = (Dense) reader;
            layers.set(layer + 1, Dense.wrap(d.weight(), d.bias(), d.activation()));
        }
        return new Network(layers);
    }

    /** The network with convolution {@code layer}'s activation replaced (same parameters). */
    public static Network withActivation(Network net, int layer, PointwiseFunction f) {
        Conv2d c = conv(net, layer);
        List<Layer> layers = new ArrayList<>(net.layers());
        layers.set(layer, Conv2d.wrap(c.geometry(), c.weight(), c.bias(), f));
        return new Network(layers);
    }

    /** Convolution {@code layer}, refusing what growth does not handle, with one line each. */
    static Conv2d conv(Network net, int layer) {
        net.requireChain("growing a convolution");
        if (layer < 0 || layer + 1 >= net.layerCount()) {
            throw new IllegalArgumentException("can only grow a hidden layer (0.." + (net.layerCount() - 2) + "), got " + layer);
        }
        if (!(net.layer(layer) instanceof Conv2d c)) {
            throw new IllegalArgumentException("layer " + layer + " is " + net.layer(layer).type() + ", not a convolution");
        }
        if (c.batchNorm() != null) {
            throw new IllegalArgumentException("growing a batch-normalized convolution is not supported (its new channels"
                    + " would need running statistics of their own)");
        }
        if (layer > 0 && !(net.layer(layer - 1) instanceof Conv2d)) {
            // The gradient matrix needs the layer's input, which the probe takes from the convolution before it.
            throw new IllegalArgumentException("layer " + layer + " reads a " + net.layer(layer - 1).type() + " layer;"
                    + " convolution growth needs the grown layer to read the data or another convolution");
        }
        return c;
    }

    /** What reads convolution {@code layer}: a convolution of stride 1 or the dense head over its maps. */
    static Layer next(Network net, int layer) {
        Layer r = net.layer(layer + 1);
        if (r instanceof Conv2d c) {
            if (c.batchNorm() != null) {
                throw new IllegalArgumentException("growing into a batch-normalized convolution is not supported");
            }
            return c;
        }
        if (r instanceof Dense) {
            return r;
        }
        throw new IllegalArgumentException("layer " + layer + " feeds a " + r.type() + " layer; convolution growth needs the"
                + " next layer to be a convolution or the dense head over the flattened maps");
    }
}
