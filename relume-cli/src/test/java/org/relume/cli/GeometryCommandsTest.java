package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

/** End-to-end runs of the parametrization-geometry commands and train flags on tiny data. */
class GeometryCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void trainTakesTheBalanceAndRedundancyPenalties() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "6", "--depth", "1", "--epochs", "200",
                "--balance-penalty", "0.01", "--redundancy-penalty", "0.1", "--validate-every", "100", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("balance(lambda=0.01") && r.out().contains("redundancy(lambda=0.1"), r.out());
        String header = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("balance") && header.contains("redundancy"), header);
        CliRun bad = CliRun.of("train", "--balance-penalty", "-1", "--epochs", "1");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("balance penalty"), bad.err());
    }

    /** A one-hidden-layer model on moons (2 inputs), trained briefly. */
    private Path shallowMoonsModel() {
        Path model = tmp.resolve("shallow");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "5", "--depth", "1", "--epochs", "100",
                "--validate-every", "100", "--seed", "2", "--out", model.toString());
        assertEquals(0, r.exitCode(), r.toString());
        return model;
    }

    @Test
    void analyzeReportsStatesRegionsAndTheShallowGeometry() throws IOException {
        Path model = shallowMoonsModel();
        List<String> modelFiles = listing(model);
        Path report = tmp.resolve("analysis");
        CliRun r = CliRun.of("analyze", "--model", model.toString(), "--data", "moons", "--out", report.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("activation regions") && r.out().contains("|R|_W1,inf"), r.out());
        assertTrue(r.out().contains("dead on the data (100 samples;") && r.out().contains("dead everywhere"), r.out());
        JsonNode a = Json.MAPPER.readTree(Files.readString(report.resolve("analysis.json")));
        assertEquals(100, a.get("unit_point_states").get("samples").asInt());
        int regions = a.get("linear_regions").get("activation_regions").asInt();
        assertTrue(regions >= 1 && regions <= 16, "5 lines cut a box into at most 16 regions: " + regions);
        assertTrue(a.get("shallow").get("sobolev_seminorm").get("exact").asBoolean(), a.toString());
        assertTrue(a.get("shallow").get("sobolev_seminorm").get("value").asDouble() > 0);
        JsonNode degeneracies = a.get("shallow").get("degeneracies");
        assertEquals(5, degeneracies.get("neurons").asInt());
        assertTrue(degeneracies.get("dead_means").asText().contains("100 data samples"), degeneracies.toString());
        assertTrue(degeneracies.get("dead_everywhere").isArray(), degeneracies.toString());
        assertTrue(Files.size(report.resolve("regions.png")) > 0 && Files.exists(report.resolve("regions.svg")));
        assertEquals(modelFiles, listing(model), "analyze leaves the model directory as it was");
        // Without --out nothing is written; without data the box is [-1, 1]^2 and there are no states.
        CliRun printed = CliRun.of("analyze", "--model", model.toString());
        assertEquals(0, printed.exitCode(), printed.toString());
        assertTrue(printed.out().contains("states   not computed") && !printed.out().contains("wrote"), printed.out());
        assertEquals(modelFiles, listing(model));
        Path again = tmp.resolve("reports").resolve("no-data");
        assertEquals(0, CliRun.of("analyze", "--model", model.toString(), "--out", again.toString()).exitCode());
        JsonNode b = Json.MAPPER.readTree(Files.readString(again.resolve("analysis.json")));
        assertTrue(b.get("unit_point_states").isNull());
        assertEquals(-1.0, b.get("box").get("lo").get(0).asDouble());
        // Bad input: data with the wrong number of features; --out as a file name or the model itself.
        CliRun bad = CliRun.of("analyze", "--model", model.toString(), "--data", "curve:x3");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("takes 2 inputs"), bad.err());
        CliRun file = CliRun.of("analyze", "--model", model.toString(), "--out", tmp.resolve("a.json").toString());
        assertEquals(2, file.exitCode(), file.toString());
        assertTrue(file.err().contains("--out names a directory"), file.err());
        CliRun into = CliRun.of("analyze", "--model", model.toString(), "--out", model.toString());
        assertEquals(2, into.exitCode(), into.toString());
        assertEquals(modelFiles, listing(model));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void analyzePicksACsvFilesColumnsByTheModelsFeatureNames() throws IOException {
        Path csv = tmp.resolve("table.csv");
        StringBuilder sb = new StringBuilder("id,u,v,target\n");
        for (int i = 0; i < 30; i++) {
            double u = i / 29.0;
            double v = (i * 7 % 30) / 29.0;
            sb.append(i).append(',').append(u).append(',').append(v).append(',').append(u - 2 * v).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path model = tmp.resolve("table-model");
        CliRun train = CliRun.of("train", "--data", "csv:" + csv, "--label", "target", "--drop", "id", "--width", "4",
                "--depth", "1", "--epochs", "20", "--out", model.toString());
        assertEquals(0, train.exitCode(), train.toString());
        // The id column sits beside the features; the model's names (u, v) pick the right two.
        Path report = tmp.resolve("table-analysis");
        CliRun r = CliRun.of("analyze", "--model", model.toString(), "--data", "csv:" + csv, "--label", "target",
                "--out", report.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode a = Json.MAPPER.readTree(Files.readString(report.resolve("analysis.json")));
        assertEquals(30, a.get("unit_point_states").get("samples").asInt());
        // A file without those names must have exactly the model's inputs besides the label.
        Path unnamed = tmp.resolve("unnamed.csv");
        Files.writeString(unnamed, "p,q,r,s\n1,2,3,4\n");
        CliRun bad = CliRun.of("analyze", "--model", model.toString(), "--data", "csv:" + unnamed);
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("unnamed.csv") && bad.err().contains("the model takes 2 inputs"), bad.err());
    }

    @Test
    void canonicalizeWritesAnEquivalentModel() throws IOException {
        Path model = shallowMoonsModel();
        Path canonical = tmp.resolve("canonical");
        CliRun r = CliRun.of("canonicalize", "--model", model.toString(), "--rebalance", "--merge", "--drop-dead",
                "--out", canonical.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode c = Json.MAPPER.readTree(Files.readString(canonical.resolve("canonicalize.json")));
        assertTrue(c.get("max_output_difference").asDouble() < 1e-5, c.toString());
        assertTrue(c.get("degeneracies_after").get("balanced").asBoolean(), c.toString());
        // canonicalize counts units dead everywhere, and says so (analyze --data counts dead on the data).
        assertTrue(c.get("degeneracies_before").get("dead_means").asText().contains("any input"), c.toString());
        assertTrue(r.out().contains("dead everywhere") && r.out().contains("dead on the data"), r.out());
        CliRun info = CliRun.of("info", "--model", canonical.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("canonicalized"), info.out());

        Path star = tmp.resolve("star");
        CliRun s = CliRun.of("canonicalize", "--model", model.toString(), "--restricted", "--out", star.toString());
        assertEquals(0, s.exitCode(), s.toString());
        JsonNode j = Json.MAPPER.readTree(Files.readString(star.resolve("canonicalize.json")));
        assertEquals("4-6-1", j.get("architecture_after").asText());
        assertTrue(j.get("max_output_difference").asDouble() < 1e-5, j.toString());
        assertTrue(j.get("in_restricted_space").asBoolean(), j.toString());
        assertTrue(s.out().contains("in N*"), s.out());

        CliRun none = CliRun.of("canonicalize", "--model", model.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().contains("at least one of"), none.err());
        Path deep = tmp.resolve("deep");
        assertEquals(0, CliRun.of("train", "--data", "moons", "--width", "3", "--depth", "2", "--epochs", "5",
                "--out", deep.toString()).exitCode());
        CliRun notShallow = CliRun.of("canonicalize", "--model", deep.toString(), "--restricted", "--out", tmp.resolve("y").toString());
        assertEquals(2, notShallow.exitCode(), notShallow.toString());
        assertTrue(notShallow.err().contains("one-hidden-layer"), notShallow.err());
        CliRun deepOk = CliRun.of("canonicalize", "--model", deep.toString(), "--rebalance", "--out", tmp.resolve("z").toString());
        assertEquals(0, deepOk.exitCode(), deepOk.toString());
        CliRun missing = CliRun.of("canonicalize", "--model", tmp.resolve("nope").toString(), "--merge", "--out", tmp.resolve("w").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
    }
}
