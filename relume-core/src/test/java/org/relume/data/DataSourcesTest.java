package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.relume.data.CsvReaderTest.assertMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void moonsIsThePaperSplit() {
        DataSources.Loaded loaded = DataSources.load(DataSources.Request.of("moons", 4));
        Dataset.Split expected = Moons.generate(100, 0, 4).splitAt(85);
        assertEquals(85, loaded.split().train().size());
        assertEquals(15, loaded.split().validation().size());
        assertTrue(loaded.split().train().features().identical(expected.train().features()));
        assertArrayEquals(expected.validation().labels(), loaded.split().validation().labels());
        assertEquals(List.of("x", "y"), loaded.featureNames());
        assertEquals("moons (n=100, noise=0, seed=4): 85 train / 15 validation", loaded.description());
    }

    @Test
    void moonsWithParameters() {
        DataSources.Loaded loaded = DataSources.load(DataSources.Request.of("moons:n=200,noise=0.1", 4));
        assertEquals(170, loaded.split().train().size());
        assertEquals(30, loaded.split().validation().size());
        Dataset expected = Moons.generate(200, 0.1, 4);
        assertTrue(loaded.split().validation().features().identical(expected.range(170, 200, "v").features()));
        DataSources.Loaded noValidation = DataSources.load(new DataSources.Request("moons:n=10", 1, 0, null, null, 0));
        assertEquals(10, noValidation.split().train().size());
        assertEquals(0, noValidation.split().validation().size());
    }

    @Test
    void curvesAreShuffledBeforeSplitting() {
        DataSources.Loaded loaded = DataSources.load(DataSources.Request.of("curve:x3", 2));
        assertEquals(425, loaded.split().train().size());
        assertEquals(75, loaded.split().validation().size());
        assertEquals(Task.REGRESSION, loaded.split().train().task());
        Dataset.Split expected = Curves.generate("x3").shuffledSplit(0.15, 2);
        assertTrue(loaded.split().train().features().identical(expected.train().features()));
        assertEquals(0, loaded.classValues().length);

        DataSources.Loaded grid = DataSources.load(
                new DataSources.Request("curve:sin:n=200,lo=-1,hi=1", 3, 0.25, null, null, 0));
        assertEquals(150, grid.split().train().size());
        assertEquals(50, grid.split().validation().size());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (Dataset d : List.of(grid.split().train(), grid.split().validation())) {
            for (float v : d.features().toArray()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(-1f, min, 0);
        assertEquals(1f, max, 0);
    }

    @Test
    void csvUsesLabelColumnAndShuffles() throws IOException {
        StringBuilder sb = new StringBuilder("id,kind,score\n");
        for (int i = 0; i < 20; i++) {
            sb.append(i).append(',').append(i % 3 == 0 ? 5 : 7).append(',').append(i * 0.5).append('\n');
        }
        Path file = Files.writeString(dir.resolve("table.csv"), sb.toString());
        DataSources.Loaded loaded = DataSources.load(
                new DataSources.Request("csv:" + file, 9, 0.2, "kind", null, 0));
        assertEquals(16, loaded.split().train().size());
        assertEquals(4, loaded.split().validation().size());
        assertEquals(List.of("id", "score"), loaded.featureNames());
        assertArrayEquals(new double[] {5, 7}, loaded.classValues());
        assertEquals(Task.BINARY, loaded.split().train().task());
        Dataset.Split expected = CsvReader.read(file, CsvReader.Options.defaults().withLabelColumn("kind"))
                .dataset().shuffledSplit(0.2, 9);
        assertTrue(expected.train().features().identical(loaded.split().train().features()));

        DataSources.Loaded limited = DataSources.load(new DataSources.Request("csv:" + file, 9, 0.5, null, null, 6));
        assertEquals(3, limited.split().train().size());
        assertEquals(Task.REGRESSION, limited.split().train().task());
        List<Float> ids = new ArrayList<>();
        for (Dataset d : List.of(limited.split().train(), limited.split().validation())) {
            for (int i = 0; i < d.size(); i++) {
                ids.add(d.features().get(i, 0));
            }
        }
        ids.sort(null);
        assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f), ids, "only the first 6 rows");
    }

    @Test
    void idxLoadsTheDirectory() {
        IdxFiles.mnistDirectory(dir);
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request("idx:" + dir, 1, 0.5, null, null, 4));
        assertEquals(4, loaded.split().train().size());
        assertEquals(3, loaded.split().validation().size());
        assertEquals(784, loaded.featureNames().size());
        assertEquals(10, loaded.classValues().length);
        assertTrue(loaded.description().contains("4 train / 3 validation"), loaded.description());
    }

    @Test
    void badSpecsListTheAcceptedForms() {
        for (String spec : new String[] {"", "mnist", "moons:n=abc", "moons:size=3", "moons:n", "moons:n=5,n=6",
                "moons:noise=inf", "curve", "curve:", "curve:cos", "curve:x3:step=2", "csv:", "idx:"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DataSources.load(DataSources.Request.of(spec, 1)), spec);
            assertMessage(e, "bad data spec '" + spec + "'", "accepted forms: moons, moons:n=200,noise=0.1, curve:NAME");
        }
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("moons:size=3", 1))), "unknown parameter 'size'", "n, noise");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("curve:cos", 1))), "unknown curve 'cos'", "x3, x11");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("moons:n=1", 1))), "moons:n=1", "at least 2 samples");
    }

    @Test
    void missingFilesNameThePath() {
        Path csv = dir.resolve("missing.csv");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("csv:" + csv, 1))), csv.toString());
        Path idx = dir.resolve("no-mnist");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("idx:" + idx, 1))), idx.toString());
    }

    @Test
    void optionsThatDoNotFitTheSourceAreRejected() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(new DataSources.Request("moons", 1, 0.15, "y", null, 0))), "only applies to csv");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(new DataSources.Request("curve:x3", 1, 0.15, null, Task.BINARY, 0))),
                "task binary was requested", "always regression");
        assertThrows(IllegalArgumentException.class, () -> new DataSources.Request("moons", 1, 1.0, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataSources.Request("moons", 1, 0.1, null, null, -1));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(new DataSources.Request("moons", 1, 0.15, null, null, 50))),
                "applies to csv, idx and cifar", "moons:n=200");
    }
}
