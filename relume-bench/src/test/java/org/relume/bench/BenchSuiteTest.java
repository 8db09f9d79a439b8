package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's plumbing on a tiny profile: files, columns and workloads, with or without the
 * PyTorch side (skipped with a reason where Python cannot import torch, e.g. on CI). Timings are
 * never asserted: a benchmark is not a timed test.
 */
class BenchSuiteTest {
    @TempDir
    Path out;

    @Test
    void tinyProfileWritesResultsReportAndJson() throws IOException {
        StringWriter log = new StringWriter();
        BenchSuite.run(new BenchSuite.Profile(5, 2, 0.0, 2, 1_000_000L, 5), true, out, new PrintWriter(log));
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(lines.get(0).startsWith("workload,relume_ms,pytorch_ms,ratio"), lines.get(0));
        assertEquals(List.of("thin", "tiny", "moons-jumpstart", "medium"),
                lines.subList(1, lines.size()).stream().map(l -> l.split(",")[0]).toList());
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(Double.parseDouble(line.split(",")[1]) > 0, line);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("Matrix multiply") && report.contains("peak") && report.contains("Sweep throughput"), report);
        assertTrue(log.toString().contains("pytorch  "), log.toString());
        assertTrue(Files.size(out.resolve("bench.json")) > 0);
    }

    @Test
    void workloadFlopsMatchTheirShapes() {
        // medium: forward 2*256*(784*512 + 3*512*512 + 512*10); the backward twice that minus the first layer's input gradient.
        double forward = 2.0 * 256 * (784 * 512 + 3 * 512 * 512 + 512 * 10);
        assertEquals(3 * forward - 2.0 * 256 * 784 * 512, Workload.MEDIUM.stepGemmFlops(), 1);
        assertEquals("2 -> 60 x 3 -> 1, batch 85, MSE", Workload.THIN.describe());
    }
}
