package org.relume.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.blocks.Structures;
import org.relume.data.Task;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.BatchNorm;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.GlobalPool;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.NormActivation;
import org.relume.nn.Pool2d;
import org.relume.nn.Stage;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * A saved model is a directory with two files:
 * <ul>
 *   <li>{@code model.safetensors}: every parameter under its network name ({@code layers.0.weight});</li>
 *   <li>{@code model.json}: format and version, the layers (type, sizes, bias, activation and its
 *       parameters), the task, loss, input standardization, feature names and provenance. A
 *       structured network (Li et al.'s HB, AGD, AGD2, ADMM, ...) adds {@code structure} and
 *       {@code stages}: each stage's type, position in its block, coefficients and layer count; its
 *       learnable coefficients are tensors {@code stages.<s>.coefficients}. Chains have neither
 *       field, so files written before structures existed load unchanged.</li>
 * </ul>
 * Both are written atomically. Loading validates the JSON field by field, then checks that the
 * tensor file holds exactly the parameters the architecture needs, with the right shapes, before
 * reading any tensor data.
 */
public final class ModelFiles {
    private ModelFiles() {}

    public static final String WEIGHTS = "model.safetensors";
    public static final String ARCHITECTURE = "model.json";
    public static final String FORMAT = "relume-model";
    public static final int VERSION = 1;

    /** model.json holds sizes, names and a few coefficients: even a 10,000-layer model stays far below this. */
    public static final long MAX_JSON_BYTES = 16L << 20;

    /** A loaded model: the network and what is known about it. */
    public record SavedModel(Network network, ModelMetadata metadata) {}

    /**
     * Saves a model directory as one step ({@link ModelDirectory#replace}): a reader, or a kill at any
     * moment, sees either the old model or the new one, never a mix.
     */
    public static void save(Path dir, Network network, ModelMetadata metadata) throws IOException {
        ModelDirectory.replace(dir, staging -> write(staging, network, metadata));
    }

    /**
     * Writes the model's two files into {@code dir} (a fresh staging directory, or any directory the
     * caller makes consistent itself).
     */
    public static void write(Path dir, Network network, ModelMetadata metadata) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        network.namedParameters().forEach((name, v) -> tensors.put(name, v.value()));
        tensors.putAll(network.namedBuffers());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("architecture", network.architecture());
        Safetensors.write(dir.resolve(WEIGHTS), tensors, meta);
        Json.write(dir.resolve(ARCHITECTURE), describe(network, metadata));
    }

    /** The model.json content. */
    public static Map<String, Object> describe(Network network, ModelMetadata m) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("inputs", network.inputSize());
        root.put("outputs", network.outputSize());
        root.put("architecture", network.architecture());
        root.put("parameters", network.parameterCount());
        List<Object> layers = new ArrayList<>();
        for (Layer l : network.layers()) {
            layers.add(l.config());
        }
        root.put("layers", layers);
        if (!network.isChain()) {
            root.put("structure", network.structure());
            List<Object> stages = new ArrayList<>();
            for (Stage st : network.stages()) {
                Map<String, Object> c = new LinkedHashMap<>(st.config());
                c.put("layers", st.layers().size());
                stages.add(c);
            }
            root.put("stages", stages);
        }
        root.put("task", m.task().id());
        root.put("classes", m.classes());
        if (!m.classNames().isEmpty()) {
            root.put("class_names", m.classNames());
        }
        root.put("loss", m.loss());
        if (m.standardizesInputs()) {
            Map<String, Object> norm = new LinkedHashMap<>();
            norm.put("mean", toList(m.inputMean()));
            norm.put("std", toList(m.inputStd()));
            root.put("input_standardization", norm);
        }
        root.put("feature_names", m.featureNames());
        root.put("provenance", m.provenance());
        return root;
    }

    /** Every field model.json may hold, in the order {@link #describe} writes them. */
    private static final List<String> ROOT_FIELDS = List.of("format", "version", "inputs", "outputs", "architecture",
            "parameters", "layers", "structure", "stages", "task", "classes", "class_names", "loss", "input_standardization",
            "feature_names", "provenance");
    private static final List<String> LAYER_FIELDS = List.of("type", "in", "out", "bias", "activation", "activation_params");
    private static final List<String> POOL_FIELDS = List.of("type", "mode", "channels", "positions", "in", "out");
    private static final List<String> CONV_FIELDS = List.of("type", "in_channels", "height", "width", "out_channels",
            "kernel", "stride", "padding", "in", "out", "bias", "batch_norm", "bn_momentum", "bn_eps", "activation",
            "activation_params");
    private static final List<String> POOL2D_FIELDS = List.of("type", "mode", "channels", "height", "width", "kernel",
            "stride", "in", "out");
    private static final List<String> STAGE_FIELDS = List.of("type", "position", "coefficients", "learnable", "projection",
            "beta", "input", "layers");
    private static final List<String> NORM_FIELDS = List.of("type", "channels", "positions", "in", "out", "bn_momentum",
            "bn_eps", "activation", "activation_params");
    private static final List<String> STANDARDIZATION_FIELDS = List.of("mean", "std");

    /**
     * Loads a model directory, refusing with one line anything {@link #save} would not have written:
     * model.json is read strictly (no unknown or repeated fields) and every field must agree with the
     * others and with the layers (task, classes, outputs and loss; inputs, outputs, architecture and
     * parameter count; feature names), because a contradiction there means the file was edited or
     * damaged, and predictions from it would be silently wrong. Then the tensor file must hold exactly
     * the parameters the layers need, and fit in the heap, before any tensor data is read.
     */
    public static SavedModel load(Path modelDir) throws IOException {
        Path dir = ModelDirectory.readable(modelDir);
        Path json = dir.resolve(ARCHITECTURE);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, "not a model directory (expected a directory holding "
                    + ARCHITECTURE + " and " + WEIGHTS + ")");
        }
        if (!Files.exists(json)) {
            throw new ModelFormatException(json, "missing; a model directory holds " + ARCHITECTURE + " and " + WEIGHTS);
        }
        if (!Files.exists(weights)) {
            throw new ModelFormatException(weights, "missing; a model directory holds " + ARCHITECTURE + " and " + WEIGHTS);
        }
        for (Path p : new Path[] {json, weights}) {
            // A named pipe or a device would block or never end; only regular files are read.
            if (!Files.isRegularFile(p)) {
                throw new ModelFormatException(p, "not a regular file (" + (Files.isDirectory(p) ? "a directory" : "a pipe, device or socket")
                        + "); a model directory holds two regular files");
            }
        }
        long jsonBytes = Files.size(json);
        if (jsonBytes > MAX_JSON_BYTES) {
            throw new ModelFormatException(json, jsonBytes + " bytes; a model description is at most " + MAX_JSON_BYTES
                    + " bytes (this one cannot be a Relume model.json)");
        }
        JsonNode root = readJson(json);
        Fields f = new Fields(json, root);
        f.allowOnly(ROOT_FIELDS);
        String format = f.text("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(json, "field 'format' is '" + format + "', expected '" + FORMAT + "'");
        }
        int version = f.positiveInt("version");
        if (version > VERSION) {
            throw new ModelFormatException(json, "model format version " + version
                    + " is newer than this Relume reads (" + VERSION + ")");
        }
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new ModelFormatException(json, "field 'layers' must be a non-empty array");
        }
        Map<String, int[]> expectedShapes = new LinkedHashMap<>();
        // Saved but not trained (running statistics): in the tensor file, not in the parameter count.
        Map<String, int[]> bufferShapes = new LinkedHashMap<>();
        List<LayerSpec> layerArgs = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            Fields lf = new Fields(json, layersNode.get(i), "layers[" + i + "].");
            String type = lf.text("type");
            if ("global_pool".equals(type)) {
                lf.allowOnly(POOL_FIELDS);
                layerArgs.add(new LayerSpec(lf.positiveInt("in"), lf.positiveInt("out"), false, null, null, null,
                        globalPool(json, lf, i), 0));
                continue;
            }
            if ("pool2d".equals(type)) {
                lf.allowOnly(POOL2D_FIELDS);
                layerArgs.add(new LayerSpec(lf.positiveInt("in"), lf.positiveInt("out"), false, null, null, null,
                        pool2d(json, lf, i), 0));
                continue;
            }
            if ("batch_norm".equals(type)) {
                layerArgs.add(normLayer(json, lf, i, expectedShapes, bufferShapes));
                continue;
            }
            if (!"dense".equals(type) && !"conv2d".equals(type)) {
                throw new ModelFormatException(json, "layers[" + i + "].type is '" + type
                        + "'; this version reads: dense, conv2d, pool2d, global_pool, batch_norm");
            }
            lf.allowOnly("dense".equals(type) ? LAYER_FIELDS : CONV_FIELDS);
            int in = lf.positiveInt("in");
            int out = lf.positiveInt("out");
            boolean bias = lf.bool("bias");
            PointwiseFunction act = lf.activation();
            ConvGeometry conv = "conv2d".equals(type) ? convGeometry(json, lf, i, in, out) : null;
            int outUnits = conv == null ? out : conv.outChannels();
            expectedShapes.put("layers." + i + ".weight", conv == null ? new int[] {out, in} : new int[] {outUnits, conv.taps()});
            if (bias) {
                expectedShapes.put("layers." + i + ".bias", new int[] {outUnits});
            }
            float[] norm = conv != null && lf.has("batch_norm") && lf.bool("batch_norm")
                    ? new float[] {lf.finiteFloat("bn_momentum"), lf.finiteFloat("bn_eps")} : null;
            if (norm != null) {
                expectBatchNorm(i, outUnits, expectedShapes, bufferShapes);
            }
            layerArgs.add(new LayerSpec(in, out, bias, act, conv, norm, null, 0));
        }
        List<Map<String, Object>> stageConfigs = stageConfigs(json, root, layerArgs.size());
        if (stageConfigs != null) {
            for (int s = 0; s < stageConfigs.size(); s++) {
                Map<String, Object> c = stageConfigs.get(s);
                if (Boolean.TRUE.equals(c.get("learnable")) && c.get("coefficients") instanceof List<?> l) {
                    expectedShapes.put("stages." + s + ".coefficients", new int[] {l.size()});
                }
            }
        }
        // describe() writes 'structure' exactly when it writes 'stages'; it is checked against the
        // built network below.
        String structure = stageConfigs != null || root.has("structure") ? f.text("structure") : null;
        if (stageConfigs == null && structure != null && !"chain".equals(structure)) {
            throw new ModelFormatException(json, "field 'structure' is '" + structure + "' but there are no 'stages'");
        }
        // A chain's layer i reads layer i-1; a structured network's stages check their own wiring
        // (a residual unit's projection reads the unit's input) when they are built below.
        for (int i = 1; stageConfigs == null && i < layerArgs.size(); i++) {
            if (layerArgs.get(i).in() != layerArgs.get(i - 1).out()) {
                throw new ModelFormatException(json, "layers[" + i + "].in is " + layerArgs.get(i).in()
                        + " but layers[" + (i - 1) + "].out is " + layerArgs.get(i - 1).out());
            }
        }
        int last = layerArgs.size() - 1;
        int inputs = layerArgs.get(0).in();
        int outputs = layerArgs.get(last).out();
        f.requireInt("inputs", inputs, "layers[0].in is " + inputs);
        f.requireInt("outputs", outputs, "layers[" + last + "].out is " + outputs);
        StringBuilder architecture = new StringBuilder().append(inputs);
        for (LayerSpec a : layerArgs) {
            architecture.append('-').append(a.out());
        }
        String declaredArchitecture = f.text("architecture");
        if (!declaredArchitecture.equals(architecture.toString())) {
            throw new ModelFormatException(json, "field 'architecture' is '" + declaredArchitecture
                    + "' but the layers give '" + architecture + "'");
        }
        long parameters = 0;
        for (int[] shape : expectedShapes.values()) {
            parameters += numel(shape);
        }
        String holders = stageConfigs == null ? "the layers hold " : "the layers and stages hold ";
        long declaredParameters = f.nonNegativeLong("parameters");
        if (declaredParameters != parameters) {
            throw new ModelFormatException(json, "field 'parameters' is " + declaredParameters + " but " + holders
                    + parameters + " parameters");
        }

        Task task = f.task();
        int classes = f.nonNegativeInt("classes");
        requireConsistentTask(json, task, classes, outputs);
        String loss = f.text("loss");
        String taskLoss = Loss.forTask(task).id();
        if (!loss.equals(taskLoss)) {
            throw new ModelFormatException(json, "field 'loss' is '" + loss + "' but a " + task.id()
                    + " model is trained with '" + taskLoss + "'");
        }
        float[] mean = null;
        float[] std = null;
        JsonNode norm = root.get("input_standardization");
        if (norm != null && !norm.isNull()) {
            Fields nf = new Fields(json, norm, "input_standardization.");
            nf.allowOnly(STANDARDIZATION_FIELDS);
            mean = nf.floats("mean", inputs);
            std = nf.floats("std", inputs);
            for (int i = 0; i < std.length; i++) {
                if (!(std[i] > 0) || !Float.isFinite(std[i]) || !Float.isFinite(mean[i])) {
                    throw new ModelFormatException(json, "input_standardization: std[" + i + "] must be finite and positive, mean finite");
                }
            }
        }
        List<String> featureNames = f.strings("feature_names");
        if (!featureNames.isEmpty() && featureNames.size() != inputs) {
            throw new ModelFormatException(json, "field 'feature_names' lists " + featureNames.size()
                    + " names but the model has " + inputs + " inputs; expected " + inputs + " names, or none");
        }
        List<String> classNames = classNames(json, f, classes);
        Map<String, Object> provenance = new LinkedHashMap<>();
        JsonNode prov = root.get("provenance");
        if (prov != null && !prov.isNull()) {
            if (!prov.isObject()) {
                throw new ModelFormatException(json, "field 'provenance' must be a JSON object, got " + prov.getNodeType()
                        .toString().toLowerCase(Locale.ROOT));
            }
            provenance = Json.MAPPER.convertValue(prov, LinkedHashMap.class);
        }

        // Check the tensor file's header against the architecture before reading any data.
        Safetensors.Header header = Safetensors.readHeader(weights);
        Map<String, int[]> found = new LinkedHashMap<>();
        for (Safetensors.TensorInfo t : header.tensors()) {
            found.put(t.name(), t.shape());
        }
        Map<String, int[]> savedShapes = new LinkedHashMap<>(expectedShapes);
        savedShapes.putAll(bufferShapes);
        for (Map.Entry<String, int[]> e : savedShapes.entrySet()) {
            int[] s = found.get(e.getKey());
            if (s == null) {
                throw new ModelFormatException(weights, "missing tensor '" + e.getKey() + "' required by "
                        + ARCHITECTURE + " (expected shape " + Arrays.toString(e.getValue()) + ")");
            }
            if (!Arrays.equals(s, e.getValue())) {
                throw new ModelFormatException(weights, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(s)
                        + " but " + ARCHITECTURE + " needs " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : found.keySet()) {
            if (!savedShapes.containsKey(name)) {
                throw new ModelFormatException(weights, "unexpected tensor '" + name + "' not described by " + ARCHITECTURE);
            }
        }
        Map<String, Tensor> tensors = Safetensors.read(weights).tensors();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerArgs.size(); i++) {
            LayerSpec a = layerArgs.get(i);
            if (a.fixed() != null) {
                layers.add(a.fixed());
                continue;
            }
            if (a.normPositions() > 0) {
                layers.add(new NormActivation(batchNorm(weights, tensors, i, a.batchNorm()), a.normPositions(),
                        a.activation()));
                continue;
            }
            Tensor w = tensors.get("layers." + i + ".weight");
            Tensor b = a.bias() ? tensors.get("layers." + i + ".bias") : null;
            checkFinite(weights, "layers." + i + ".weight", w);
            if (b != null) {
                checkFinite(weights, "layers." + i + ".bias", b);
            }
            // The tensors were just read and belong to no one else: wrapping them instead of copying
            // keeps the peak at the data size Safetensors.read checked against the free heap.
            Var wv = Var.parameter("weight", w);
            Var bv = b == null ? null : Var.parameter("bias", b);
            layers.add(a.conv() == null ? Dense.wrap(wv, bv, a.activation())
                    : Conv2d.wrap(a.conv(), wv, bv, a.activation(), batchNorm(weights, tensors, i, a.batchNorm())));
        }
        Network network = stageConfigs == null ? new Network(layers) : structured(json, weights, stageConfigs, layers, tensors);
        if (structure != null && !structure.equals(network.structure())) {
            throw new ModelFormatException(json, "field 'structure' is '" + structure + "' but the stages make a '"
                    + network.structure() + "' network");
        }
        if (network.parameterCount() != parameters) {
            // The count above comes from the expected tensors; a stage holding other coefficients
            // than its config lists would show here.
            throw new ModelFormatException(json, "field 'parameters' is " + declaredParameters + " but the network built"
                    + " from it holds " + network.parameterCount());
        }
        return new SavedModel(network, new ModelMetadata(task, classes, loss, mean, std, featureNames, provenance,
                classNames));
    }

    /**
     * The optional "class_names" (written since Relume kept class names; older files lack it): one
     * distinct name per class, since predictions are reported by these names.
     */
    private static List<String> classNames(Path json, Fields f, int classes) {
        List<String> names = f.strings("class_names");
        if (names.isEmpty()) {
            return names;
        }
        if (names.size() != classes) {
            throw new ModelFormatException(json, "field 'class_names' lists " + names.size() + " names but 'classes' is "
                    + classes + "; expected one name per class, or none");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new ModelFormatException(json, "field 'class_names' names a class twice; expected distinct names");
        }
        return names;
    }

    /** model.json parsed strictly (see {@link Json#STRICT_READER}), with the place of a syntax error. */
    private static JsonNode readJson(Path json) throws IOException {
        JsonNode root;
        try {
            root = Json.STRICT_READER.readTree(new String(Files.readAllBytes(json), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
            throw new ModelFormatException(json, "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(json, "expected a JSON object");
        }
        return root;
    }

    /**
     * What {@link Task} promises about a model: binary has 2 classes and 1 output (the logit of class
     * 1), multiclass one output per class and at least 2 classes, regression no classes.
     */
    private static void requireConsistentTask(Path json, Task task, int classes, int outputs) {
        String problem = switch (task) {
            case BINARY -> classes != 2 ? "field 'classes' is " + classes + " but task 'binary' has 2 classes"
                    : outputs != 1 ? "task 'binary' needs 1 output (the logit of class 1), but the last layer has "
                            + outputs + " outputs"
                    : null;
            case MULTICLASS -> classes < 2 ? "field 'classes' is " + classes + " but task 'multiclass' needs at least 2"
                    : outputs != classes ? "task 'multiclass' has one output per class, but 'classes' is " + classes
                            + " and the last layer has " + outputs + (outputs == 1 ? " output" : " outputs")
                    : null;
            case REGRESSION -> classes != 0 ? "field 'classes' is " + classes + " but task 'regression' has none (0)" : null;
        };
        if (problem != null) {
            throw new ModelFormatException(json, problem);
        }
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The "stages" array of a structured model (null for a chain), checked against the layer count. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> stageConfigs(Path json, JsonNode root, int layerCount) {
        JsonNode node = root.get("stages");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new ModelFormatException(json, "field 'stages' must be a non-empty array");
        }
        List<Map<String, Object>> configs = new ArrayList<>();
        int layers = 0;
        for (int s = 0; s < node.size(); s++) {
            JsonNode st = node.get(s);
            if (!st.isObject() || !st.path("type").isTextual()) {
                throw new ModelFormatException(json, "stages[" + s + "] must be an object with a 'type'");
            }
            new Fields(json, st, "stages[" + s + "].").allowOnly(STAGE_FIELDS);
            Map<String, Object> c = Json.MAPPER.convertValue(st, LinkedHashMap.class);
            int expected = Structures.layerCount(c);
            if (!(c.get("layers") instanceof Integer n) || n != expected) {
                throw new ModelFormatException(json, "stages[" + s + "].layers must be " + expected + " for a "
                        + c.get("type") + " stage, got " + c.get("layers"));
            }
            layers += expected;
            configs.add(c);
        }
        if (layers != layerCount) {
            throw new ModelFormatException(json, "the stages hold " + layers + " layers but 'layers' lists " + layerCount);
        }
        return configs;
    }

    private static Network structured(Path json, Path weights, List<Map<String, Object>> configs, List<Layer> layers,
                                      Map<String, Tensor> tensors) {
        List<Stage> stages = new ArrayList<>();
        int next = 0;
        for (int s = 0; s < configs.size(); s++) {
            Map<String, Object> c = configs.get(s);
            int n = (Integer) c.get("layers");
            try {
                stages.add(Structures.fromConfig(c, layers.subList(next, next + n)));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(json, "stages[" + s + "]: " + e.getMessage());
            }
            next += n;
        }
        Network network;
        try {
            network = Network.ofStages(stages);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(json, "stages: " + e.getMessage());
        }
        for (String name : network.namedParameters().keySet()) {
            if (name.startsWith("stages.")) {
                Tensor t = tensors.get(name);
                if (t == null) {
                    throw new ModelFormatException(weights, "missing tensor '" + name + "': the stages in " + ARCHITECTURE
                            + " have learnable coefficients there");
                }
                checkFinite(weights, name, t);
                network.setParameter(name, t);
            }
        }
        return network;
    }

    /**
     * One layer as model.json describes it: {@code conv} is null for a dense layer, {@code batchNorm}
     * (momentum, eps) null without one, {@code fixed} a layer without parameters (pooling) or null,
     * {@code normPositions} the positions per channel of a batch-norm layer of its own, else 0.
     */
    private record LayerSpec(int in, int out, boolean bias, PointwiseFunction activation, ConvGeometry conv,
                             float[] batchNorm, Layer fixed, int normPositions) {}

    /** A batch-norm layer of its own (BN, then an activation; DenseNet's BN-ReLU before a convolution). */
    private static LayerSpec normLayer(Path json, Fields lf, int i, Map<String, int[]> expectedShapes,
                                       Map<String, int[]> bufferShapes) {
        lf.allowOnly(NORM_FIELDS);
        int channels = lf.positiveInt("channels");
        int positions = lf.positiveInt("positions");
        int in = lf.positiveInt("in");
        if ((long) channels * positions != in || lf.positiveInt("out") != in) {
            throw new ModelFormatException(json, "layers[" + i + "]: 'in' and 'out' must both be channels x positions = "
                    + (long) channels * positions);
        }
        expectBatchNorm(i, channels, expectedShapes, bufferShapes);
        return new LayerSpec(in, in, false, lf.activation(), null,
                new float[] {lf.finiteFloat("bn_momentum"), lf.finiteFloat("bn_eps")}, null, positions);
    }

    private static void expectBatchNorm(int i, int channels, Map<String, int[]> expectedShapes,
                                        Map<String, int[]> bufferShapes) {
        expectedShapes.put("layers." + i + ".bn.weight", new int[] {channels});
        expectedShapes.put("layers." + i + ".bn.bias", new int[] {channels});
        bufferShapes.put("layers." + i + ".bn.running_mean", new int[] {channels});
        bufferShapes.put("layers." + i + ".bn.running_var", new int[] {channels});
    }

    /** Layer i's batch normalization from its saved tensors, or null when {@code settings} is. */
    private static BatchNorm batchNorm(Path weights, Map<String, Tensor> tensors, int i, float[] settings) {
        if (settings == null) {
            return null;
        }
        String p = "layers." + i + ".bn.";
        for (String name : List.of("weight", "bias", "running_mean", "running_var")) {
            checkFinite(weights, p + name, tensors.get(p + name));
        }
        for (float v : tensors.get(p + "running_var").data()) {
            if (v < 0) {
                throw new ModelFormatException(weights, "tensor '" + p + "running_var' holds a negative variance " + v);
            }
        }
        try {
            return new BatchNorm(Var.parameter("bn.weight", tensors.get(p + "weight")),
                    Var.parameter("bn.bias", tensors.get(p + "bias")), tensors.get(p + "running_mean"),
                    tensors.get(p + "running_var"), settings[0], settings[1]);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(weights, "layers[" + i + "]: " + e.getMessage());
        }
    }

    private static Pool2d pool2d(Path json, Fields lf, int i) {
        Pool2d p;
        try {
            int channels = lf.positiveInt("channels");
            ConvGeometry g = new ConvGeometry(channels, lf.positiveInt("height"), lf.positiveInt("width"), channels,
                    lf.positiveInt("kernel"), lf.positiveInt("stride"), 0);
            p = new Pool2d(Pool2d.Mode.byId(lf.text("mode")), g);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(json, "layers[" + i + "]: " + e.getMessage());
        }
        if (p.inputSize() != lf.positiveInt("in") || p.outputSize() != lf.positiveInt("out")) {
            throw new ModelFormatException(json, "layers[" + i + "]: 'in' and 'out' do not match " + p);
        }
        return p;
    }

    private static GlobalPool globalPool(Path json, Fields lf, int i) {
        GlobalPool p;
        try {
            p = new GlobalPool(GlobalPool.Mode.byId(lf.text("mode")), lf.positiveInt("channels"), lf.positiveInt("positions"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(json, "layers[" + i + "]: " + e.getMessage());
        }
        if (p.inputSize() != lf.positiveInt("in") || p.outputSize() != lf.positiveInt("out")) {
            throw new ModelFormatException(json, "layers[" + i + "]: 'in' and 'out' do not match " + p);
        }
        return p;
    }

    private static ConvGeometry convGeometry(Path json, Fields lf, int i, int in, int out) {
        ConvGeometry g;
        try {
            g = new ConvGeometry(lf.positiveInt("in_channels"), lf.positiveInt("height"), lf.positiveInt("width"),
                    lf.positiveInt("out_channels"), lf.positiveInt("kernel"), lf.positiveInt("stride"),
                    lf.nonNegativeInt("padding"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(json, "layers[" + i + "]: " + e.getMessage());
        }
        if (g.inSize() != in || g.outSize() != out) {
            throw new ModelFormatException(json, "layers[" + i + "]: 'in' " + in + " and 'out' " + out + " do not match the "
                    + "convolution's " + g.inSize() + " inputs and " + g.outSize() + " outputs");
        }
        return g;
    }

    private static void checkFinite(Path file, String name, Tensor t) {
        if (!t.allFinite()) {
            throw new ModelFormatException(file, "tensor '" + name + "' contains NaN or infinite values");
        }
    }

    private static List<Double> toList(float[] x) {
        List<Double> l = new ArrayList<>(x.length);
        for (float v : x) {
            l.add((double) v);
        }
        return l;
    }

    /** Typed access to JSON fields with messages naming the file and the field. */
    private static final class Fields {
        private final Path file;
        private final JsonNode node;
        private final String prefix;

        Fields(Path file, JsonNode node) {
            this(file, node, "");
        }

        Fields(Path file, JsonNode node, String prefix) {
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(file, "field '" + (prefix.isEmpty() ? "(root)" : prefix.substring(0, prefix.length() - 1))
                        + "' must be a JSON object");
            }
            this.file = file;
            this.node = node;
            this.prefix = prefix;
        }

        private JsonNode required(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new ModelFormatException(file, "missing field '" + prefix + name + "'");
            }
            return v;
        }

        String text(String name) {
            JsonNode v = required(name);
            if (!v.isTextual()) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be a string, got " + v);
            }
            return v.asText();
        }

        /**
         * Refuses a field this object may not hold: a misspelled field would otherwise be ignored and
         * its value silently replaced by the default.
         */
        void allowOnly(List<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!known.contains(name)) {
                    String near = nearest(name, known);
                    throw new ModelFormatException(file, "unknown field '" + prefix + name + "'; "
                            + (near != null ? "did you mean '" + near + "'?" : "expected only " + String.join(", ", known)));
                }
            }
        }

        /** Requires field {@code name} to equal {@code actual}, which {@code because} explains. */
        void requireInt(String name, int actual, String because) {
            int declared = positiveInt(name);
            if (declared != actual) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' is " + declared + " but " + because);
            }
        }

        long nonNegativeLong(String name) {
            JsonNode v = required(name);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be a non-negative integer, got " + v);
            }
            return v.asLong();
        }

        int positiveInt(String name) {
            int v = nonNegativeInt(name);
            if (v == 0) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be positive, got 0");
            }
            return v;
        }

        int nonNegativeInt(String name) {
            JsonNode v = required(name);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be a non-negative integer, got " + v);
            }
            return v.asInt();
        }

        boolean has(String name) {
            return node.has(name);
        }

        float finiteFloat(String name) {
            JsonNode v = required(name);
            if (!v.isNumber() || !Float.isFinite((float) v.asDouble())) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be a finite number, got " + v);
            }
            return (float) v.asDouble();
        }

        boolean bool(String name) {
            JsonNode v = required(name);
            if (!v.isBoolean()) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        Task task() {
            String t = text("task");
            for (Task task : Task.values()) {
                if (task.id().equals(t)) {
                    return task;
                }
            }
            throw new ModelFormatException(file, "field '" + prefix + "task' is '" + t + "'; expected binary, multiclass or regression");
        }

        PointwiseFunction activation() {
            String name = text("activation");
            Map<String, Double> params = new LinkedHashMap<>();
            JsonNode p = node.get("activation_params");
            if (p != null && !p.isNull()) {
                if (!p.isObject()) {
                    throw new ModelFormatException(file, "field '" + prefix + "activation_params' must be an object");
                }
                Iterator<Map.Entry<String, JsonNode>> it = p.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isNumber()) {
                        throw new ModelFormatException(file, "field '" + prefix + "activation_params." + e.getKey() + "' must be a number");
                    }
                    params.put(e.getKey(), e.getValue().asDouble());
                }
            }
            try {
                return Activations.byName(name, params);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, "field '" + prefix + "activation': " + e.getMessage());
            }
        }

        float[] floats(String name, int expectedLength) {
            JsonNode v = required(name);
            if (!v.isArray() || v.size() != expectedLength) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be an array of "
                        + expectedLength + " numbers");
            }
            float[] out = new float[expectedLength];
            for (int i = 0; i < expectedLength; i++) {
                if (!v.get(i).isNumber()) {
                    throw new ModelFormatException(file, "field '" + prefix + name + "[" + i + "]' must be a number");
                }
                out[i] = (float) v.get(i).asDouble();
            }
            return out;
        }

        List<String> strings(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new ModelFormatException(file, "field '" + prefix + name + "' must be an array of strings");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw new ModelFormatException(file, "field '" + prefix + name + "[" + i + "]' must be a string, got " + v.get(i));
                }
                out.add(v.get(i).asText());
            }
            return out;
        }
    }

    /** The known field {@code name} was probably meant as: equal but for case and separators, or one or two typos off. */
    private static String nearest(String name, List<String> known) {
        String squashed = squash(name);
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = editDistance(squashed, squash(k));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
    }

    /** Levenshtein distance, two rows at a time; field names are short. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** Distinguishes "no model here" from other I/O errors for callers that want to. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(ARCHITECTURE)) && Files.isRegularFile(dir.resolve(WEIGHTS));
    }
}
