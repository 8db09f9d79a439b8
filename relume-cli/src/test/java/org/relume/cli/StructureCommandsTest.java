package org.relume.cli;

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
import org.relume.io.ModelFiles;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** relume train --structure end to end: training, the model files, info, predict, and the refusals. */
class StructureCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void heavyBallNetOnMoonsTrainsSavesDescribesAndPredicts() throws IOException {
        Path out = tmp.resolve("hb");
        CliRun r = CliRun.of("train", "--data", "moons", "--structure", "hb", "--width", "8", "--depth", "20",
                "--epochs", "2000", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("hb structure"), r.out());
        JsonNode summary = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertTrue(summary.get("validation_accuracy").asDouble() >= 0.95, r.out());
        JsonNode model = Json.MAPPER.readTree(Files.readString(out.resolve("model.json")));
        assertEquals("hb", model.get("structure").asText());
        assertEquals(1 + 19 + 1, model.get("stages").size());

        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("structure    hb (heavy ball"), info.out());
        assertTrue(info.out().contains("stage 5: hb k=4, coefficients [0.3000, -0.3000]"), info.out());

        Path points = tmp.resolve("points.csv");
        Files.writeString(points, "x,y\n-0.3,0.3\n0.6,-0.1\n1.9,0.4\n");
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", points.toString());
        assertEquals(0, p.exitCode(), p.toString());
        Network net = ModelFiles.load(out).network();
        Tensor logits = net.predict(Tensor.wrap(new float[] {-0.3f, 0.3f, 0.6f, -0.1f, 1.9f, 0.4f}, 3, 2));
        String[] lines = p.out().strip().split("\n");
        for (int i = 0; i < 3; i++) {
            double probability = 1 / (1 + Math.exp(-logits.data()[i]));
            assertEquals(probability, Double.parseDouble(lines[i + 1].split(",")[0]), 1e-5, lines[i + 1]);
        }

        for (String command : new String[] {"analyze", "canonicalize"}) {
            CliRun refused = command.equals("analyze")
                    ? CliRun.of("analyze", "--model", out.toString())
                    : CliRun.of("canonicalize", "--model", out.toString(), "--rebalance", "--out", tmp.resolve("c").toString());
            assertEquals(2, refused.exitCode(), refused.toString());
            assertEquals(1, refused.err().strip().split("\n").length, refused.toString());
            assertTrue(refused.err().contains(command + " works on chain networks (plain MLPs) only; this network has the hb structure"),
                    refused.toString());
        }
        assertFalse(Files.exists(tmp.resolve("c")));
    }

    @Test
    void learnableCoefficientsAreTrainedAndSaved() throws IOException {
        Path out = tmp.resolve("dmr");
        CliRun r = CliRun.of("train", "--data", "moons", "--structure", "dmrnet", "--learnable-coefficients",
                "--width", "4", "--depth", "4", "--epochs", "200", "--activation", "sigmoid", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode model = Json.MAPPER.readTree(Files.readString(out.resolve("model.json")));
        JsonNode c = model.get("stages").get(1).get("coefficients");
        assertTrue(c.get(0).asDouble() != 0.5 || c.get(1).asDouble() != 0.5, "coefficients moved from 1/2: " + c);
        assertTrue(ModelFiles.load(out).network().namedParameters().containsKey("stages.1.coefficients"));
    }

    @Test
    void badStructureFlagsGetOneLine() {
        String[][] cases = {
            {"train", "--structure", "bogus", "--epochs", "1"},
            {"train", "--structure", "admm", "--learnable-coefficients", "--epochs", "1"},
            {"train", "--structure", "agd2", "--beta", "0.2", "--epochs", "1"},
            {"train", "--beta", "0.2", "--epochs", "1"},
            {"train", "--structure", "hb", "--depth", "0", "--epochs", "1"},
            {"train", "--structure", "hb", "--widths", "4,4", "--epochs", "1"},
        };
        for (String[] args : cases) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r);
            assertEquals(1, r.err().strip().split("\n").length, r.toString());
        }
    }
}
