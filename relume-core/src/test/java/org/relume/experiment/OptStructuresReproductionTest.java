package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.blocks.Structure;

/**
 * The Table 2 simulation on a small scale (the quick and full profiles differ only in size): every
 * structure at every depth lands in results.csv with the paper's number beside it, an interrupted
 * run resumes only the missing cells, a results file made with other settings is refused, and the
 * ordering sentences follow the numbers.
 */
class OptStructuresReproductionTest {
    @TempDir
    Path out;

    private static final OptStructuresReproduction.Settings TINY =
            new OptStructuresReproduction.Settings(200, 8, new int[] {10, 3}, 3, 50, 1e-3, 1);

    private Reproduction.Context context(Path dir, StringWriter log) {
        return new Reproduction.Context(true, dir, 2, Reproduction.Progress.NONE, new PrintWriter(log));
    }

    @Test
    void writesEveryCellBesideThePaperAndResumes() throws IOException {
        OptStructuresReproduction r = new OptStructuresReproduction();
        r.run(context(out, new StringWriter()), TINY);
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(lines.get(0).startsWith("structure,depth,mse,paper_mse,"), lines.get(0));
        assertEquals(1 + 2 * 5, lines.size(), String.join("\n", lines));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double mse = Double.parseDouble(f[2]);
            assertTrue(mse > 0.3 && mse < 3, "an MSE near the targets' variance: " + line);
            if (f[1].equals("10")) {
                assertEquals(OptStructuresReproduction.paper(Structure.parse(f[0]), 10), Double.parseDouble(f[3]), 1e-9, line);
            } else {
                assertEquals("", f[3], "Table 2 has no depth 3: " + line);
            }
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("reconstructed") && report.contains("wall time") && report.contains("ADMM worst"), report);

        // Drop two cells, as a killed run would leave them, and rerun: only those two train again.
        Files.write(out.resolve("results.csv"), lines.subList(0, lines.size() - 2));
        StringWriter log = new StringWriter();
        r.run(context(out, log), TINY);
        assertTrue(log.toString().contains("resuming: 8 of 10"), log.toString());
        assertEquals(withoutSeconds(lines), withoutSeconds(Files.readAllLines(out.resolve("results.csv"))),
                "the retrained cells repeat bit for bit");

        // Other settings against the same results file: one clear refusal.
        OptStructuresReproduction.Settings other = new OptStructuresReproduction.Settings(200, 8, new int[] {10, 3}, 4,
                50, 1e-3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.run(context(out, new StringWriter()), other));
        assertTrue(e.getMessage().contains("seed/samples/epochs 1/200/3") && e.getMessage().contains("1/200/4"),
                e.getMessage());
    }

    private static List<String> withoutSeconds(List<String> lines) {
        return lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void orderingSentencesFollowTheNumbers() {
        Map<Integer, Map<Structure, OptStructuresReproduction.Cell>> byDepth = new LinkedHashMap<>();
        double[][] mse = {{1.07, 1.006, 1.004, 1.002, 1.007}, {1.08, 1.006, 1.004, 1.002, 0.999}};
        int[] depths = {10, 40};
        for (int d = 0; d < 2; d++) {
            Map<Structure, OptStructuresReproduction.Cell> row = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                Structure s = OptStructuresReproduction.STRUCTURES.get(i);
                row.put(s, new OptStructuresReproduction.Cell(s, depths[d], mse[d][i], 1, 1));
            }
            byDepth.put(depths[d], row);
        }
        List<String> lines = OptStructuresReproduction.ordering(byDepth);
        assertTrue(lines.get(0).contains("holds (at 2 of 2"), lines.get(0));
        assertTrue(lines.get(1).contains("holds only in part (at 1 of 2"), lines.get(1));
        assertTrue(lines.get(2).contains("(40): holds"), lines.get(2));
    }
}
