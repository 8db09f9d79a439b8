package org.relume.onnx;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.data.Task;
import org.relume.io.Json;
import org.relume.io.ModelFiles.SavedModel;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.onnx.proto.Onnx.AttributeProto;
import org.relume.onnx.proto.Onnx.GraphProto;
import org.relume.onnx.proto.Onnx.ModelProto;
import org.relume.onnx.proto.Onnx.NodeProto;
import org.relume.onnx.proto.Onnx.StringStringEntryProto;
import org.relume.onnx.proto.Onnx.TensorProto;
import org.relume.tensor.Tensor;

/**
 * Reads a plain MLP from an ONNX model (ONNX IR; any producer: Relume's own export, PyTorch's
 * torch.onnx, ...) so that a network trained elsewhere can be analyzed, canonicalized or grown.
 * It follows the graph from its input along one chain: an optional standardization (Sub of a
 * constant, then Div by a constant), then dense layers, each a Gemm (transA = 0, alpha = beta = 1;
 * transB either way) or a MatMul and Add of constants, each optionally followed by one activation
 * (Relu, LeakyRelu, Elu, Sigmoid, Tanh, Softplus, Softsign, or x * Sigmoid(x) as swish); Identity
 * nodes pass through. The chain ends at a graph output or at a Softmax, which makes the model a
 * multiclass classifier. The task and class names come from Relume's metadata_props when present;
 * otherwise a trailing Softmax means classification and anything else regression. Any other
 * operator is refused with one line that names the node.
 */
public final class OnnxImport {
    /** Larger files are refused before they are read (protobuf's own message limit is 2 GiB). */
    public static final long MAX_BYTES = 1L << 30;
    private static final List<String> ACTIVATIONS = List.of("Relu", "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Softplus",
            "Softsign");

    private final Path file;
    private final GraphProto graph;
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final List<Dense> layers = new ArrayList<>();
    private float[] mean;
    private float[] std;
    private boolean softmax;

