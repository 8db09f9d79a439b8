package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
