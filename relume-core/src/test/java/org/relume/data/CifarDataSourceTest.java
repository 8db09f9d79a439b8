package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.relume.data.CsvReaderTest.assertMessage;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cifar: data spec of {@link DataSources}. */
class CifarDataSourceTest {
    @TempDir
    Path dir;

    private static DataSources.Loaded load(String spec, int limit) {
        return DataSources.load(new DataSources.Request(spec, 7, 0.5, null, null, limit));
    }

    @Test
    void cifar10LoadsWithTheTestBatchAsValidation() {
        CifarFiles.cifar10Directory(dir);
        DataSources.Loaded all = load("cifar:" + dir, 0);
        assertEquals(10, all.split().train().size());
        assertEquals(3, all.split().validation().size(), "the validation fraction does not apply");
        assertEquals(3072, all.featureNames().size());
        assertEquals("red0", all.featureNames().get(0));
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all.classValues());
        assertEquals("cifar " + dir + " (CIFAR-10, 3072 pixels, 10 classes): 10 train / 3 validation", all.description());

        DataSources.Loaded limited = load(" cifar:" + dir + " ", 2);
        assertEquals(2, limited.split().train().size());
        assertEquals(2, limited.split().validation().size());
        assertEquals("cifar " + dir + " (CIFAR-10, 3072 pixels, 10 classes, limit 2): 2 train / 2 validation",
                limited.description());
    }

    @Test
    void cifar100TakesFineOrCoarseLabels() {
        CifarFiles.cifar100Directory(dir);
        DataSources.Loaded fine = load("cifar:" + dir, 0);
        assertEquals(100, fine.classValues().length);
        assertArrayEquals(new int[] {0, 99, 42, 13}, fine.split().train().labels());
        assertEquals("cifar " + dir + " (CIFAR-100, fine labels, 3072 pixels, 100 classes): 4 train / 2 validation",
                fine.description());
        assertArrayEquals(fine.split().train().labels(), load("cifar:" + dir + ":labels=fine", 0).split().train().labels());

        DataSources.Loaded coarse = load("cifar:" + dir + ":labels=COARSE", 0);
        assertEquals(20, coarse.classValues().length);
        assertEquals(19, coarse.classValues()[19]);
        assertArrayEquals(new int[] {0, 19, 7, 3}, coarse.split().train().labels());
        assertEquals(20, coarse.split().validation().classes());
        assertEquals("cifar " + dir + " (CIFAR-100, coarse labels, 3072 pixels, 20 classes): 4 train / 2 validation",
                coarse.description());
    }

    @Test
    void aDirectoryNameWithAColonIsNotTakenForParameters() {
        Path odd = CifarFiles.cifar10Directory(dir.resolve("a:b"));
        assertEquals(10, load("cifar:" + odd, 0).split().train().size());
    }

    @Test
    void badSpecsAndOptionsAreRefused() {
        CifarFiles.cifar10Directory(dir);
        for (String spec : new String[] {"cifar", "cifar:", "cifar: ", "cifar::labels=fine"}) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> load(spec, 0)),
                    "bad data spec '" + spec.strip() + "'", "cifar needs a directory", "cifar:DIR[:labels=fine|coarse]");
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> load("cifar:" + dir + ":labels=medium", 0)),
                "labels must be fine or coarse, found 'medium'");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> load("cifar:" + dir + ":classes=10", 0)),
                "unknown parameter 'classes'", "accepts labels");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> load("cifar:" + dir + ":labels=coarse", 0)),
                "coarse labels exist only in CIFAR-100");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> DataSources.load(
                new DataSources.Request("cifar:" + dir, 1, 0.15, "label", null, 0))), "only applies to csv");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> DataSources.load(
                new DataSources.Request("cifar:" + dir, 1, 0.15, null, Task.REGRESSION, 0))), "cifar data is always multiclass");
        Path missing = dir.resolve("nothing-here");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> load("cifar:" + missing, 0)),
                "CIFAR directory not found: " + missing);
    }
}