    private OnnxImport(Path file, GraphProto graph) {
        this.file = file;
        this.graph = graph;
        for (TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), t);
        }
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getAttributeCount() == 1 && n.getAttribute(0).hasT()) {
                constants.put(n.getOutput(0), n.getAttribute(0).getT());
                continue;
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    /** The model in {@code file} as a Relume network and its metadata. */
    public static SavedModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": " + Files.size(file) + " bytes, more than the " + MAX_BYTES
                    + " an ONNX import reads");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(file + ": not an ONNX model (" + e.getMessage() + ")");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException(file + ": not an ONNX model (no graph)");
        }
        OnnxImport in = new OnnxImport(file, model.getGraph());
        Network network = new Network(in.follow());
        return new SavedModel(network, in.metadata(model, network));
    }

    /** Walks the chain from the graph input and returns its dense layers. */
    private List<Dense> follow() {
        String current = standardization(input());
        while (current != null && !isRelumeOutput(current)) {
            NodeProto n = next(current);
            if (n == null) {
                break;
            }
            current = switch (n.getOpType()) {
                case "Gemm" -> gemm(n);
                case "MatMul" -> matMul(n);
                case "Identity" -> n.getOutput(0);
                case "Softmax" -> {
                    softmax = true;
                    yield null;
                }
                default -> activation(n, current);
            };
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(file + ": no dense layer (Gemm, or MatMul and Add) follows the input");
        }
        return layers;
    }

    /** Relume's exported graphs name the last layer's output {@code logits} or {@code output}. */
    private boolean isRelumeOutput(String value) {
        return value.equals(OnnxExport.LOGITS) || value.equals(OnnxExport.OUTPUT);
    }

    private String input() {
        List<String> inputs = new ArrayList<>();
        graph.getInputList().forEach(v -> {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v.getName());
            }
        });
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(file + ": a plain MLP has one input, this graph has " + inputs.size()
                    + " " + inputs);
        }
        return inputs.get(0);
    }

    /** The one node that reads {@code value} (null at the end of the chain). */
    private NodeProto next(String value) {
        List<NodeProto> readers = consumers.getOrDefault(value, List.of());
        if (readers.size() == 2 && isSwish(readers.get(0), readers.get(1))) {
            return readers.get(0);
        }
        if (readers.size() == 2 && isSwish(readers.get(1), readers.get(0))) {
            return readers.get(1);
        }
        if (readers.size() > 1) {
            throw new IllegalArgumentException(file + ": the value " + value + " is read by " + readers.size() + " nodes ("
                    + readers.stream().map(NodeProto::getOpType).toList() + "); a plain MLP is one chain");
        }
        return readers.isEmpty() ? null : readers.get(0);
    }

    /** x * Sigmoid(x): the Sigmoid, and a Mul that reads its output. */
    private static boolean isSwish(NodeProto sigmoid, NodeProto mul) {
        return sigmoid.getOpType().equals("Sigmoid") && mul.getOpType().equals("Mul")
                && mul.getInputList().contains(sigmoid.getOutput(0));
    }

    /** Sub(x, mean) then Div(., std) right after the input, as Relume exports its standardization. */
    private String standardization(String x) {
        List<NodeProto> readers = consumers.getOrDefault(x, List.of());
        if (readers.size() != 1 || !readers.get(0).getOpType().equals("Sub")) {
            return x;
        }
        NodeProto sub = readers.get(0);
        NodeProto div = next(sub.getOutput(0));
        if (div == null || !div.getOpType().equals("Div") || !input(div, 0).equals(sub.getOutput(0))) {
            throw refuse(sub, "a Sub after the input is read as standardization only when a Div by a constant follows");
        }
        mean = floats(sub, input(sub, 1));
        std = floats(div, input(div, 1));
        return div.getOutput(0);
    }

    private String gemm(NodeProto n) {
        Map<String, AttributeProto> a = attributes(n);
        if (intAttr(a, "transA", 0) != 0 || floatAttr(a, "alpha", 1f) != 1f || floatAttr(a, "beta", 1f) != 1f) {
            throw refuse(n, "only Gemm with transA = 0, alpha = 1 and beta = 1 is a dense layer");
        }
        Tensor w = matrix(n, input(n, 1));
        Tensor weight = intAttr(a, "transB", 0) != 0 ? w : transpose(w);
        Tensor bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(n, n.getInput(2), weight.rows()) : null;
        layers.add(new Dense(weight, bias, Activations.byName("identity")));
        return n.getOutput(0);
    }

    private String matMul(NodeProto n) {
        Tensor weight = transpose(matrix(n, input(n, 1)));
        NodeProto add = next(n.getOutput(0));
        Tensor bias = null;
        String out = n.getOutput(0);
        if (add != null && add.getOpType().equals("Add") && constants.containsKey(input(add, 1))) {
            bias = vector(add, add.getInput(1), weight.rows());
            out = add.getOutput(0);
        }
        layers.add(new Dense(weight, bias, Activations.byName("identity")));
        return out;
    }

    /** An activation on the last dense layer; swish is Sigmoid(x) multiplied back into x. */
    private String activation(NodeProto n, String x) {
        if (!ACTIVATIONS.contains(n.getOpType())) {
            throw refuse(n, "not part of a plain MLP; import reads Gemm, MatMul and Add, " + String.join(", ", ACTIVATIONS)
                    + ", Identity and Softmax");
        }
        if (layers.isEmpty() || !layers.get(layers.size() - 1).activation().isIdentity()) {
            throw refuse(n, "an activation must follow a dense layer directly");
        }
        Map<String, AttributeProto> a = attributes(n);
        String name = n.getOpType();
        String out = n.getOutput(0);
        if (name.equals("Sigmoid")) {
            NodeProto mul = consumers.getOrDefault(x, List.of()).stream().filter(m -> m.getOpType().equals("Mul")).findFirst()
                    .orElse(null);
            if (mul != null && mul.getInputList().contains(out)) {
                consumers.get(x).remove(mul);
                setActivation(Activations.byName("swish"));
                return mul.getOutput(0);
            }
        }
        setActivation(switch (name) {
            case "LeakyRelu" -> Activations.byName("leaky_relu", Map.of("negative_slope", floatAttr(a, "alpha", 0.01f)));
            case "Elu" -> Activations.byName("elu", Map.of("alpha", floatAttr(a, "alpha", 1f)));
            default -> Activations.byName(name.toLowerCase(java.util.Locale.ROOT));
        });
        return out;
    }

    private void setActivation(org.relume.tensor.kernel.PointwiseFunction f) {
        int last = layers.size() - 1;
        layers.set(last, layers.get(last).withActivation(f));
    }

    private ModelMetadata metadata(ModelProto model, Network network) {
        Map<String, String> props = new HashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        Task task = task(props.get(OnnxExport.TASK_KEY), network.outputSize());
        int classes = task == Task.REGRESSION ? 0 : task == Task.BINARY ? 2 : network.outputSize();
        List<String> classNames = stringList(props.get(OnnxExport.CLASS_NAMES_KEY));
        List<String> features = stringList(props.get(OnnxExport.FEATURE_NAMES_KEY));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("command", "import");
        provenance.put("source", file.toString());
        provenance.put("producer", (model.getProducerName() + " " + model.getProducerVersion()).strip());
        String loss = task == Task.REGRESSION ? "mse" : task == Task.BINARY ? "bce" : "softmax_ce";
        return new ModelMetadata(task, classes, loss, perInput(mean, "mean", network.inputSize()),
                perInput(std, "std", network.inputSize()), features.size() == network.inputSize() ? features : List.of(),
                provenance, classNames.size() == classes ? classNames : List.of());
    }

    /**
     * A standardization statistic as one value per input: a single value (the broadcast constant
     * other exporters write) is repeated; anything else must match the inputs. The std must be
     * positive and both finite, or predict would divide by zero or carry NaN into the network.
     */
    private float[] perInput(float[] v, String what, int inputs) {
        if (v == null) {
            return null;
        }
        float[] out = v;
        if (v.length == 1) {
            out = new float[inputs];
            java.util.Arrays.fill(out, v[0]);
        }
        if (out.length != inputs) {
            throw new IllegalArgumentException(file + ": the standardization's " + what + " has " + v.length
                    + " values for " + inputs + " inputs");
        }
        for (float x : out) {
            if (!Float.isFinite(x) || (what.equals("std") && !(x > 0))) {
                throw new IllegalArgumentException(file + ": the standardization's " + what + " holds " + x
                        + (what.equals("std") ? "; it must be finite and positive" : "; it must be finite"));
            }
        }
        return out;
    }

    private Task task(String id, int outputs) {
        if (id != null) {
            for (Task t : Task.values()) {
                if (t.id().equals(id)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(file + ": metadata " + OnnxExport.TASK_KEY + " is '" + id + "', not a task");
        }
        return softmax && outputs >= 2 ? Task.MULTICLASS : Task.REGRESSION;
    }

    private List<String> stringList(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": metadata is not a JSON list of strings: " + json);
        }
    }

    private IllegalArgumentException refuse(NodeProto n, String why) {
        return new IllegalArgumentException(file + ": node " + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + " ("
                + n.getOpType() + "): " + why);
    }

    private static Map<String, AttributeProto> attributes(NodeProto n) {
        Map<String, AttributeProto> m = new HashMap<>();
        n.getAttributeList().forEach(a -> m.put(a.getName(), a));
        return m;
    }

    private static long intAttr(Map<String, AttributeProto> a, String name, long dflt) {
        return a.containsKey(name) ? a.get(name).getI() : dflt;
    }

    private static float floatAttr(Map<String, AttributeProto> a, String name, float dflt) {
        return a.containsKey(name) ? a.get(name).getF() : dflt;
    }

    private float[] finite(NodeProto n, String name, float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw refuse(n, "the constant " + name + " holds " + x + "; weights must be finite");
            }
        }
        return v;
    }

    /** Input i of a node, or one line naming the node when it has fewer (a malformed file). */
    private String input(NodeProto n, int i) {
        if (n.getInputCount() <= i) {
            throw refuse(n, "it has " + n.getInputCount() + " input(s), expected at least " + (i + 1));
        }
        return n.getInput(i);
    }

    private Tensor matrix(NodeProto n, String name) {
        TensorProto t = constant(n, name);
        if (t.getDimsCount() != 2) {
            throw refuse(n, "the weight " + name + " has " + t.getDimsCount() + " dimensions, a dense layer needs 2");
        }
        return Tensor.wrap(finite(n, name, floats(n, name)), (int) t.getDims(0), (int) t.getDims(1));
    }

    private Tensor vector(NodeProto n, String name, int size) {
        float[] v = finite(n, name, floats(n, name));
        if (v.length != size) {
            throw refuse(n, "the bias " + name + " has " + v.length + " values for " + size + " units");
        }
        return Tensor.wrap(v, size);
    }

    private TensorProto constant(NodeProto n, String name) {
        TensorProto t = constants.get(name);
        if (t == null) {
            throw refuse(n, "the input " + name + " is not a constant (initializer or Constant node)");
        }
        return t;
    }

    /** A float tensor's values, from raw_data (little-endian) or float_data. */
    private float[] floats(NodeProto n, String name) {
        TensorProto t = constant(n, name);
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw refuse(n, "the tensor " + name + " has data type " + t.getDataType() + "; import reads float tensors (1)");
        }
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        float[] v;
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
        } else {
            v = new float[t.getFloatDataCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatData(i);
            }
        }
        if (v.length != count) {
            throw refuse(n, "the tensor " + name + " holds " + v.length + " values for its shape " + t.getDimsList());
        }
        return v;
    }

    private static Tensor transpose(Tensor m) {
        int r = m.rows();
        int c = m.cols();
        float[] out = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = m.data()[i * c + j];
            }
        }
        return Tensor.wrap(out, c, r);
    }
}
