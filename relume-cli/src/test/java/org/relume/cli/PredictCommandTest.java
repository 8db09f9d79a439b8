package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Task;
import org.relume.io.Json;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** relume predict on hand-built models, so that each row's outcome is known exactly. */
class PredictCommandTest {
    @TempDir
    Path tmp;

    /**
     * A binary 2-2-1 ReLU net: hidden units relu(x + y) and relu(-x - y), output h0 - h1, so the
     * logit is x + y; a row of two values near the float maximum overflows inside it.
     */
    private Path model(float[] mean, float[] std) throws IOException {
        Dense hidden = new Dense(Tensor.of(new float[] {1, 1, -1, -1}, 2, 2), Tensor.zeros(2), Activations.relu());
        Dense output = new Dense(Tensor.of(new float[] {1, -1}, 1, 2), Tensor.zeros(1), Activations.byName("identity"));
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, new Network(List.of(hidden, output)),
                new ModelMetadata(Task.BINARY, 2, "bce", mean, std, List.of("x", "y"), Map.of()));
        return dir;
    }

    private Path csv(String text) throws IOException {
        return Files.writeString(tmp.resolve("points.csv"), text);
    }

    @Test
    void finiteRowsPredictAsBefore() throws IOException {
        CliRun r = CliRun.of("predict", "--model", model(null, null).toString(), "--input", csv("x,y\n1,2\n-3,1\n").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("probability,prediction\n0.952574,1\n0.119203,0\n", r.out());
    }

    @Test
    void aRowThatOverflowsInTheStandardizationIsRefusedByNumber() throws IOException {
        // Issue 18: the finite row 3.4e38,3.4e38 printed "NaN,0" with exit 0.
        Path model = model(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.5f});
        Path points = csv("x,y\n1,2\n3.4e38,3.4e38\n");
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", points.toString());
        assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("", r.out(), "no predictions are printed when a row fails");
        assertEquals("relume: " + points + ": data row 2: feature 'x' = 3.4E38 overflows to infinity in the model's input"
                + " standardization (x - 0.5) / 0.5; expected values the model can scale\n", r.err());
    }

    @Test
    void aRowWhoseOutputIsNotFiniteIsRefusedByNumber() throws IOException {
        Path points = csv("1,2\n-1,-1\n3.4e38,3.4e38\n");
        CliRun r = CliRun.of("predict", "--model", model(null, null).toString(), "--input", points.toString());
        assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("relume: " + points + ": data row 3: the model's output is infinite"), r.err());
        assertFalse(r.err().strip().contains("\n"), "one line: " + r.err());
    }

    @Test
    void anInconsistentModelIsRefusedWithExitTwo() throws IOException {
        Path model = model(null, null);
        Path json = model.resolve(ModelFiles.ARCHITECTURE);
        Files.writeString(json, Files.readString(json).replace("\"classes\" : 2", "\"classes\" : 5"));
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", csv("1,2\n").toString());
        assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("relume: " + json + ": field 'classes' is 5 but task 'binary' has 2 classes\n", r.err());
    }

    /** Header and rows of predict's CSV output. */
    private static List<String[]> rows(CliRun r) {
        return r.out().lines().map(l -> l.split(",")).toList();
    }

    @Test
    void idxDataArePredictedOnTheT10kImagesInTheModelsClassNames() throws IOException {
        Path dir = ImageDataFiles.idxDirectory(tmp.resolve("idx"), 12);
        Path model = tmp.resolve("idx-model");
        assertEquals(0, CliRun.of("train", "--data", "idx:" + dir, "--width", "4", "--depth", "1", "--epochs", "200",
                "--out", model.toString()).exitCode());
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", "idx:" + dir);
        assertEquals(0, p.exitCode(), p.toString());
        List<String[]> out = rows(p);
        assertEquals("prediction,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", String.join(",", out.get(0)));
        assertEquals(13, out.size(), "a header and the 12 t10k images");
        int correct = 0;
        for (int i = 1; i < out.size(); i++) {
            double sum = 0;
            for (int c = 1; c <= 10; c++) {
                sum += Double.parseDouble(out.get(i)[c]);
            }
            assertEquals(1, sum, 1e-4, "row " + i + "'s probabilities");
            correct += out.get(i)[0].equals(Integer.toString((i - 1) % 3)) ? 1 : 0;
        }
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", "idx:" + dir, "--json");
        double accuracy = Json.MAPPER.readTree(e.out()).get("accuracy").asDouble();
        assertEquals(accuracy, correct / 12.0, 1e-12, "predict's classes are the ones evaluate scored");

        CliRun limited = CliRun.of("predict", "--model", model.toString(), "--data", "idx:" + dir, "--limit", "5");
        assertEquals(0, limited.exitCode(), limited.toString());
        assertEquals(p.out().lines().limit(6).toList(), limited.out().lines().toList(), "the first 5 images, predicted alike");
    }

    @Test
    void cifarDataArePredictedOnTheTestFileAndWrittenAtomically() throws IOException {
        Path root = tmp.resolve("cifar");
        ImageDataFiles.cifar10Directory(root);
        Path model = tmp.resolve("cifar-model");
        assertEquals(0, CliRun.of("train", "--data", "cifar:" + root, "--limit", "30", "--width", "8", "--depth", "1",
                "--epochs", "2", "--out", model.toString()).exitCode());
        Path file = tmp.resolve("predictions.csv");
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", "cifar:" + root, "--limit", "4",
                "--output", file.toString());
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals("", p.out());
        List<String> lines = Files.readAllLines(file);
        assertEquals(5, lines.size(), "a header and the first 4 test images: " + lines);
        assertEquals("prediction,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", lines.get(0));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void generatedDataArePredictedOnTheirValidationShare() throws IOException {
        Path model = tmp.resolve("moons-model");
        assertEquals(0, CliRun.of("train", "--data", "moons", "--width", "4", "--depth", "1", "--epochs", "50", "--out",
                model.toString()).exitCode());
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", "moons");
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals("prediction,p_0,p_1", p.out().lines().findFirst().orElseThrow());
        assertEquals(16, p.out().lines().count(), "the 15 validation points of moons for seed 1");
        CliRun other = CliRun.of("predict", "--model", model.toString(), "--data", "moons", "--seed", "2");
        assertNotEquals(p.out(), other.out(), "another seed, another validation share");

        CliRun limit = CliRun.of("predict", "--model", model.toString(), "--data", "moons", "--limit", "3");
        assertEquals(Relume.BAD_INPUT, limit.exitCode(), limit.toString());
        assertEquals("relume: a limit (--limit 3) applies to csv, idx and cifar data; generated data take their size from"
                + " the spec, e.g. moons:n=200\n", limit.err());
    }

    @Test
    void aCsvDataSpecReadsAsInputAndHonoursTheLimit() throws IOException {
        Path model = model(null, null);
        Path points = csv("x,y\n1,2\n-3,1\n0.5,0.5\n");
        CliRun input = CliRun.of("predict", "--model", model.toString(), "--input", points.toString());
        CliRun spec = CliRun.of("predict", "--model", model.toString(), "--data", "csv:" + points);
        assertEquals(0, spec.exitCode(), spec.toString());
        assertEquals(input.out(), spec.out());
        CliRun two = CliRun.of("predict", "--model", model.toString(), "--input", points.toString(), "--limit", "2");
        assertEquals("probability,prediction\n0.952574,1\n0.119203,0\n", two.out());
    }

    @Test
    void exactlyOneSourceOfRows() throws IOException {
        Path model = model(null, null);
        Path points = csv("1,2\n");
        CliRun both = CliRun.of("predict", "--model", model.toString(), "--input", points.toString(), "--data", "moons");
        assertEquals(Relume.BAD_INPUT, both.exitCode(), both.toString());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        CliRun none = CliRun.of("predict", "--model", model.toString());
        assertEquals(Relume.BAD_INPUT, none.exitCode(), none.toString());
        assertTrue(none.err().contains("--input") && none.err().contains("--data"), none.err());
    }
}
