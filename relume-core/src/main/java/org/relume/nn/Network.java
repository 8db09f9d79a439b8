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
 * <p>Most networks are a <em>chain</em>: layer i reads layer i-1. A <em>structured</em> network is a
 * sequence of {@link Stage}s, each free to read any earlier state of its block and to hold
 * learnable coefficients (the optimization-inspired structures of Li et al.); its layers are still
 * one flat, named list (the stages' layers in order), and its coefficients are named
 * {@code stages.<s>.<name>}. A chain keeps its own loop, so plain MLPs pay nothing for the graph.
 *
 * <p>{@link #forward} works on feature-major batches ([inputs, batch]) and can hand every layer's
 * preactivation to a sink; {@link #predict} is the sample-major convenience for users.
 * Layers other than the last are "hidden"; the last layer produces the outputs (logits for
 * classification). A network runs one forward pass at a time (it keeps scratch between passes).
 */
public final class Network {
    private final List<Layer> layers;
    /** Null for a chain. */
    private final List<Stage> stages;
    private final int[] stageLayerOffset;
    private final int[] stageLayerCount;
    private final StageStates states = new StageStates();
    private final Runner runner = new Runner();
    private Preactivation[] preactivationCache = new Preactivation[0];

    /** A chain of layers. */
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
        this.stages = null;
        this.stageLayerOffset = new int[0];
        this.stageLayerCount = new int[0];
    }

    private Network(List<Stage> stages, boolean structured) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one stage");
        }
        List<Layer> all = new ArrayList<>();
        stageLayerOffset = new int[stages.size()];
        stageLayerCount = new int[stages.size()];
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            if (s > 0 && stage.inputSize() != stages.get(s - 1).outputSize()) {
                throw new IllegalArgumentException("stage " + s + " (" + stage.type() + ") expects " + stage.inputSize()
                        + " inputs but stage " + (s - 1) + " produces " + stages.get(s - 1).outputSize());
            }
            if (s == 0 && stage.position() != 0) {
                throw new IllegalArgumentException("the first stage must start a block (position 0), got position "
                        + stage.position());
            }
            if (s > 0 && stage.position() != 0 && (stage.position() != stages.get(s - 1).position() + 1
                    || stages.get(s - 1) instanceof LayerStage || !stages.get(s - 1).type().equals(stage.type()))) {
                throw new IllegalArgumentException("stage " + s + " (" + stage.type() + ") is layer " + stage.position()
                        + " of a block but follows layer " + stages.get(s - 1).position());
            }
            stageLayerOffset[s] = all.size();
            stageLayerCount[s] = stage.layers().size();
            all.addAll(stage.layers());
        }
        this.layers = all;
        this.stages = new ArrayList<>(stages);
    }

    /**
     * A network of stages. If every stage is a plain {@link LayerStage} the result is the equivalent
     * chain, so a structure with no side paths runs at chain speed and saves as a plain MLP.
     */
    public static Network ofStages(List<? extends Stage> stages) {
        if (stages.stream().allMatch(s -> s instanceof LayerStage)) {
            List<Layer> chain = new ArrayList<>();
            for (Stage s : stages) {
                chain.addAll(s.layers());
            }
            return new Network(chain);
        }
        return new Network(new ArrayList<>(stages), true);
    }

    /** True for a chain (layer i reads layer i-1), false for a structured network. */
    public boolean isChain() {
        return stages == null;
    }

    /** Throws, with one line naming {@code what}, unless this network is a chain. */
    public void requireChain(String what) {
        if (!isChain()) {
            throw new IllegalArgumentException(what + " works on chain networks (plain MLPs) only; this network has the "
                    + structure() + " structure");
        }
    }

    /** The stages of a structured network; for a chain, one plain stage per layer. Unmodifiable. */
    public List<Stage> stages() {
        if (stages == null) {
            List<Stage> plain = new ArrayList<>(layers.size());
            for (Layer l : layers) {
                plain.add(new LayerStage(l));
            }
            return Collections.unmodifiableList(plain);
        }
        return Collections.unmodifiableList(stages);
    }

    /**
     * The structure's name: {@code chain}, or the type of the structured stages (e.g. {@code hb});
     * {@code mixed} if several kinds are present.
     */
    public String structure() {
        if (stages == null) {
            return "chain";
        }
        String name = null;
        for (Stage s : stages) {
            if (s instanceof LayerStage) {
                continue;
            }
            if (name == null) {
                name = s.type();
            } else if (!name.equals(s.type())) {
                return "mixed";
            }
        }
        return name == null ? "chain" : name;
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
        if (stages != null) {
            return forwardStages(tape, x, sink);
        }
        Var h = x;
        int last = layers.size() - 1;
        for (int i = 0; i <= last; i++) {
            Layer layer = layers.get(i);
            Var g = layer.preactivate(tape, h);
            if (sink != null && layer.hasPreactivation()) {
                sink.accept(preactivation(i, g, i == last));
            }
            h = layer.activate(tape, g);
        }
        return h;
    }

    private Var forwardStages(Tape tape, Var x, Consumer<Preactivation> sink) {
        runner.sink = sink;
        states.begin(x, stages.size());
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            states.enter(stage);
            runner.offset = stageLayerOffset[s];
            runner.count = stageLayerCount[s];
            states.push(stage.forward(tape, states, runner));
        }
        runner.sink = null;
        return states.last();
    }

    /** Runs a stage's layers under their network-wide indices, so the sink sees every T. */
    private final class Runner implements Stage.LayerRunner {
        Consumer<Preactivation> sink;
        int offset;
        int count;

        @Override
        public Var apply(Tape tape, int local, Var input) {
            if (local < 0 || local >= count) {
                throw new IndexOutOfBoundsException("a stage has " + count + " layers, asked for layer " + local);
            }
            int i = offset + local;
            Layer layer = layers.get(i);
            Var g = layer.preactivate(tape, input);
            if (sink != null && layer.hasPreactivation()) {
                sink.accept(preactivation(i, g, i == layers.size() - 1));
            }
            return layer.activate(tape, g);
        }
    }

    /** Reuses the record for a layer while the tape hands back the same Var and shape. */
    private Preactivation preactivation(int layer, Var g, boolean output) {
        Tensor v = g.value();
        int spatial = layers.get(layer).spatial();
        int units = v.rows() / spatial;
        int samples = v.cols();
        Preactivation p = preactivationCache[layer];
        if (p == null || p.value() != g || p.units() != units || p.samples() != samples) {
            p = new Preactivation(layer, g, units, samples, spatial, output);
            preactivationCache[layer] = p;
        }
        return p;
    }

    /**
     * Samples per forward pass for inference: 4096, or fewer when the layers are wide (a CNN's
     * maps), so that the values a pass keeps on its tape (about three per layer output) stay near
     * 64 M floats; two networks predicting at once then fit a default heap.
     */
    public int inferenceChunk() {
        long perSample = inputSize();
        for (Layer l : layers) {
            perSample += 3L * l.outputSize();
        }
        return (int) Math.max(16, Math.min(4096, (64L << 20) / Math.max(1, perSample)));
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
        int chunk = inferenceChunk();
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
        if (stages != null) {
            for (int s = 0; s < stages.size(); s++) {
                for (Var v : stages.get(s).coefficients()) {
                    m.put("stages." + s + "." + v.name(), v);
                }
            }
        }
        return m;
    }

    /** Saved, untrained state by qualified name ({@code layers.i.bn.running_mean}), in layer order. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> e : layers.get(i).buffers().entrySet()) {
                m.put("layers." + i + "." + e.getKey(), e.getValue());
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
        if (stages != null) {
            for (Stage s : stages) {
                p.addAll(s.coefficients());
            }
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
        if (stages != null) {
            List<Stage> copies = new ArrayList<>(stages.size());
            for (Stage s : stages) {
                List<Layer> copied = new ArrayList<>();
                for (Layer l : s.layers()) {
                    copied.add(l.copy());
                }
                copies.add(s.copy(copied));
            }
            return new Network(copies, true);
        }
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            copies.add(l.copy());
        }
        return new Network(copies);
    }

    /** A new network with layers replaced, inserted or removed by the caller (surgery). */
    public Network withLayers(List<? extends Layer> newLayers) {
        requireChain("replacing layers");
        return new Network(newLayers);
    }

    /**
     * The layer sizes, like {@code 2-8-8-1}: each layer's output size in order. For a structured
     * network this lists its layers, not how the stages connect them (see {@link #structure()}).
     */
    public String architecture() {
        StringBuilder sb = new StringBuilder().append(inputSize());
        for (Layer l : layers) {
            sb.append('-').append(l.outputSize());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Network(" + architecture() + (stages == null ? ", " + layers : ", " + stages) + ")";
    }
}
