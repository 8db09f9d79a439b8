package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

/** End-to-end runs of relume train, predict and info on tiny data, including bad input. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(Files.readString(file));
    }

    @Test
    void theDefaultValidationIntervalGivesShortAndLongRunsACurve() throws IOException {
        assertEquals(1, TrainCommand.logEvery(0, 5));
        assertEquals(1, TrainCommand.logEvery(0, 199));
        assertEquals(50, TrainCommand.logEvery(0, 5000));
        assertEquals(7, TrainCommand.logEvery(7, 5000), "an explicit interval wins");
        Path out = tmp.resolve("short");
        CliRun r = CliRun.of("train", "--data", "moons", "--epochs", "5", "--out", out.toString(), "--plot");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1 + 5, Files.readAllLines(out.resolve("metrics.csv")).size(), "a header and one row per epoch");
        assertEquals(1, json(out.resolve("summary.json")).get("config").get("log_every").asInt());
        assertTrue(Files.size(out.resolve("curves.png")) > 0);
        CliRun negative = CliRun.of("train", "--validate-every", "-1");
        assertEquals(2, negative.exitCode(), negative.toString());
        assertTrue(negative.err().contains("--validate-every must be >= 0 (0 = auto)"), negative.err());
    }

    @Test
    void moonsReachFullValidationAccuracyAndWriteAllFiles() throws IOException {
        Path out = tmp.resolve("moons");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "8", "--depth", "3", "--epochs", "2000",
                "--seed", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        for (String f : new String[] {"model.safetensors", "model.json", "metrics.csv", "summary.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        JsonNode s = json(out.resolve("summary.json"));
        assertEquals(1.0, s.get("validation_accuracy").asDouble(), r.toString());
        for (String key : new String[] {"train_accuracy", "final_loss", "epochs", "seconds", "seed"}) {
            assertTrue(s.has(key), key);
        }
        assertEquals(2000, s.get("epochs").asInt());
        assertEquals(2000, s.get("config").get("epochs").asInt(), "the configuration is typed JSON, not a string");
        assertEquals("adam", s.get("config").get("optimizer").get("name").asText());
        assertTrue(s.get("unit_point_states").get("dead_units").isIntegralNumber(), "counts are integers");
        assertTrue(s.get("git_commit").asText().matches("[0-9a-f]{40}|unknown"), s.toString());
        JsonNode provenance = json(out.resolve("model.json")).get("provenance");
        assertEquals(s.get("git_commit"), provenance.get("git_commit"));
        assertTrue(provenance.has("relume_version"), provenance.toString());
        assertTrue(s.get("seconds").asDouble() < 60);
        String metrics = Files.readString(out.resolve("metrics.csv"));
        assertTrue(metrics.startsWith("epoch,loss,task_loss,"), metrics);
        assertEquals(101, metrics.strip().split("\n").length, "header + 100 rows (every 20th of 2000 epochs, the auto interval)");
        assertTrue(r.out().contains("validation accuracy 1.0000"), r.out());

        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("2-8-8-8-1"), info.out());

        // Predict on a few points, with and without a header.
        Path points = tmp.resolve("points.csv");
        Files.writeString(points, "x0,x1\n-0.3,0.3\n0.6,-0.1\n");
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", points.toString());
        assertEquals(0, p.exitCode(), p.toString());
        String[] lines = p.out().strip().split("\n");
        assertEquals("prediction,p_0,p_1", lines[0]);
        assertEquals(3, lines.length);
        Path predictions = tmp.resolve("pred.csv");
        Files.writeString(points, "-0.3,0.3\n0.6,-0.1\n");
        p = CliRun.of("predict", "--model", out.toString(), "--input", points.toString(), "--output", predictions.toString());
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals(String.join("\n", lines) + "\n", Files.readString(predictions));
    }

    @Test
    void sameSeedGivesIdenticalWeights() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        for (Path out : new Path[] {a, b}) {
            CliRun r = CliRun.of("train", "--data", "moons", "--width", "4", "--depth", "5", "--epochs", "300",
                    "--batch-size", "16", "--seed", "7", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.toString());
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));
    }

    @Test
    void regressionOnTheCubicReachesSmallError() throws IOException {
        Path out = tmp.resolve("x3");
        CliRun r = CliRun.of("train", "--data", "curve:x3", "--width", "8", "--depth", "2", "--epochs", "3000",
                "--seed", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode s = json(out.resolve("summary.json"));
        assertTrue(s.get("train_mse").asDouble() < 1e-4, s.toString());
        assertTrue(s.get("validation_mse").asDouble() < 1e-4, s.toString());
    }

    @Test
    void csvWithLabelColumnTrainsAndPredictsThroughTheHeader() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++) {
            double x = (i % 10) / 10.0;
            double y = (i / 10) / 6.0;
            csv.append(x).append(',').append(y).append(',').append(x + y > 0.8 ? 1 : 0).append('\n');
        }
        Path data = tmp.resolve("lin.csv");
        Files.writeString(data, csv);
        Path out = tmp.resolve("csvmodel");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--label", "label", "--width", "4", "--depth", "1",
                "--epochs", "300", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode model = json(out.resolve("model.json"));
        assertTrue(model.has("input_standardization"), "CSV inputs are standardized by default");
        // The training file itself works as predict input: the header selects the feature columns.
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals(61, p.out().strip().split("\n").length);
    }

    @Test
    void malformedCsvIsRejectedWithFileAndLineAndNoOutput() throws IOException {
        Path data = tmp.resolve("bad.csv");
        Files.writeString(data, "a,b,label\n1,2,0\n3,x,1\n");
        Path out = tmp.resolve("never");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--out", out.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("bad.csv") && r.err().contains("line 3"), r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one line, no stack trace: " + r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void malformedIdxIsRejectedWithNoOutput() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.write(dir.resolve(f), new byte[] {0, 0, 8, 3, 0, 0, 0, 5});
        }
        Path out = tmp.resolve("never");
        CliRun r = CliRun.of("train", "--data", "idx:" + dir, "--out", out.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("idx3-ubyte"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void corruptModelIsRejected() throws IOException {
        Path out = tmp.resolve("m");
        assertEquals(0, CliRun.of("train", "--epochs", "10", "--out", out.toString()).exitCode());
        Files.writeString(out.resolve("model.safetensors"), "not a tensor file at all");
        CliRun r = CliRun.of("info", "--model", out.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("model.safetensors"), r.err());
        Path points = tmp.resolve("p.csv");
        Files.writeString(points, "1,2\n");
        r = CliRun.of("predict", "--model", out.toString(), "--input", points.toString());
        assertEquals(2, r.exitCode(), r.toString());
    }

    @Test
    void badFlagsAndDivergenceGiveClearExitCodes() {
        CliRun r = CliRun.of("train", "--widht", "3");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--widht"), r.err());
        r = CliRun.of("train", "--activation", "gelu", "--epochs", "1");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("unknown activation 'gelu'"), r.err());
        r = CliRun.of("train", "--data", "spiral");
        assertEquals(2, r.exitCode(), r.toString());
        Path out = tmp.resolve("diverged");
        r = CliRun.of("train", "--data", "curve:x11", "--optimizer", "sgd", "--lr", "1e6", "--epochs", "50",
                "--out", out.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("diverged"), r.err());
        assertFalse(Files.exists(out), "nothing is written when training fails");
    }
}
