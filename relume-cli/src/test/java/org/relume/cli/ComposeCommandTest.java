package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

class ComposeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void composeWritesModelMetricsSummaryAndFigures() throws IOException {
        Path out = tmp.resolve("x3");
        CliRun r = CliRun.of("compose", "--target", "x3", "--depth", "4", "--method", "enforced", "--epochs", "200",
                "--pretrain-epochs", "100", "--seed", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        for (String f : new String[] {"model.safetensors", "model.json", "metrics.csv", "summary.json", "fit.png", "fit.svg",
            "waves.png", "waves.svg"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals(16, s.get("pieces_at_init").asInt(), "2^4 pieces at init");
        assertTrue(s.get("train_mse").asDouble() < 1e-3, s.toString());
        String metrics = Files.readString(out.resolve("metrics.csv"));
        assertTrue(metrics.startsWith("stage,epoch,") && metrics.contains("\n2,200,"), metrics);
        // The saved model is an ordinary Relume model.
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("1-4-4-4-4-1"), info.out());
    }

    @Test
    void badTargetsAndMethodsAreRejected() {
        CliRun r = CliRun.of("compose", "--target", "x5");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("unknown target 'x5'"), r.err());
        r = CliRun.of("compose", "--method", "greedy");
        assertEquals(2, r.exitCode(), r.toString());
        r = CliRun.of("compose", "--epochs", "100", "--pretrain-epochs", "200");
        assertEquals(2, r.exitCode(), r.toString());
    }

    @Test
    void everyMethodOnAnExpressionGivesMinAndMeanMse() throws IOException {
        Path out = tmp.resolve("study");
        CliRun r = CliRun.of("compose", "--data", "fn:(exp(x)-1)/(e-1):n=60", "--method", "all", "--models", "2", "--depth", "3",
                "--epochs", "60", "--pretrain-epochs", "30", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("waves    subtracted (chosen from the data"), r.out());
        for (String m : new String[] {"default", "raai", "no-pretrain", "free", "enforced"}) {
            assertTrue(r.out().contains("| " + m + " | 2 |"), m + "\n" + r.out());
        }
        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(6, results.size(), results.toString());
        assertTrue(results.get(0).startsWith("method,target,models,min_mse,mean_mse"), results.get(0));
        assertEquals(11, Files.readAllLines(out.resolve("models.csv")).size());
        assertTrue(Files.size(out.resolve("fits.png")) > 0 && Files.size(out.resolve("fits.svg")) > 0);
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals("subtracted", s.get("waves").asText());
        assertEquals(60, s.get("samples").asInt());
    }

    @Test
    void oneModelOnDataElsewhereIsSavedInTheDataUnits() throws IOException {
        Path out = tmp.resolve("fn");
        CliRun r = CliRun.of("compose", "--data", "fn:2*x^2+5:n=80,lo=1,hi=3", "--depth", "4", "--epochs", "400",
                "--pretrain-epochs", "200", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("frame x in [1, 3], y from 7 to 23"), r.out());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        double mse = s.get("train_mse").asDouble();
        assertTrue(mse < 0.05, s.toString());
        assertTrue(Files.size(out.resolve("fit.png")) > 0 && Files.size(out.resolve("waves.svg")) > 0);
        CliRun eval = CliRun.of("evaluate", "--model", out.toString(), "--data", "fn:2*x^2+5:n=80,lo=1,hi=3", "--json");
        assertEquals(0, eval.exitCode(), eval.toString());
        double evaluated = Json.MAPPER.readTree(eval.out()).get("mse").asDouble();
        assertTrue(evaluated < 3 * mse + 1e-4, "the validation share of the grid, in the data's units: " + evaluated + " vs " + mse);
    }

    @Test
    void aCsvColumnPairIsFitted() throws IOException {
        Path csv = tmp.resolve("curve.csv");
        StringBuilder sb = new StringBuilder("id,x,noise,y\n");
        for (int i = 0; i <= 40; i++) {
            double x = -1 + i / 20.0;
            sb.append(i).append(',').append(x).append(",0,").append(Math.tanh(2 * x)).append('\n');
        }
        Files.writeString(csv, sb.toString());
        CliRun r = CliRun.of("compose", "--data", "csv:" + csv, "--label", "y", "--features", "x", "--depth", "3",
                "--method", "no-pretrain", "--epochs", "50", "--waves", "subtracted");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("41 samples of csv:"), r.out());
        assertTrue(r.out().contains("waves    subtracted (as asked); frame x in [-1, 1], y from -0.96402"), r.out());
        CliRun twoColumns = CliRun.of("compose", "--data", "csv:" + csv, "--label", "y", "--epochs", "5");
        assertEquals(2, twoColumns.exitCode(), twoColumns.toString());
        assertTrue(twoColumns.err().contains("one input to one target"), twoColumns.err());
    }

    @Test
    void dataThatCannotBeComposedGetOneLine() {
        String[][] cases = {
            {"bad expression '(x'", "--data", "fn:(x"},
            {"at position 2", "--data", "fn:2x"},
            {"(nearly) equal", "--data", "fn:sin(pi*x)"},
            {"one input to one target", "--data", "moons"},
            {"--target is for the paper's curves", "--data", "fn:x^2", "--target", "x3"},
            {"--points is for the paper's curves", "--data", "fn:x^2", "--points", "100"},
            {"--waves must be", "--waves", "sideways"},
            {"--models must be", "--models", "0"},
            {"names enforced twice", "--method", "enforced,enforced"},
            {"need --data csv:PATH", "--label", "y"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length];
            args[0] = "compose";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals(1, r.err().strip().split("\n").length, "one line: " + r);
            assertTrue(r.err().contains(c[0]), c[0] + ": " + r);
        }
    }
}
