package org.relume.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * A feedforward network: an explicit list of layers with named, addressable parameters
 * ({@code layers.<i>.weight}, {@code layers.<i>.bias}), the same names PyTorch's Sequential gives.
 *
 * <p>{@link #forward} works on feature-major batches ([inputs, batch]) and can hand every layer's
 * preactivation to a sink; {@link #predict} is the sample-major convenience for users.
 * Layers other than the last are "hidden"; the last layer produces the outputs (logits for
 * classification).
 */
public final class Network {
    private final List<Layer> layers;
    private Preactivation[] preactivationCache = new Preactivation[0];

    public Network(List<? extends Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputSize() != layers.get(i - 1).outputSize()) {
                throw new IllegalArgumentException("layer " + i + " expects " + layers.get(i).inputSize()
                        + " inputs but layer " + (i - 1) + " produces " + layers.get(i - 1).outputSize());
            }
        }
        this.layers = new ArrayList<>(layers);
    }

    public int inputSize() {
        return layers.get(0).inputSize();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** All layers, the output layer last. Unmodifiable. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Layer layer(int i) {
        return layers.get(i);
    }

    /** Number of layers including the output layer. */
    public int layerCount() {
        return layers.size();
    }

    /** Number of hidden layers (all but the output layer). */
    public int hiddenLayerCount() {
        return layers.size() - 1;
    }

    /** Widths of the hidden layers. */
    public int[] hiddenWidths() {
        int[] w = new int[hiddenLayerCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = layers.get(i).outputSize();
        }
        return w;
    }

    /**
     * Runs the network on a feature-major batch x [inputs, batch] and returns the output
     * [outputs, batch]. If {@code sink} is not null it receives every layer's preactivation, in
     * order, before the layer's activation is applied.
     */
    public Var forward(Tape tape, Var x, Consumer<Preactivation> sink) {
        Tensor xv = x.value();
        if (xv.rank() != 2 || xv.rows() != inputSize()) {
            throw new IllegalArgumentException("network expects input of shape [" + inputSize()
                    + ", batch] (feature-major), got " + xv.shapeString());
        }
        if (sink != null && preactivationCache.length != layers.size()) {
            preactivationCache = new Preactivation[layers.size()];
        }
        Var h = x;
        int last = layers.size() - 1;
        for (int i = 0; i <= last; i++) {
            Layer layer = layers.get(i);
            Var g = layer.preactivate(tape, h);
            if (sink != null) {
                sink.accept(preactivation(i, g, i == last));
            }
            h = layer.activate(tape, g);
        }
        return h;
    }

    /** Reuses the record for a layer while the tape hands back the same Var and shape. */
    private Preactivation preactivation(int layer, Var g, boolean output) {
        Tensor v = g.value();
        int units = v.rows();
        int samples = v.cols();
        Preactivation p = preactivationCache[layer];
        if (p == null || p.value() != g || p.units() != units || p.samples() != samples) {
            p = new Preactivation(layer, g, units, samples, 1, output);
            preactivationCache[layer] = p;
        }
        return p;
    }

    /**
     * Outputs for sample-major inputs [n, inputs], as [n, outputs]: raw outputs (logits for
     * classification). Runs in chunks on a private tape without recording gradients.
     */
    public Tensor predict(Tensor samples) {
        samples.requireRank(2);
        if (samples.cols() != inputSize()) {
            throw new IllegalArgumentException("network expects " + inputSize() + " input features, got "
                    + samples.cols() + " (input shape " + samples.shapeString() + ")");
        }
        int n = samples.rows();
        int in = inputSize();
        int out = outputSize();
        Tensor result = Tensor.zeros(n, out);
        Tape tape = new Tape();
        tape.setGradEnabled(false);
        int chunk = 4096;
        float[] src = samples.data();
        float[] dst = result.data();
        for (int start = 0; start < n; start += chunk) {
            int b = Math.min(chunk, n - start);
            Tensor x = Tensor.zeros(in, b);
            float[] xd = x.data();
            for (int s = 0; s < b; s++) {
                for (int f = 0; f < in; f++) {
                    xd[f * b + s] = src[(start + s) * in + f];
                }
            }
            tape.reset();
            Tensor y = forward(tape, Var.constant(x), null).value();
            float[] yd = y.data();
            for (int s = 0; s < b; s++) {
                for (int o = 0; o < out; o++) {
                    dst[(start + s) * out + o] = yd[o * b + s];
                }
            }
        }
        return result;
    }

    /** Parameters by qualified name, in layer order. */
    public Map<String, Var> namedParameters() {
        Map<String, Var> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Var v : layers.get(i).parameters()) {
                m.put("layers." + i + "." + v.name(), v);
            }
        }
        return m;
    }

    /** All parameters, in layer order. */
    public List<Var> parameters() {
        List<Var> p = new ArrayList<>();
        for (Layer l : layers) {
            p.addAll(l.parameters());
        }
        return p;
    }

    /** The parameter with the given qualified name; the message lists the names when it is unknown. */
    public Var parameter(String name) {
        Var v = namedParameters().get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; this network has "
                    + String.join(", ", namedParameters().keySet()));
        }
        return v;
    }

    /** Copies {@code value} into the named parameter, which must have the same shape. */
    public void setParameter(String name, Tensor value) {
        Var v = parameter(name);
        if (!v.value().sameShape(value)) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + v.value().shapeString()
                    + ", got a value of shape " + value.shapeString());
        }
        v.value().copyFrom(value);
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (Var v : parameters()) {
            n += v.value().numel();
        }
        return n;
    }

    /** A deep copy with fresh gradients. */
    public Network copy() {
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            copies.add(l.copy());
        }
        return new Network(copies);
    }

    /** A new network with layers replaced, inserted or removed by the caller (surgery). */
    public Network withLayers(List<? extends Layer> newLayers) {
        return new Network(newLayers);
    }

    /** Like {@code 2-8-8-1 relu}. */
    public String architecture() {
        StringBuilder sb = new StringBuilder().append(inputSize());
        for (Layer l : layers) {
            sb.append('-').append(l.outputSize());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Network(" + architecture() + ", " + layers + ")";
    }
}
