package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.bench.peer.Peer;

/**
 * The benchmark's plumbing on a tiny profile, with stand-in peers instead of Python (CI has none):
 * one that answers with fixed times, one whose interpreter is absent and one whose framework is
 * missing. Files, columns, rows and the report's content are checked; timings never are: a
 * benchmark is not a timed test.
 */
class BenchSuiteTest {
    @TempDir
    Path dir;

    static final List<String> IDS = List.of("thin", "tiny", "moons-jumpstart", "medium", "thin-cnn", "wide-cnn");

    @Test
    void tinyProfileWritesPerPeerRowsAndReportsMissingPeers() throws IOException {
        Path out = dir.resolve("out");
        Path fast = fakeInterpreter("fast", fixedResult());
        Path noTorch = fakeInterpreter("no-torch", "echo '{\"error\": \"cannot import torch: no module\"}'; exit 3");
        List<Peer> peers = List.of(new Peer("fast", fast, "pytorch_bench.py", "hint-fast"),
                new Peer("absent", dir.resolve("nowhere/python"), "jax_bench.py", "hint-absent"),
                new Peer("broken", noTorch, "pytorch_bench.py", "hint-broken"));
        StringWriter log = new StringWriter();
        BenchSuite.run(new BenchSuite.Profile(5, 2, 2, 0.0, 1, 2, 1_000_000L, 5), true, out, new PrintWriter(log), peers);

        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("workload,peer,peer_version,relume_ms,peer_ms,ratio", lines.get(0));
        assertEquals(IDS, lines.subList(1, lines.size()).stream().map(l -> l.split(",")[0]).toList());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(6, f.length, line);
            assertEquals("fast", f[1], line);
            assertEquals("9.9-test", f[2], line);
            assertEquals(Double.parseDouble(f[4]) / Double.parseDouble(f[3]), Double.parseDouble(f[5]), 1e-4 * Double.parseDouble(f[5]), line);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("absent: **missing, skipped**") && report.contains("hint-absent"), report);
        assertTrue(report.contains("broken: **missing, skipped**: cannot import torch: no module; hint-broken"), report);
        assertTrue(report.contains("Vector width: ") && report.contains("CPU: ") && report.contains("GFLOP/step"), report);
        assertTrue(report.contains("| thin-cnn | 1x28x28 -> 20 x conv3x3 same (4 ch) -> flatten -> 10, batch 128, softmax CE |"), report);
        assertTrue(report.contains("**fast** (fastest)") && report.contains("Do the peers train the same networks?"), report);
        // The peak per chain count, and the shares of it, beside the CPU and the vector width.
        assertTrue(report.contains("| chains per core | 4 | 8 | 12 | 16 |") && report.contains("| share of the peak |")
                && report.contains("whole medium training step") && report.contains("bits.\n"), report);
        assertTrue(log.toString().contains("skipped: ") && Files.size(out.resolve("bench.json")) > 0, log.toString());
    }

    @Test
    void withoutAnyPeerEveryWorkloadKeepsRelumesTime() throws IOException {
        Path out = dir.resolve("alone");
        BenchSuite.run(new BenchSuite.Profile(3, 1, 1, 0.0, 1, 2, 1_000_000L, 5), true, out, new PrintWriter(new StringWriter()),
                List.of(new Peer("absent", dir.resolve("nowhere/python"), "jax_bench.py", "hint")));
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(IDS.size() + 1, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertTrue(f[1].isEmpty() && f[4].isEmpty() && f[5].isEmpty() && Double.parseDouble(f[3]) > 0, line);
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("none ran"));
    }

    /**
     * Two rounds, a peer that fails on one workload in every round and on another in the first
     * round only: it keeps its rows for the others and for the second, the report notes both
     * failures and lists every round's times, each in its own round's column.
     */
    @Test
    void roundsKeepEachRoundAndNoteAPeerThatFailedOnAWorkload() throws IOException {
        Path out = dir.resolve("rounds");
        Path fast = fakeInterpreter("fast", fixedResult());
        Path once = dir.resolve("tiny-failed-once");
        Path flaky = fakeInterpreter("flaky", "case \"$*\" in *medium:*) echo '{\"error\": \"out of memory\"}'; exit 3;; esac\n"
                + "case \"$*\" in *tiny:*) if [ ! -e " + once + " ]; then touch " + once
                + "; echo '{\"error\": \"timed out\"}'; exit 3; fi;; esac\n" + fixedResult(0.25));
        List<Peer> peers = List.of(new Peer("fast", fast, "pytorch_bench.py", "hint-fast"),
                new Peer("flaky", flaky, "jax_bench.py", "hint-flaky"));
        StringWriter log = new StringWriter();
        BenchSuite.run(new BenchSuite.Profile(3, 1, 1, 0.0, 2, 2, 1_000_000L, 5), false, out, new PrintWriter(log), peers);

        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(2 * IDS.size() - 1, lines.size() - 1, String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("medium,flaky")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("tiny,flaky,9.9-test,")), String.join("\n", lines));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("flaky medium: a round failed") && report.contains("out of memory"), report);
        assertTrue(report.contains("flaky tiny: a round failed (timed out"), report);
        assertTrue(report.contains("| workload | round 1 | round 2 | ratio range |") && report.contains("median of 2 rounds' medians"),
                report);
        // Round 1 of tiny has fast's time (flaky failed there), round 2 flaky's faster one.
        String tinyRow = report.lines().filter(l -> l.startsWith("| tiny |") && l.contains("ratio") == false
                && l.split("\\|").length == 5).findFirst().orElseThrow(() -> new AssertionError(report));
        String[] cells = tinyRow.split("\\|");
        assertTrue(cells[2].contains(", 0.500, ") && cells[3].contains(", 0.250, "), tinyRow);
        assertTrue(log.toString().contains("round 2/2 wide-cnn"), log.toString());
    }

    @Test
    void workloadFlopsMatchTheirShapes() {
        // medium: forward 2*256*(784*512 + 3*512*512 + 512*10); the backward twice that minus the first layer's input gradient.
        double forward = 2.0 * 256 * (784 * 512 + 3 * 512 * 512 + 512 * 10);
        assertEquals(3 * forward - 2.0 * 256 * 784 * 512, Workload.MEDIUM.stepFlops(), 1);
        // thin-cnn: 784 positions x 9 taps per output; 1 -> 4 channels, then 19 layers 4 -> 4, then dense 3136 -> 10.
        double first = 2.0 * 128 * 784 * 9 * 4;
        double cnn = first + 19 * 2.0 * 128 * 784 * 9 * 16 + 2.0 * 128 * 3136 * 10;
        assertEquals(3 * cnn - first, Workload.THIN_CNN.stepFlops(), 1);
        assertEquals("2 -> 60 x 3 -> 1, batch 85, MSE", Workload.THIN.describe());
        assertTrue(Workload.WIDE_CNN.convolutional() && Workload.WIDE_CNN.heavy() && !Workload.TINY.heavy());
    }

    /** Every workload with its check losses set to Relume-independent constants: only the plumbing counts. */
    private static String fixedResult() {
        return fixedResult(0.5);
    }

    private static String fixedResult(double ms) {
        StringBuilder json = new StringBuilder("{\"peer\": \"fast\", \"version\": \"9.9-test\", \"details\": \"stand-in\", "
                + "\"python\": \"0\", \"workloads\": {");
        for (int i = 0; i < IDS.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(IDS.get(i))
                    .append("\": {\"median_ms\": " + ms + ", \"compile_ms\": 12, \"check_losses\": [1, 1, 1]}");
        }
        return "echo '" + json.append("}}") + "'";
    }

    private Path fakeInterpreter(String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
