package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * The conv GradMax reproduction on generated idx files: growing nets end at the scratch net's
 * architecture, every growth's gain is recorded, GradMax's gains beat random's in the report, a rerun
 * resumes, and missing data is refused with one line.
 */
class GradMaxCnnReproductionTest {
    @TempDir
    Path tmp;

    @Test
    void growsToTheScratchArchitectureAndResumes() throws IOException {
        Path dir = tmp.resolve("fashion");
        Files.createDirectories(dir);
        JumpstartMnistReproductionTest.writeSplit(dir, "train", 64, 1);
        JumpstartMnistReproductionTest.writeSplit(dir, "t10k", 32, 2);
        Path out = tmp.resolve("out");
        var profile = new GradMaxCnnReproduction.Profile("idx:" + dir, 0, 2, 1, 3, 1, 5, 32, List.of(1L, 2L));
        Reproduction.Context ctx = new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE,
                new PrintWriter(new StringWriter()), dir);
        new GradMaxCnnReproduction().run(ctx, profile);
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 6, rows.size(), String.join("\n", rows));
        String scratch = rows.stream().filter(l -> l.startsWith("scratch,1,")).findFirst().orElseThrow();
        String grown = rows.stream().filter(l -> l.startsWith("gradmax,1,")).findFirst().orElseThrow();
        String architecture = "784-2352-2352-10";
        assertTrue(scratch.contains(architecture) && grown.contains(architecture), "grown to the final width:\n" + grown);
        assertEquals(4, grown.split(",")[7].trim().split(" ").length, "four growths, four gains: " + grown);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| gradmax |") && report.contains("| 4 |"), report);

        StringWriter again = new StringWriter();
        new GradMaxCnnReproduction().run(new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE,
                new PrintWriter(again), dir), profile);
        assertEquals(rows, Files.readAllLines(out.resolve("results.csv")), "nothing retrained");
    }

    @Test
    void refusesWithoutData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradMaxCnnReproduction()
                .run(new Reproduction.Context(true, tmp.resolve("o"), 1, Reproduction.Progress.NONE,
                        new PrintWriter(new StringWriter()), tmp.resolve("none"))));
        assertTrue(e.getMessage().contains("fetch-fashion-mnist.sh"), e.getMessage());
    }
}
