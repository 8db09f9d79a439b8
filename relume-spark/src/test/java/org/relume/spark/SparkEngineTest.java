package org.relume.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.experiment.DepthWidthExperiment;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.experiment.Sweep;

/**
 * A small sweep on Spark (local[2]) gives the local engine's rows, seconds aside, and a rerun after
 * an interruption computes only the missing cells.
 */
class SparkEngineTest {
    @TempDir
    Path tmp;

    private static final Settings SETTINGS = Settings.paper().withEpochs(200);
    private static final List<Cell> CELLS = Sweep.grid(List.of(DepthWidthExperiment.BASELINE, DepthWidthExperiment.JUMPSTART),
            List.of(2, 3), List.of(2, 4), List.of(1L, 2L));

    @Test
    void sameRowsAsTheLocalEngineAndResumesOnlyMissingCells() throws IOException {
        Path local = tmp.resolve("local.csv");
        Sweep.Result l = new Sweep(SETTINGS, 2).run(CELLS, local, null);
        assertEquals(16, l.ran());

        Path spark = tmp.resolve("spark.csv");
        Sweep.Result s = new Sweep(SETTINGS, new SparkEngine("local[2]")).run(CELLS, spark, null);
        assertEquals(16, s.ran());
        assertEquals(withoutSeconds(local, true), withoutSeconds(spark, true), "same rows, any order");

        // An interrupted Spark sweep: the header and five finished cells survive; the rerun trains the other 11.
        Path partial = tmp.resolve("partial.csv");
        List<String> lines = Files.readAllLines(spark);
        Files.write(partial, lines.subList(0, 6));
        Sweep.Result resumed = new Sweep(SETTINGS, new SparkEngine("local[2]")).run(CELLS, partial, null);
        assertEquals(11, resumed.ran());
        assertEquals(5, resumed.resumed());
        assertEquals(withoutSeconds(local, true), withoutSeconds(partial, true));
    }

    /** The rows without their seconds column, sorted when {@code sort} (engines finish cells in any order). */
    private static List<String> withoutSeconds(Path csv, boolean sort) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int seconds = header.indexOf("seconds");
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = new ArrayList<>(List.of(line.split(",", -1)));
            fields.remove(seconds);
            out.add(String.join(",", fields));
        }
        if (sort) {
            out.sort(null);
        }
        return out;
    }
}
