package org.relume.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.data.Task;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

class ModelFilesTest {
    @TempDir
    Path dir;

    private static Tensor randomInputs(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (4 * r.nextDouble() - 2);
        }
        return Tensor.wrap(x, n, d);
    }

    /** Metadata for a 3-input network: two classes for classification, the task's own loss. */
    private static ModelMetadata meta(Task task) {
        return new ModelMetadata(task, task == Task.REGRESSION ? 0 : 2, Loss.forTask(task).id(), new float[] {0.5f, -1f, 2f},
                new float[] {1f, 2f, 0.25f}, List.of("a", "b", "c"), Map.of("seed", 7, "data", "test"));
    }

    @Test
    void saveThenLoadGivesIdenticalPredictionsForEveryActivation() throws IOException {
        int k = 0;
        for (String act : Activations.NAMES) {
            Map<String, Float> params = act.equals("leaky_relu") ? Map.of("negative_slope", 0.2f)
                    : act.equals("relu") ? Map.of("grad_at_zero", 1f) : Map.of();
            Network net = Mlp.builder().inputs(3).hidden(5, 4).outputs(2).activation(Activations.byName(act, params))
                    .init(Initializer.TORCH_DEFAULT).seed(k).build();
            Path d = dir.resolve("m" + k++);
            ModelFiles.save(d, net, meta(Task.MULTICLASS));
            ModelFiles.SavedModel loaded = ModelFiles.load(d);
            Tensor x = randomInputs(50, 3, 1);
            assertTrue(net.predict(x).identical(loaded.network().predict(x)), "predictions differ for " + act);
            assertEquals(net.architecture(), loaded.network().architecture());
            assertEquals(Activations.describe(net.layer(0).activation()),
                    Activations.describe(loaded.network().layer(0).activation()));
        }
    }

    @Test
    void classNamesRoundTripAndOlderFilesHaveNone() throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelMetadata m = meta(Task.BINARY);
        ModelFiles.save(dir, net, new ModelMetadata(m.task(), 2, m.loss(), null, null, m.featureNames(), m.provenance(),
                List.of("ham", "spam")));
        assertEquals(List.of("ham", "spam"), ModelFiles.load(dir).metadata().classNames());
        assertEquals(List.of("ham", "spam"), ModelFiles.load(dir).metadata().classLabels());
        Path json = dir.resolve(ModelFiles.ARCHITECTURE);
        String text = Files.readString(json);
        Files.writeString(json, text.replace("\"class_names\" : [ \"ham\", \"spam\" ],", ""));
        ModelMetadata old = ModelFiles.load(dir).metadata();
        assertEquals(List.of(), old.classNames(), "a file written before class names were kept");
        assertEquals(List.of("0", "1"), old.classLabels());
        Files.writeString(json, text.replace("[ \"ham\", \"spam\" ]", "[ \"ham\", \"ham\" ]"));
        ModelFormatException twice = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(twice.getMessage().contains("'class_names' names a class twice"), twice.getMessage());
        Files.writeString(json, text.replace("[ \"ham\", \"spam\" ]", "[ \"ham\" ]"));
        ModelFormatException count = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(count.getMessage().contains("'class_names' lists 1 names but 'classes' is 2"), count.getMessage());
    }

    @Test
    void metadataRoundTrips() throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, meta(Task.BINARY));
        ModelMetadata m = ModelFiles.load(dir).metadata();
        assertEquals(Task.BINARY, m.task());
        assertEquals(2, m.classes());
        assertArrayEquals(new float[] {0.5f, -1f, 2f}, m.inputMean());
        assertArrayEquals(new float[] {1f, 2f, 0.25f}, m.inputStd());
        assertEquals(List.of("a", "b", "c"), m.featureNames());
        assertEquals(7, ((Number) m.provenance().get("seed")).intValue());
    }

    /** Saves a valid model, lets {@code edit} change model.json, and expects a clear refusal. */
    private void expectRejected(String fragment, java.util.function.Consumer<Map<String, Object>> edit) throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        Path d = Files.createTempDirectory(dir, "bad");
        ModelFiles.save(d, net, meta(Task.BINARY));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = Json.MAPPER.readValue(Files.readString(d.resolve(ModelFiles.ARCHITECTURE)), LinkedHashMap.class);
        edit.accept(json);
        Files.writeString(d.resolve(ModelFiles.ARCHITECTURE), Json.toJson(json));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(d));
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertTrue(e.getMessage().contains("model."), "message names the file: " + e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> layer(Map<String, Object> json, int i) {
        return (Map<String, Object>) ((List<Object>) json.get("layers")).get(i);
    }

    @Test
    void malformedArchitecturesAreRejectedWithTheField() throws IOException {
        expectRejected("format", j -> j.put("format", "keras"));
        expectRejected("newer", j -> j.put("version", 99));
        expectRejected("missing field 'layers[1].out'", j -> layer(j, 1).remove("out"));
        expectRejected("layers[0].in", j -> layer(j, 0).put("in", "three"));
        expectRejected("layers[1].in is 7", j -> layer(j, 1).put("in", 7));
        expectRejected("unknown activation", j -> layer(j, 0).put("activation", "gelu"));
        expectRejected("layers[0].type", j -> layer(j, 0).put("type", "lstm"));
        expectRejected("missing field 'layers[0].in_channels'", j -> layer(j, 0).put("type", "conv2d"));
        expectRejected("task", j -> j.put("task", "ranking"));
        expectRejected("input_standardization", j -> ((Map<String, Object>) j.get("input_standardization")).put("std", List.of(1, 0, 1)));
        // The tensor file no longer matches what the (self-consistent) JSON describes.
        expectRejected("has shape [4, 3] but model.json needs [5, 3]", j -> {
            layer(j, 0).put("out", 5);
            layer(j, 1).put("in", 5);
            j.put("architecture", "3-5-4-1");
            j.put("parameters", 3 * 5 + 5 + 5 * 4 + 4 + 4 + 1);
        });
    }

    @Test
    void descriptionsThatContradictThemselvesOrTheTensorsAreRejected() throws IOException {
        // Issue 18: each of these loaded with exit 0, and predict printed nonsense for some.
        expectRejected("field 'classes' is 5 but task 'binary' has 2 classes", j -> j.put("classes", 5));
        expectRejected("task 'multiclass' has one output per class, but 'classes' is 5 and the last layer has 1 output",
                j -> {
                    j.put("task", "multiclass");
                    j.put("classes", 5);
                    j.put("loss", "softmax_ce");
                });
        expectRejected("field 'classes' is 1 but task 'multiclass' needs at least 2", j -> {
            j.put("task", "multiclass");
            j.put("classes", 1);
            j.put("loss", "softmax_ce");
        });
        expectRejected("field 'loss' is 'hinge' but a binary model is trained with 'bce'", j -> j.put("loss", "hinge"));
        expectRejected("field 'loss' is 'mse' but a binary model is trained with 'bce'", j -> j.put("loss", "mse"));
        expectRejected("field 'classes' is 2 but task 'regression' has none (0)", j -> {
            j.put("task", "regression");
            j.put("loss", "mse");
        });
        expectRejected("field 'inputs' is 2 but layers[0].in is 3", j -> j.put("inputs", 2));
        expectRejected("field 'outputs' is 2 but layers[2].out is 1", j -> j.put("outputs", 2));
        expectRejected("field 'architecture' is '3-4-NaN-1' but the layers give '3-4-4-1'",
                j -> j.put("architecture", "3-4-NaN-1"));
        expectRejected("field 'parameters' is 32147483648 but the layers hold 41 parameters",
                j -> j.put("parameters", 32147483648L));
        expectRejected("field 'parameters' must be a non-negative integer, got \"41\"", j -> j.put("parameters", "41"));
        expectRejected("missing field 'parameters'", j -> j.remove("parameters"));
        expectRejected("field 'feature_names' lists 2 names but the model has 3 inputs", j -> j.put("feature_names", List.of("a", "b")));
        expectRejected("field 'feature_names[1]' must be a string, got 7", j -> j.put("feature_names", List.of("a", 7, "c")));
        expectRejected("field 'structure' is 'hb' but there are no 'stages'", j -> j.put("structure", "hb"));
        expectRejected("field 'provenance' must be a JSON object", j -> j.put("provenance", "yesterday"));
    }

    @Test
    void unknownAndMisspelledFieldsAreRejected() throws IOException {
        expectRejected("unknown field 'feature_Names'; did you mean 'feature_names'?", j -> j.put("feature_Names", List.of("p", "q", "r")));
        expectRejected("unknown field 'comment'; expected only ", j -> j.put("comment", "hand-edited"));
        expectRejected("unknown field 'layers[1].dropout'", j -> layer(j, 1).put("dropout", 0.5));
        expectRejected("unknown field 'input_standardization.median'",
                j -> ((Map<String, Object>) j.get("input_standardization")).put("median", List.of(0, 0, 0)));
        // model.json is read strictly: a repeated key would otherwise keep only its last value.
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, meta(Task.BINARY));
        Path json = dir.resolve(ModelFiles.ARCHITECTURE);
        String original = Files.readString(json);
        Files.writeString(json, original.replaceFirst("\\{", "{ \"classes\" : 7,"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("not valid JSON at line ") && e.getMessage().contains("Duplicate field 'classes'"),
                e.getMessage());
        // ... and so is a second value after the first, which a lenient reader never looks at.
        Files.writeString(json, original + "{\"classes\" : 7}\n");
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("not valid JSON at line"), e.getMessage());
    }

    @Test
    void structuredModelsCheckTheirStagesAndStructure() throws IOException {
        Network net = Structures.forTask(Structure.HB, new Structures.Options(Double.NaN, true), 2, 4, 3, 1,
                Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelMetadata m = new ModelMetadata(Task.REGRESSION, 0, "mse", null, null, List.of("x", "y"), Map.of());
        ModelFiles.save(dir, net, m);
        assertEquals(net.parameterCount(), ModelFiles.load(dir).network().parameterCount());
        Path json = dir.resolve(ModelFiles.ARCHITECTURE);
        String text = Files.readString(json);

        Files.writeString(json, text.replaceFirst("\"learnable\" : true", "\"learnable\" : true, \"momentum\" : 0.9"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("unknown field 'stages[1].momentum'"), e.getMessage());

        Files.writeString(json, text.replace("\"structure\" : \"hb\"", "\"structure\" : \"agd\""));
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("field 'structure' is 'agd' but the stages make a 'hb' network"), e.getMessage());

        Files.writeString(json, text.replace("\"structure\" : \"hb\",", ""));
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("missing field 'structure'"), e.getMessage());
    }

    @Test
    void anOversizedDescriptionIsRefusedWithoutReadingIt() throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, meta(Task.BINARY));
        Path json = dir.resolve(ModelFiles.ARCHITECTURE);
        Files.delete(json);
        long size = 3L << 30; // sparse: 3 GB that take no disk space, and would take minutes to read
        try (FileChannel channel = FileChannel.open(json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {'{'}), size - 1);
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains(size + " bytes; a model description is at most " + ModelFiles.MAX_JSON_BYTES),
                e.getMessage());
    }

    @Test
    void aDirectoryInPlaceOfAModelFileIsNamedInOneLine() throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, meta(Task.BINARY));
        Path weights = dir.resolve(ModelFiles.WEIGHTS);
        Files.delete(weights);
        Files.createDirectory(weights);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertEquals(weights + ": not a regular file (a directory); a model directory holds two regular files", e.getMessage());
    }

    @Test
    void missingFilesCorruptTensorsAndNaNsAreRejected() throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, meta(Task.BINARY));
        Path weights = dir.resolve(ModelFiles.WEIGHTS);
        byte[] original = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(original, original.length - 10));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains(ModelFiles.WEIGHTS), e.getMessage());

        Network bad = net.copy();
        bad.parameter("layers.1.bias").value().data()[2] = Float.NaN;
        ModelFiles.save(dir, bad, meta(Task.BINARY));
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("layers.1.bias") && e.getMessage().contains("NaN"), e.getMessage());

        Files.delete(weights);
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("not a model directory"), e.getMessage());
    }

    @Test
    void extraOrMissingTensorsAreRejected() throws IOException {
        Network net = Mlp.of(3, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, meta(Task.BINARY));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        net.namedParameters().forEach((k, v) -> tensors.put(k, v.value()));
        tensors.put("layers.9.weight", Tensor.zeros(1, 1));
        Safetensors.write(dir.resolve(ModelFiles.WEIGHTS), tensors, Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("unexpected tensor 'layers.9.weight'"), e.getMessage());
        tensors.remove("layers.9.weight");
        tensors.remove("layers.2.bias");
        Safetensors.write(dir.resolve(ModelFiles.WEIGHTS), tensors, Map.of());
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("missing tensor 'layers.2.bias'"), e.getMessage());
    }
}
