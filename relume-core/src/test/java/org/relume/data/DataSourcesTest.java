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
import java.util.SplittableRandom;
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

    @Test
    void functionDataSampleTheExpressionOnTheGrid() {
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request("fn:(exp(x)-1)/(e-1)", 1, 0, null, null, 0));
        Dataset d = loaded.split().train();
        assertEquals(500, d.size());
        assertEquals(Task.REGRESSION, d.task());
        assertEquals(List.of("x"), loaded.featureNames());
        float[] x = d.features().data();
        float[] y = d.targets().data();
        for (int i = 0; i < d.size(); i++) {
            assertEquals((Math.exp(x[i]) - 1) / (Math.E - 1), y[i], 1e-6, "at x = " + x[i]);
        }
        assertTrue(loaded.description().startsWith("fn (exp(x)-1)/(e-1) (n=500 on [0, 1]"), loaded.description());

        Dataset.Split grid = DataSources.load(new DataSources.Request("fn: x^2 - 1 :n=11,lo=-1,hi=1", 2, 0, null, null, 0)).split();
        assertEquals(11, grid.train().size());
        Dataset curve = DataSources.load(new DataSources.Request("curve:x2:n=11,lo=-1,hi=1", 2, 0, null, null, 0)).split().train();
        for (int i = 0; i < 11; i++) {
            assertEquals(curve.targets().data()[i] - 1, grid.train().targets().data()[i], 1e-6);
        }
    }

    @Test
    void badFunctionDataSayWhatIsWrongInOneLine() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("fn:(x", 1))), "bad expression '(x'", "at position 3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("fn:log(x)", 1))), "fn:log(x)", "x = 0.0", "Infinity");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("fn:x:step=3", 1))), "unknown parameter 'step'", "n, lo, hi");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("fn:", 1))), "fn needs an expression");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("fn:x:lo=1,hi=0", 1))), "lo < hi");
    }

    @Test
    void theStudentTeacherDefaultIsUnchanged() {
        Dataset d = DataSources.load(new DataSources.Request("student-teacher:n=3", 5, 0, null, null, 0)).split().train();
        Dataset direct = GrowthData.studentTeacher(3, 10, 10, 10, 5);
        assertEquals(sum(direct.targets().data()), sum(d.targets().data()), 1e-9, "the same samples, shuffled");
        // Values of the generator before the teacher got its own seed (commit 28ea45c), seed 5, n = 3.
        Dataset seed5 = GrowthData.studentTeacher(3, 10, 10, 10, 5);
        assertEquals(-0x1.70595ep-1f, seed5.features().data()[0], 0);
        assertEquals(-0x1.0ead44p-1f, seed5.targets().data()[0], 0);
        assertEquals(-0x1.bed2ccp0f, seed5.targets().data()[29], 0);
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }

    @Test
    void aTeacherHasItsOwnShapeAndSeed() {
        DataSources.Loaded a = DataSources.load(new DataSources.Request("teacher:in=4,hidden=20,out=3,seed=7,n=50", 1, 0, null,
                null, 0));
        assertEquals(4, a.split().train().inputs());
        assertEquals(3, a.split().train().outputs());
        assertEquals(50, a.split().train().size());
        assertTrue(a.description().startsWith("teacher 4-20-3 (seed 7; n=50 inputs from seed 1)"), a.description());
        // The same teacher under other run seeds: the inputs change, the function does not.
        Dataset one = GrowthData.teacher(50, 4, 20, 3, 7, 1);
        Dataset two = GrowthData.teacher(50, 4, 20, 3, 7, 2);
        Dataset sameInputsOtherTeacher = GrowthData.teacher(50, 4, 20, 3, 8, 1);
        assertTrue(one.features().identical(sameInputsOtherTeacher.features()));
        assertTrue(one.features().data()[0] != two.features().data()[0]);
        assertTrue(one.targets().data()[0] != sameInputsOtherTeacher.targets().data()[0]);
        GrowthData.Teacher seven = GrowthData.Teacher.draw(4, 20, 3, new SplittableRandom(7));
        for (Dataset d : new Dataset[] {one, two}) {
            float[] y = new float[3];
            for (int s = 0; s < d.size(); s++) {
                seven.apply(d.features().data(), 4 * s, y, 0);
                for (int o = 0; o < 3; o++) {
                    assertEquals(y[o], d.targets().data()[3 * s + o], 0, "sample " + s);
                }
            }
        }
        Dataset defaults = DataSources.load(new DataSources.Request("teacher", 3, 0, null, null, 0)).split().train();
        assertEquals(10, defaults.inputs());
        assertEquals(1000, defaults.size());
    }

    @Test
    void badTeachersAreRefused() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("teacher:in=0", 1))), "teacher:in=0", "in, hidden, out and n >= 1");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("teacher:depth=3", 1))), "unknown parameter 'depth'",
                "in, hidden, out, seed, n");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("teacher:seed=x", 1))), "seed must be a whole number");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(DataSources.Request.of("teacher:in=100000,hidden=100000", 1))), "too large");
    }
}
