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

/** End-to-end runs of demo, sweep, reproduce and train's jumpstart/diagnostics/plot options on tiny settings. */
class ExperimentCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void demoPrintsBothMethods() {
        CliRun r = CliRun.of("demo", "--epochs", "300", "--depth", "10");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("baseline") && r.out().contains("jumpstart") && r.out().contains("dead units"), r.out());
    }

    /** --dry-run lists the cells and the estimate and writes nothing. */
    @Test
    void sweepDryRunEstimatesWithoutTraining() {
        Path out = tmp.resolve("dry");
        CliRun r = CliRun.of("sweep", "--widths", "2,3", "--depths", "2", "--epochs", "50", "--dry-run", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(4, r.out().lines().filter(l -> l.startsWith("cell")).count(), r.out());
        assertTrue(r.out().contains("floating-point operations") && r.out().contains("core-hours"), r.out());
        assertTrue(!java.nio.file.Files.exists(out), "nothing written");
        assertEquals(2, CliRun.of("sweep", "--widths", "2", "--depths", "2").exitCode(), "no --out without --dry-run");
    }

    /** Without relume-spark and Spark on the class path (as in the relume command), --engine spark is one line. */
    @Test
    void sparkEngineWithoutSparkIsOneLine() {
        CliRun r = CliRun.of("sweep", "--widths", "2", "--depths", "2", "--epochs", "5", "--engine", "spark",
                "--master", "local[2]", "--out", tmp.resolve("spark").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("relume-spark") && r.err().strip().split("\n").length == 1, r.err());
        CliRun bad = CliRun.of("sweep", "--widths", "2", "--depths", "2", "--engine", "flink", "--out", tmp.toString());
        assertEquals(2, bad.exitCode(), bad.toString());
    }

    @Test
    void sweepWritesResultsAndHeatmapsAndResumes() throws IOException {
        Path out = tmp.resolve("sweep");
        String[] args = {"sweep", "--widths", "2,3", "--depths", "2,3", "--seeds", "1", "--epochs", "40",
            "--out", out.toString()};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(9, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.exists(out.resolve("heatmap.png")) && Files.exists(out.resolve("heatmap.svg")));
        assertTrue(r.out().contains("8 new cells (0 resumed)"), r.out());
        CliRun again = CliRun.of(args);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("0 new cells (8 resumed)"), again.out());
        assertEquals(9, Files.readAllLines(out.resolve("results.csv")).size());
    }

    @Test
    void reproduceListsAndRejectsUnknownNames() {
        CliRun list = CliRun.of("reproduce", "--list");
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.out().contains("jumpstart-moons"), list.out());
        CliRun unknown = CliRun.of("reproduce", "nope", "--out", tmp.toString());
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("unknown reproduction 'nope'"), unknown.err());
        CliRun noOut = CliRun.of("reproduce", "jumpstart-moons");
        assertEquals(2, noOut.exitCode(), noOut.toString());
    }

    /** Every reproduction lists its trainings and their estimated work without training or writing anything. */
    @Test
    void reproduceDryRunEstimatesWithoutTraining() {
        Path out = tmp.resolve("never");
        CliRun moons = CliRun.of("reproduce", "jumpstart-moons", "--quick", "--dry-run", "--out", out.toString());
        assertEquals(0, moons.exitCode(), moons.toString());
        assertTrue(moons.out().contains("  baseline/3/30/1"), moons.out());
        assertTrue(moons.out().matches("(?s).*estimated work: \\d+ trainings, [0-9.e+]+ floating-point operations.*core-hours.*"),
                moons.out());
        assertFalse(Files.exists(out), "a dry run writes nothing");
        CliRun structures = CliRun.of("reproduce", "opt-structures", "--quick", "--dry-run");
        assertEquals(0, structures.exitCode(), structures.toString());
        assertTrue(structures.out().contains("agd2@"), structures.out());
        CliRun exact = CliRun.of("reproduce", "inverse-stability", "--dry-run");
        assertEquals(0, exact.exitCode(), exact.toString());
        assertTrue(exact.out().contains("estimated work: no trainings"), exact.out());
        CliRun noData = CliRun.of("reproduce", "hbnet-agdnet", "--dry-run", "--data-dir", tmp.resolve("none").toString());
        assertEquals(2, noData.exitCode(), noData.toString());
        assertTrue(noData.err().contains("CIFAR-10"), noData.err());
    }

    @Test
    void benchNeedsAnOutputDirectory() {
        CliRun r = CliRun.of("bench", "--quick");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--out"), r.err());
    }

    @Test
    void trainWithJumpstartLogsPenaltyDiagnosticsAndCurves() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "3", "--depth", "8", "--epochs", "400",
                "--init", "glorot_uniform", "--jumpstart", "l1", "--lambda", "1e-4", "--diagnostics-every", "100",
                "--validate-every", "200", "--plot", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        String[] lines = Files.readString(out.resolve("metrics.csv")).strip().split("\n");
        assertTrue(lines[0].contains("jumpstart") && lines[0].contains("dead_units") && lines[0].contains("dead_points"), lines[0]);
        assertEquals(5, lines.length, "rows at epochs 100, 200, 300, 400: " + String.join("\n", lines));
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertTrue(s.get("unit_point_states").has("dead_units"), s.toString());
        assertTrue(Files.exists(out.resolve("curves.png")) && Files.exists(out.resolve("curves.svg")));
        assertTrue(r.out().contains("jumpstart(l1"), r.out());
        CliRun bad = CliRun.of("train", "--jumpstart", "l3", "--epochs", "1");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("unknown jumpstart aggregation"), bad.err());
    }
}
