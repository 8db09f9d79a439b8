package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void headerAndDefaultLastLabel() throws IOException {
        CsvReader.Result r = CsvReader.read(write("data.csv", "a,b,label\n1,2,0\n3,4.5,1\n-5,6e-1,0\n"));
        Dataset d = r.dataset();
        assertEquals("data.csv", d.name());
        assertEquals(Task.BINARY, d.task());
        assertEquals(List.of("a", "b"), r.featureNames());
        assertEquals("label", r.labelName());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f, -5, 0.6f}, d.features().toArray());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertArrayEquals(new double[] {0, 1}, r.classValues());
    }

    @Test
    void noHeaderNamesColumnsByIndex() throws IOException {
        CsvReader.Result r = CsvReader.read(write("plain.csv", "1,2,0\n3,4,1\n"));
        assertEquals(2, r.dataset().size());
        assertEquals(List.of("col0", "col1"), r.featureNames());
        assertEquals("col2", r.labelName());
        assertArrayEquals(new float[] {1, 2, 3, 4}, r.dataset().features().toArray());
    }

    @Test
    void labelByNameAndByIndex() throws IOException {
        Path file = write("mid.csv", "x,y,z\n1,0,2\n3,1,4\n5,2,6\n");
        CsvReader.Result byName = CsvReader.read(file, CsvReader.Options.defaults().withLabelColumn("y"));
        CsvReader.Result byIndex = CsvReader.read(file, CsvReader.Options.defaults().withLabelColumn(1));
        for (CsvReader.Result r : List.of(byName, byIndex)) {
            assertEquals(List.of("x", "z"), r.featureNames());
            assertEquals("y", r.labelName());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.dataset().features().toArray());
            assertArrayEquals(new int[] {0, 1, 2}, r.dataset().labels());
            assertEquals(Task.MULTICLASS, r.dataset().task());
        }
        CsvReader.Result noHeader = CsvReader.read(write("idx.csv", "7,1,9\n8,0,9\n"),
                CsvReader.Options.defaults().withLabelColumn("1"));
        assertEquals(List.of("col0", "col2"), noHeader.featureNames());
        assertArrayEquals(new int[] {1, 0}, noHeader.dataset().labels());
    }

    @Test
    void fractionalLabelsMeanRegression() throws IOException {
        CsvReader.Result r = CsvReader.read(write("reg.csv", "x,y\n0,0.5\n1,1.5\n2,1\n"));
        Dataset d = r.dataset();
        assertEquals(Task.REGRESSION, d.task());
        assertNull(d.labels());
        assertArrayEquals(new float[] {0.5f, 1.5f, 1f}, d.targets().toArray());
        assertEquals(0, r.classValues().length);
    }

    @Test
    void manyDistinctIntegersMeanRegression() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i <= CsvReader.MAX_AUTO_CLASSES; i++) {
            sb.append(i).append(',').append(i * 3).append('\n');
        }
        assertEquals(Task.REGRESSION, CsvReader.read(write("many.csv", sb.toString())).dataset().task());
        // exactly MAX_AUTO_CLASSES distinct labels are still classes
        String fewer = sb.substring(0, sb.lastIndexOf("100,"));
        CsvReader.Result r = CsvReader.read(write("hundred.csv", fewer));
        assertEquals(Task.MULTICLASS, r.dataset().task());
        assertEquals(CsvReader.MAX_AUTO_CLASSES, r.dataset().classes());
    }

    @Test
    void taskOverride() throws IOException {
        Path file = write("ints.csv", "x,y\n0,3\n1,5\n2,3\n");
        Dataset reg = CsvReader.read(file, CsvReader.Options.defaults().withTask(Task.REGRESSION)).dataset();
        assertEquals(Task.REGRESSION, reg.task());
        assertArrayEquals(new float[] {3, 5, 3}, reg.targets().toArray());
        Path fractional = write("frac.csv", "x,y\n0,0.5\n1,0.25\n2,0.5\n");
        CsvReader.Result cls = CsvReader.read(fractional, CsvReader.Options.defaults().withTask(Task.BINARY));
        assertArrayEquals(new int[] {1, 0, 1}, cls.dataset().labels());
        assertArrayEquals(new double[] {0.25, 0.5}, cls.classValues());

        Path three = write("three.csv", "x,y\n0,1\n1,2\n2,3\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(three, CsvReader.Options.defaults().withTask(Task.BINARY)));
        assertMessage(e, "three.csv", "binary task was requested", "3 distinct values (1, 2, 3)");
    }

    @Test
    void labelsAreRemappedToSortedClasses() throws IOException {
        CsvReader.Result r = CsvReader.read(write("remap.csv", "f,c\n1,8\n2,3\n3,5\n4,3\n5,-0\n6,0\n"));
        assertArrayEquals(new double[] {0, 3, 5, 8}, r.classValues());
        assertArrayEquals(new int[] {3, 1, 2, 1, 0, 0}, r.dataset().labels());
        CsvReader.Result pm = CsvReader.read(write("pm.csv", "1,-1\n2,1\n3,-1\n"));
        assertEquals(Task.BINARY, pm.dataset().task());
        assertArrayEquals(new double[] {-1, 1}, pm.classValues());
        assertArrayEquals(new int[] {0, 1, 0}, pm.dataset().labels());
    }

    @Test
    void semicolonsTabsQuotesCommentsAndBlankLines() throws IOException {
        Path semi = write("semi.csv", "\uFEFF# exported\n\n\"width\";\"height (cm)\";\"kind\"\n1.5;2;0\n\n  # note\n3;4;1\n");
        CsvReader.Result r = CsvReader.read(semi);
        assertEquals(List.of("width", "height (cm)"), r.featureNames());
        assertEquals("kind", r.labelName());
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, r.dataset().features().toArray());

        CsvReader.Result tab = CsvReader.read(write("tab.tsv", "a\tb\n1\t0\n2\t1\n"));
        assertEquals(List.of("a"), tab.featureNames());
        assertArrayEquals(new float[] {1, 2}, tab.dataset().features().toArray());

        CsvReader.Result quoted = CsvReader.read(write("q.csv", "\"a, with comma\", \"say \"\"b\"\"\" ,y\n1,2,0\n3,4,1\n"));
        assertEquals(List.of("a, with comma", "say \"b\""), quoted.featureNames());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = write("empty.csv", "# only a comment\n\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file));
        assertMessage(e, "empty.csv", "empty");
        DataFormatException headerOnly = assertThrows(DataFormatException.class,
                () -> CsvReader.read(write("head.csv", "a,b\n")));
        assertMessage(headerOnly, "head.csv", "header on line 1", "no data rows");
    }

    @Test
    void wrongFieldCountNamesLineAndCounts() throws IOException {
        Path file = write("short.csv", "# c\na,b,c\n1,2,3\n4,5\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file));
        assertMessage(e, "short.csv line 4", "found 2 fields, expected 3", "header on line 2");
        assertEquals(4, e.line());
        DataFormatException single = assertThrows(DataFormatException.class,
                () -> CsvReader.read(write("one.csv", "1\n2\n")));
        assertMessage(single, "one.csv line 1", "found 1 field, expected at least 2");
    }

    @Test
    void badValuesNameLineColumnAndText() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(write("data.csv", "a,b,c\n1,2,3\n\n4,abc,5\n")));
        assertMessage(e, "data.csv line 4, column 2 ('abc'): expected a number");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("nan.csv", "1,2,0\n3,NaN,1\n")));
        assertMessage(e, "nan.csv line 2, column 2 ('NaN'): expected a finite number");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("inf.csv", "1,2,0\n3,4,-inf\n")));
        assertMessage(e, "inf.csv line 2, column 3 ('-inf'): expected a finite number");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("big.csv", "1,2,0\n3,1e39,1\n")));
        assertMessage(e, "big.csv line 2, column 2 ('1e39')", "float range");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("hole.csv", "1,2,0\n3,,1\n")));
        assertMessage(e, "hole.csv line 2, column 2 (''): expected a number, found an empty field");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("hex.csv", "1,2,0\n0x10,2,1\n")));
        assertMessage(e, "hex.csv line 2, column 1 ('0x10'): expected a number");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("open.csv", "a,b\n\"1,2\n")));
        assertMessage(e, "open.csv line 2, column 1", "closing '\"'");
    }

    @Test
    void labelColumnErrors() throws IOException {
        Path file = write("cols.csv", "x,y,target\n1,2,0\n3,4,1\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(file, CsvReader.Options.defaults().withLabelColumn("label")));
        assertMessage(e, "cols.csv", "no column named 'label'", "'x', 'y', 'target'");
        e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(file, CsvReader.Options.defaults().withLabelColumn(3)));
        assertMessage(e, "cols.csv", "index 3 is out of range", "3 columns, indices 0 to 2");
        Path plain = write("plain.csv", "1,2\n3,4\n");
        e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(plain, CsvReader.Options.defaults().withLabelColumn("y")));
        assertMessage(e, "plain.csv", "no header row");
        assertThrows(IllegalArgumentException.class, () -> CsvReader.Options.defaults().withSeparator('|'));
    }

    @Test
    void singleClassIsRejected() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(write("same.csv", "x,y\n1,4\n2,4\n")));
        assertMessage(e, "same.csv", "'y' holds the single value 4 in all 2 rows", "at least 2 classes");
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nowhere.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(missing));
        assertMessage(e, missing.toString(), "not found");
    }

    @Test
    void wordLabelsBecomeClassesNamedAsWritten() throws IOException {
        CsvReader.Result r = CsvReader.read(write("iris.csv",
                "length,width,species\n1,2,setosa\n3,4,virginica\n5,6,versicolor\n7,8,setosa\n"));
        assertEquals(List.of("setosa", "versicolor", "virginica"), r.classNames());
        assertArrayEquals(new int[] {0, 2, 1, 0}, r.dataset().labels());
        assertEquals(Task.MULTICLASS, r.dataset().task());
        assertEquals(List.of("length", "width"), r.featureNames());
        CsvReader.Result headless = CsvReader.read(write("plain.csv", "1,2,cat\n3,4,dog\n"));
        assertEquals(2, headless.dataset().size(), "a word label does not make the first row a header");
        assertEquals(List.of("cat", "dog"), headless.classNames());
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("reg.csv",
                "x,y\n1,low\n2,high\n"), CsvReader.Options.defaults().withTask(Task.REGRESSION)));
        assertMessage(e, "reg.csv line 2, column 2 ('low'): expected a number");
    }

    @Test
    void numericClassNamesKeepTheirValues() throws IOException {
        CsvReader.Result r = CsvReader.read(write("grades.csv", "x,grade\n1,20\n2,10\n3,20\n"));
        assertEquals(List.of("10", "20"), r.classNames());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void featuresAndDropChooseTheColumnsAndSkipTheRest() throws IOException {
        Path file = write("ids.csv", "id,a,b,c,label\nA1,1,2,3,0\nB2,4,5,6,1\n");
        CsvReader.Result dropped = CsvReader.read(file, CsvReader.Options.defaults().withDrop(List.of("id", "2")));
        assertEquals(List.of("a", "c"), dropped.featureNames());
        assertArrayEquals(new float[] {1, 3, 4, 6}, dropped.dataset().features().toArray());
        CsvReader.Result chosen = CsvReader.read(file, CsvReader.Options.defaults().withFeatures(List.of("c", "a")));
        assertEquals(List.of("c", "a"), chosen.featureNames());
        assertArrayEquals(new float[] {3, 1, 6, 4}, chosen.dataset().features().toArray());
        assertMessage(assertThrows(DataFormatException.class, () -> CsvReader.read(file)),
                "ids.csv line 2, column 1 ('A1'): expected a number");
        assertMessage(assertThrows(DataFormatException.class, () -> CsvReader.read(file,
                CsvReader.Options.defaults().withFeatures(List.of("a", "label")))), "'label' is the label");
        assertMessage(assertThrows(DataFormatException.class, () -> CsvReader.read(file,
                CsvReader.Options.defaults().withDrop(List.of("id", "idx")))), "no column named 'idx'");
        assertThrows(IllegalArgumentException.class,
                () -> CsvReader.Options.defaults().withFeatures(List.of("a")).withDrop(List.of("b")));
    }

    @Test
    void aCountLineAboveTheDataIsFlagged() throws IOException {
        // scikit-learn's raw iris.csv: "150,4,setosa,versicolor,virginica" above unnamed rows.
        CsvReader.Result r = CsvReader.read(write("iris.csv", "150,4,setosa,versicolor,virginica\n"
                + "5.1,3.5,1.4,0.2,0\n7.0,3.2,4.7,1.4,1\n6.3,3.3,6.0,2.5,2\n"));
        assertEquals(3, r.dataset().size());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertMessage(new RuntimeException(r.warnings().get(0)), "iris.csv: the header on line 1 holds numbers ('150', '4')",
                "count line");
        // scikit-learn's raw wine.csv has 5 fields above rows of 14: refused, with the same hint.
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(write("wine.csv",
                "3,2,class_0,class_1\n1,2,3,4,5,0\n")));
        assertMessage(e, "wine.csv line 2", "found 6 fields, expected 4", "holds numbers ('3', '2')", "count line");
    }

    @Test
    void farMoreClassesThanAClassificationHasIsFlagged() throws IOException {
        StringBuilder sb = new StringBuilder("x,target\n");
        for (int i = 0; i < 40; i++) {
            // x in halves: whole numbers 0..39 would also be flagged, as a row number
            sb.append(i * 0.5).append(',').append(100 + i / 2).append('\n');
        }
        Path file = write("diabetes.csv", sb.toString());
        CsvReader.Result forced = CsvReader.read(file, CsvReader.Options.defaults().withTask(Task.MULTICLASS));
        assertEquals(20, forced.dataset().classes());
        assertEquals(1, forced.warnings().size());
        assertMessage(new RuntimeException(forced.warnings().get(0)), "'target' makes 20 classes from 40 rows",
                "--task regression");
        assertTrue(CsvReader.read(write("few.csv", "x,y\n1,0\n2,1\n3,2\n4,0\n")).warnings().isEmpty());
    }

    /** An id column (every row a different integer, in a run) read as a feature is flagged; real integer features are not. */
    @Test
    void aRowNumberColumnTakenAsAFeatureIsFlagged() throws IOException {
        StringBuilder sb = new StringBuilder("id,count,size,label\n");
        for (int i = 0; i < 12; i++) {
            sb.append((i * 5) % 12 + 1).append(',').append(i % 4).append(',').append(i * 0.5).append(',').append(i % 2)
                    .append('\n');
        }
        Path file = write("shop.csv", sb.toString());
        CsvReader.Result r = CsvReader.read(file);
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertMessage(new RuntimeException(r.warnings().get(0)), "shop.csv: feature column 'id' holds the integers 1..12,"
                + " each once, like a row number", "--drop id");
        assertTrue(CsvReader.read(file, CsvReader.Options.defaults().withDrop(List.of("id"))).warnings().isEmpty());
        assertTrue(CsvReader.read(file, CsvReader.Options.defaults().withFeatures(List.of("id", "size"))).warnings().isEmpty(),
                "a column asked for by name is the user's choice");
        StringBuilder gap = new StringBuilder("id,label\n");
        for (int i = 0; i < 12; i++) {
            gap.append(i == 11 ? 20 : i).append(',').append(i % 2).append('\n');
        }
        assertTrue(CsvReader.read(write("gap.csv", gap.toString())).warnings().isEmpty(), "not a run of integers");
    }

    static void assertMessage(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
    }
}
