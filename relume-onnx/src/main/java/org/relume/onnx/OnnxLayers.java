package org.relume.onnx;

import java.util.ArrayList;
import java.util.List;
import org.relume.nn.BatchNorm;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.GlobalPool;
import org.relume.nn.Layer;
import org.relume.nn.NormActivation;
import org.relume.nn.Pool2d;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Each kind of Relume layer as ONNX nodes (opset 17): dense as Gemm (transB = 1, since Relume's W
 * is [out, in], PyTorch's layout); a convolution as Conv with its [out, in*k*k] weight read as
 * [out, in, k, k], symmetric pads and strides, then BatchNormalization in inference mode with the
 * running statistics (y = gamma (x - mean) / sqrt(var + eps) + beta, as Relume's evaluation
 * computes it); local pooling as MaxPool/AveragePool without padding; the global heads as
 * GlobalAveragePool/GlobalMaxPool, flattened, both concatenated average first for gap+gmp; a
 * batch-norm layer of its own as BatchNormalization and its activation.
 */
final class OnnxLayers {
    private OnnxLayers() {}

    /** The nodes of {@code layer} applied to {@code x}; {@code stem} names its values ({@code layers.3}). */
    static OnnxValue apply(OnnxGraph g, OnnxValue x, Layer layer, String stem) {
        if (layer instanceof Dense d) {
            return dense(g, x, d, stem);
        }
        if (layer instanceof Conv2d c) {
            return conv(g, x, c, stem);
        }
        if (layer instanceof Pool2d p) {
            return pool(g, x, p, stem);
        }
        if (layer instanceof GlobalPool p) {
            return globalPool(g, x, p, stem);
        }
        if (layer instanceof NormActivation n) {
            return norm(g, x, n, stem);
        }
        throw new IllegalArgumentException("ONNX export: layer " + stem + " is a " + layer.type()
                + " layer, which the exporter does not know");
    }

    private static OnnxValue dense(OnnxGraph g, OnnxValue x, Dense d, String stem) {
        OnnxValue in = x.asFlat(g);
        List<String> inputs = new ArrayList<>(List.of(in.name(), tensor(g, stem + ".weight", d.weight())));
        if (d.hasBias()) {
            inputs.add(tensor(g, stem + ".bias", d.bias()));
        }
        String z = g.node("Gemm", stem + ".gemm", inputs, OnnxGraph.attribute("transB", 1L));
        return OnnxValue.flat(OnnxActivations.apply(g, z, d.activation(), stem + "." + d.activation().name()),
                d.outputSize());
    }

    private static OnnxValue conv(OnnxGraph g, OnnxValue x, Conv2d c, String stem) {
        ConvGeometry geo = c.geometry();
        OnnxValue in = x.asImage(g, geo.inChannels(), geo.height(), geo.width());
        int k = geo.kernel();
        String w = g.floats(stem + ".weight", values(c.weight().value()), geo.outChannels(), geo.inChannels(), k, k);
        List<String> inputs = new ArrayList<>(List.of(in.name(), w));
        if (c.bias() != null) {
            inputs.add(tensor(g, stem + ".bias", c.bias()));
        }
        long p = geo.padding();
        String z = g.node("Conv", stem + ".conv", inputs, OnnxGraph.attribute("kernel_shape", new long[] {k, k}),
                OnnxGraph.attribute("strides", new long[] {geo.stride(), geo.stride()}),
                OnnxGraph.attribute("pads", new long[] {p, p, p, p}));
        if (c.batchNorm() != null) {
            z = batchNorm(g, z, c.batchNorm(), stem);
        }
        String h = OnnxActivations.apply(g, z, c.activation(), stem + "." + c.activation().name());
        return OnnxValue.image(h, geo.outChannels(), geo.outHeight(), geo.outWidth());
    }

    /** A batch-norm layer of its own (DenseNet's BN-ReLU before a convolution) on the image that reaches it. */
    private static OnnxValue norm(OnnxGraph g, OnnxValue x, NormActivation n, String stem) {
        if (!x.isImage() || x.channels() != n.channels()) {
            throw new IllegalArgumentException("ONNX export: batch norm " + stem + " over " + n.channels() + " channels needs"
                    + " an image of that many channels before it");
        }
        String z = batchNorm(g, x.name(), n.batchNorm(), stem);
        String h = OnnxActivations.apply(g, z, n.activation(), stem + "." + n.activation().name());
        return OnnxValue.image(h, x.channels(), x.height(), x.width());
    }

    /** BatchNormalization in inference mode with the running statistics. */
    private static String batchNorm(OnnxGraph g, String z, BatchNorm bn, String stem) {
        return g.node("BatchNormalization", stem + ".bn", List.of(z, tensor(g, stem + ".bn.weight", bn.parameters().get(0)),
                tensor(g, stem + ".bn.bias", bn.parameters().get(1)),
                tensor(g, stem + ".bn.running_mean", bn.buffers().get("bn.running_mean")),
                tensor(g, stem + ".bn.running_var", bn.buffers().get("bn.running_var"))),
                OnnxGraph.attribute("epsilon", bn.eps()));
    }

    private static OnnxValue pool(OnnxGraph g, OnnxValue x, Pool2d p, String stem) {
        ConvGeometry geo = p.geometry();
        OnnxValue in = x.asImage(g, geo.inChannels(), geo.height(), geo.width());
        String op = p.mode() == Pool2d.Mode.MAX ? "MaxPool" : "AveragePool";
        String y = g.node(op, stem + "." + p.mode().id() + "pool", List.of(in.name()),
                OnnxGraph.attribute("kernel_shape", new long[] {geo.kernel(), geo.kernel()}),
                OnnxGraph.attribute("strides", new long[] {geo.stride(), geo.stride()}));
        return OnnxValue.image(y, geo.outChannels(), geo.outHeight(), geo.outWidth());
    }

    private static OnnxValue globalPool(OnnxGraph g, OnnxValue x, GlobalPool p, String stem) {
        if (!x.isImage()) {
            throw new IllegalArgumentException("ONNX export: global pooling " + stem + " follows a flat layer; the exporter"
                    + " needs the image shape from a convolution or pooling layer before it");
        }
        List<String> parts = new ArrayList<>();
        if (p.mode() != GlobalPool.Mode.MAX) {
            parts.add(g.node("GlobalAveragePool", stem + ".gap", List.of(x.name())));
        }
        if (p.mode() != GlobalPool.Mode.AVG) {
            parts.add(g.node("GlobalMaxPool", stem + ".gmp", List.of(x.name())));
        }
        String pooled = parts.size() == 1 ? parts.get(0)
                : g.node("Concat", stem + ".gap_gmp", parts, OnnxGraph.attribute("axis", 1L));
        String flat = g.node("Flatten", stem + ".flat", List.of(pooled), OnnxGraph.attribute("axis", 1L));
        return OnnxValue.flat(flat, p.outputSize());
    }

    /** The tensor's own values (its backing array may be longer). */
    static float[] values(Tensor t) {
        return java.util.Arrays.copyOf(t.data(), t.numel());
    }

    private static String tensor(OnnxGraph g, String name, Var v) {
        return tensor(g, name, v.value());
    }

    private static String tensor(OnnxGraph g, String name, Tensor t) {
        long[] dims = new long[t.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.dim(i);
        }
        return g.floats(name, values(t), dims);
    }
}
