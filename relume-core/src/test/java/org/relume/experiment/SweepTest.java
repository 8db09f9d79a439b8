package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Outcome;
import org.relume.experiment.DepthWidthExperiment.Settings;

class SweepTest {
    @TempDir
    Path tmp;

    private static final Settings SHORT = Settings.paper().withEpochs(30);

    @Test
    void runsEveryCellWritesRowsAndResumes() throws IOException {
        Path csv = tmp.resolve("results.csv");
        List<Cell> first = Sweep.grid(List.of("baseline", "jumpstart"), List.of(2, 3), List.of(2), List.of(1L));
        Sweep.Result r1 = new Sweep(SHORT, 2).run(first, csv, null);
        assertEquals(4, r1.ran());
        assertEquals(5, Files.readAllLines(csv).size(), "header + 4 rows");
        // A larger grid containing the first: only the new cells run, the old rows are reused.
        List<Cell> second = Sweep.grid(List.of("baseline", "jumpstart"), List.of(2, 3), List.of(2, 3), List.of(1L));
        List<Integer> calls = new ArrayList<>();
        Sweep.Result r2 = new Sweep(SHORT, 2).run(second, csv, (o, done, total) -> {
            synchronized (calls) {
                calls.add(done);
            }
        });
        assertEquals(4, r2.ran());
        assertEquals(4, r2.resumed());
        assertEquals(8, r2.outcomes().size());
        assertEquals(4, calls.size());
        assertEquals(9, Files.readAllLines(csv).size());
        // Resumed outcomes equal the first run's (read back from the file).
        Outcome a = r1.outcomes().get(0);
        Outcome b = r2.outcomes().stream().filter(o -> o.cell().equals(a.cell())).findFirst().orElseThrow();
        assertEquals(a.validationAccuracy(), b.validationAccuracy());
        assertEquals(a.deadUnits(), b.deadUnits());
    }

