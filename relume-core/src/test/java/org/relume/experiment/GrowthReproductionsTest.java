package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowthReproductionsTest {
    @TempDir
    Path out;

    /**
     * The full student-teacher reproduction (50 seeds, about 15 s): GradMax's mean gradient-norm gain
     * exceeds random's at every growth, and its mean loss after the fifth growth is no worse.
     */
    @Test
    void gradMaxBeatsRandomInTheStudentTeacherReproduction() throws IOException {
        StringWriter log = new StringWriter();
        Reproductions.byName("gradmax-student-teacher").run(
                new Reproduction.Context(false, out, 2, Reproduction.Progress.NONE, new PrintWriter(log)));
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(lines.get(0).startsWith("method,growth,mean_loss"), lines.get(0));
        assertTrue(lines.get(0).contains("grad_norm_gain"), lines.get(0));
        Map<String, double[]> loss = new HashMap<>();
        Map<String, double[]> gain = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            int g = Integer.parseInt(f[1]);
            loss.computeIfAbsent(f[0], k -> new double[6])[g] = Double.parseDouble(f[2]);
            gain.computeIfAbsent(f[0], k -> new double[6])[g] = f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]);
        }
        assertEquals(List.of("gradmax", "gradmax-opt", "random", "zeros"), loss.keySet().stream().sorted().toList());
        for (int g = 1; g <= 5; g++) {
            assertTrue(gain.get("gradmax")[g] > gain.get("random")[g], "growth " + g + ": gradmax gain "
                    + gain.get("gradmax")[g] + " vs random " + gain.get("random")[g]);
        }
        assertTrue(loss.get("gradmax")[5] <= loss.get("random")[5], "loss after growth 5: gradmax "
                + loss.get("gradmax")[5] + " vs random " + loss.get("random")[5] + "\n" + log);
        assertTrue(Files.readString(out.resolve("report.md")).contains("reference"));
        assertTrue(Files.size(out.resolve("growth.png")) > 0 && Files.exists(out.resolve("growth.svg")),
                "the growth figure: mean loss per method with the growths marked");
    }

    @Test
    void foldingQuickProfileWritesItsTables() throws IOException {
        StringWriter log = new StringWriter();
        Reproductions.byName("folding").run(new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE, new PrintWriter(log)));
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 3 * 2, lines.size());
        assertTrue(lines.get(0).startsWith("dataset,method,runs,full_capacity"), lines.get(0));
        assertTrue(Files.size(out.resolve("folds.png")) > 0 && Files.readAllLines(out.resolve("runs.csv")).size() == 1 + 2 * 50);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("full capacity") && report.contains("65/1000"), report);
    }
}
