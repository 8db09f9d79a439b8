package org.relume.experiment;

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
 * The quick inverse-stability reproduction: every example at every k, realization distances that
 * shrink (2.1-2.4) while parameter distances do not, and Theorem 3.3's bound on every instance.
 */
class InverseStabilityReproductionTest {
    @TempDir
    Path out;

    @Test
    void quickProfileShowsTheFailureOfInverseStabilityAndTheTheorem() throws IOException {
        StringWriter log = new StringWriter();
        Reproductions.byName("inverse-stability").run(
                new Reproduction.Context(true, out, 1, Reproduction.Progress.NONE, new PrintWriter(log)));
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(lines.get(0).startsWith("example,name,k,uniform_distance,sobolev_distance,parameter_distance"), lines.get(0));
        assertEquals(1 + 5 * 11, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            int k = Integer.parseInt(f[2]);
            double uniform = Double.parseDouble(f[3]);
            double sobolev = Double.parseDouble(f[4]);
            double parameter = Double.parseDouble(f[5]);
            assertEquals(Double.parseDouble(f[8]), uniform, 1e-9 * uniform, line);
            assertEquals(Double.parseDouble(f[9]), sobolev, 1e-9 * sobolev, line);
            if (!f[0].equals("2.5")) {
                assertEquals(1.0 / k, uniform, 1e-9 / k, "uniform distance 1/k: " + line);
                assertTrue(parameter >= 1, "parameters stay apart: " + line);
            } else {
                assertTrue(parameter >= k, "Example 2.5's parameters grow like k: " + line);
            }
        }
        List<String> instances = Files.readAllLines(out.resolve("theorem33.csv"));
        assertEquals(1 + InverseStabilityReproduction.QUICK_INSTANCES, instances.size());
        assertTrue(instances.stream().skip(1).allMatch(l -> l.endsWith(",true")), "Theorem 3.3's bound held everywhere");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("wall time") && report.contains("paper: Sobolev") && report.contains("bound held"), report);
        assertTrue(Files.size(out.resolve("distances.png")) > 0 && Files.exists(out.resolve("distances.svg")));
        assertTrue(log.toString().contains("| all | " + InverseStabilityReproduction.QUICK_INSTANCES + " | "
                + InverseStabilityReproduction.QUICK_INSTANCES + " |"), log.toString());
    }
}