    @Test
    void costliestCellsRunFirstAndOutcomesStayInGridOrder() throws IOException {
        List<Cell> cells = Sweep.grid(List.of("baseline"), List.of(1, 10), List.of(2, 6), List.of(1L));
        List<String> started = new ArrayList<>();
        Sweep.Result r = new Sweep(SHORT, 1).run(cells, tmp.resolve("results.csv"), (o, done, total) -> started.add(o.cell().key()));
        assertEquals(List.of(cells.get(3).key(), cells.get(2).key(), cells.get(1).key(), cells.get(0).key()), started,
                "width 10 depth 6, then width 10 depth 2, width 1 depth 6, width 1 depth 2");
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(cells.get(i), r.outcomes().get(i).cell());
        }
    }

    @Test
    void parallelAndSerialSweepsGiveTheSameResults() throws IOException {
        List<Cell> cells = Sweep.grid(List.of("baseline", "jumpstart"), List.of(3), List.of(3, 4), List.of(1L, 2L));
        Sweep.Result serial = new Sweep(SHORT, 1).run(cells, tmp.resolve("a.csv"), null);
        Sweep.Result parallel = new Sweep(SHORT, 2).run(cells, tmp.resolve("b.csv"), null);
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(serial.outcomes().get(i).finalLoss(), parallel.outcomes().get(i).finalLoss(), cells.get(i).key());
        }
    }

    @Test
    void aFailedCellIsRecordedAndTheSweepGoesOn() throws IOException {
        Path csv = tmp.resolve("results.csv");
        Settings bad = SHORT.withData("csv:" + tmp.resolve("missing.csv"));
        Sweep.Result r = new Sweep(bad, 2).run(Sweep.grid(List.of("baseline"), List.of(2), List.of(1, 2), List.of(1L)), csv, null);
        assertEquals(2, r.outcomes().size());
        assertTrue(r.outcomes().stream().allMatch(Outcome::failed));
        String text = Files.readString(csv);
        assertTrue(text.contains("failed") && text.contains("missing.csv"), text);
    }

    @Test
    void aTornLastLineIsDroppedAndAForeignHeaderRefused() throws IOException {
        Path csv = tmp.resolve("results.csv");
        new Sweep(SHORT, 1).run(Sweep.grid(List.of("baseline"), List.of(2), List.of(1), List.of(1L)), csv, null);
        Files.writeString(csv, Files.readString(csv) + "jumpstart,2,1,1,0.5,0.");
        try (ResultsCsv r = ResultsCsv.open(csv, DepthWidthExperiment.COLUMNS)) {
            assertEquals(1, r.existingRows().size());
        }
        assertFalse(Files.readString(csv).contains("0.5,0."), "torn row removed");
        Files.writeString(csv, "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsCsv.open(csv, DepthWidthExperiment.COLUMNS));
        assertTrue(e.getMessage().contains("another --out"), e.getMessage());
    }

    /**
     * A results file from before rows recorded their settings (results/jumpstart-moons): a finished
     * grid is read back as it is, the file is not touched, and a grid that would add rows is refused
     * before any cell runs.
     */
    @Test
    void aFileFromBeforeSettingsIsReadButNotExtended() throws IOException {
        Path csv = tmp.resolve("results.csv");
        List<Cell> cells = Sweep.grid(List.of("baseline"), List.of(2), List.of(1, 2), List.of(1L));
        Sweep.Result first = new Sweep(SHORT, 1).run(cells, csv, null);
        List<String> lines = Files.readAllLines(csv);
        StringBuilder old = new StringBuilder(lines.get(0).replace(",settings", "")).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            old.append(line, 0, line.lastIndexOf(",\"")).append('\n'); // the settings value is quoted: it holds commas
        }
        Files.writeString(csv, old.toString());
        Sweep.Result again = new Sweep(SHORT, 1).run(cells, csv, null);
        assertEquals(0, again.ran());
        assertEquals(2, again.resumed());
        assertEquals(first.outcomes().get(1).validationAccuracy(), again.outcomes().get(1).validationAccuracy());
        assertEquals(old.toString(), Files.readString(csv), "left as it was");
        List<Cell> more = Sweep.grid(List.of("baseline"), List.of(2), List.of(1, 2, 3), List.of(1L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sweep(SHORT, 1).run(more, csv, null));
        assertTrue(e.getMessage().contains("before results recorded their settings") && e.getMessage().contains("1 missing"),
                e.getMessage());
        assertEquals(old.toString(), Files.readString(csv), "still as it was");
    }

    @Test
    void analysisFindsTrainableDepths() {
        List<Outcome> o = new ArrayList<>();
        double[][] acc = {{1.0, 0.4, 0.4}, {1.0, 1.0, 0.93}};
        int[] depths = {5, 10, 20};
        String[] methods = {"baseline", "jumpstart"};
        for (int m = 0; m < 2; m++) {
            for (int d = 0; d < 3; d++) {
                o.add(new Outcome(new Cell(methods[m], 3, depths[d], 1), 1, acc[m][d], 0.1, 0, 0, 0, 1, null));
            }
        }
        o.add(new Outcome(new Cell("baseline", 3, 30, 1), 1, 1.0, 0.1, 0, 0, 0, 1, null));
        DepthWidthAnalysis a = new DepthWidthAnalysis(o);
        assertEquals(30, a.trainableDepth("baseline", 3));
        assertEquals(5, a.contiguousTrainableDepth("baseline", 3));
        assertEquals(20, a.trainableDepth("jumpstart", 3));
        assertEquals(20, a.contiguousTrainableDepth("jumpstart", 3));
        assertTrue(Double.isNaN(a.accuracy("jumpstart", 3, 30)));
        assertTrue(a.accuracyTable("baseline").contains("| 10 | 0.40 |"), a.accuracyTable("baseline"));
        Map<String, Object> row = o.get(0).row();
        assertEquals("ok", row.get("status"));
    }
}
