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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The combinations study on a tiny profile: one row per run with its settings, every method of a
 * cell ending on the same network, GradMax growing once per hidden layer, the tables in the
 * report, and a rerun that resumes (a torn last row is run again, nothing else).
 */
class CombinationsReproductionTest {
    @TempDir
    Path tmp;

    private static final CombinationsReproduction.Profile TINY = new CombinationsReproduction.Profile(3, List.of(4),
            List.of(1L, 2L), List.of("curve:x3:n=60"), 2, List.of(1L), 120, 80, 40, 10);

    @Test
    void everyMethodEndsOnTheSameNetworkAndARerunResumes() throws IOException {
        Path out = tmp.resolve("out");
        StringWriter log = new StringWriter();
        new CombinationsReproduction().run(context(out, log), TINY);
        int runs = 4 * 2 + 8;
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + runs, lines.size(), String.join("\n", lines));
        List<CombinationsReproduction.Outcome> outcomes = lines.subList(1, lines.size()).stream()
                .map(l -> CombinationsReproduction.fromRow(row(lines.get(0), l))).toList();
        for (CombinationsReproduction.Outcome o : outcomes) {
            assertTrue(o.error() == null, o.toString());
            String expected = o.cell().moons() ? "2-3-3-3-3-1" : "1-4-4-1";
            assertEquals(expected, o.architecture(), o.cell().key());
            assertEquals(o.cell().method().contains("gradmax") ? o.cell().depth() : 0, o.growths(), o.cell().key());
            assertTrue(o.cell().moons() ? o.metric() >= 0 && o.metric() <= 1 : o.metric() >= 0, o.toString());
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| jumpstart+gradmax |") && report.contains("| free+jumpstart |")
                && report.contains("depth 4: val. accuracy"), report);
        assertTrue(log.toString().contains("16 runs now, 0 resumed"), log.toString());

        // A torn last row (a crash mid-write) is dropped and run again; the others are kept.
        String text = Files.readString(out.resolve("results.csv"));
        Files.writeString(out.resolve("results.csv"), text.substring(0, text.length() - 10));
        StringWriter again = new StringWriter();
        new CombinationsReproduction().run(context(out, again), TINY);
        assertTrue(again.toString().contains("1 runs now, 15 resumed"), again.toString());
        assertEquals(1 + runs, Files.readAllLines(out.resolve("results.csv")).size());
    }

    @Test
    void refusesToMixProfilesInOneTable() throws IOException {
        Path out = tmp.resolve("mixed");
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.csv"), String.join(",", CombinationsReproduction.COLUMNS)
                + "\nmoons,moons,baseline,3,4,1,1,1,0.1,0,0,0,0,2-3-3-3-3-1,0.1,ok,,other settings\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CombinationsReproduction().run(context(out, new StringWriter()), TINY));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void isRegistered() {
        assertEquals("combinations", Reproductions.byName("combinations").name());
    }

    private static Reproduction.Context context(Path out, StringWriter log) {
        return new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE, new PrintWriter(log));
    }

    private static Map<String, String> row(String header, String line) {
        List<String> names = List.of(header.split(","));
        List<String> values = ResultsCsv.fields(line);
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), values.get(i));
        }
        return m;
    }
}
