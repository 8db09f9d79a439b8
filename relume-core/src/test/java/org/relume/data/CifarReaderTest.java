package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.relume.data.CifarFiles.cifar10;
import static org.relume.data.CifarFiles.cifar100;
import static org.relume.data.CifarFiles.cifar100Directory;
import static org.relume.data.CifarFiles.cifar10Directory;
import static org.relume.data.CifarFiles.pixel;
import static org.relume.data.CifarFiles.write;
import static org.relume.data.CsvReaderTest.assertMessage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.tensor.Tensor;

class CifarReaderTest {
    @TempDir
    Path dir;

    /** Checks that row {@code row} of {@code x} holds image {@code image}, scaled by 1/255, in CHW order. */
    private static void assertImage(Tensor x, int row, int image) {
        float[] expected = new float[CifarReader.PIXELS];
        for (int j = 0; j < expected.length; j++) {
            expected[j] = pixel(image, j) / 255f;
        }
        float[] actual = Arrays.copyOfRange(x.data(), row * CifarReader.PIXELS, (row + 1) * CifarReader.PIXELS);
        assertArrayEquals(expected, actual, "row " + row + " should be image " + image);
    }

    @Test
    void readsCifar10BatchesInOrderAndTheTestBatchAsValidation() {
        cifar10Directory(dir);
        CifarReader.Result r = CifarReader.load(dir, 0);
        assertEquals(CifarReader.Layout.CIFAR10, r.layout());
        assertEquals(dir, r.directory());
        assertEquals(10, r.classes());
        Dataset train = r.split().train();
        Dataset test = r.split().validation();
        assertArrayEquals(new int[] {10, 3072}, train.features().shape());
        assertArrayEquals(new int[] {3, 3072}, test.features().shape());
        assertEquals(Task.MULTICLASS, train.task());
        assertEquals(10, train.classes());
        assertEquals(10, test.classes());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
        assertArrayEquals(new int[] {9, 0, 5}, test.labels());
        for (int i = 0; i < 10; i++) {
            assertImage(train.features(), i, i);
        }
        for (int i = 0; i < 3; i++) {
            assertImage(test.features(), i, 100 + i);
        }
        assertEquals(dir.getFileName() + "/train", train.name());
        assertEquals(dir.getFileName() + "/validation", test.name());
    }

    @Test
    void pixelsKeepChannelMajorOrderAndScaleLikeMnist() {
        // One record whose red plane is 0, green plane 255, blue plane the column index x * 8.
        byte[] rec = new byte[1 + 3072];
        rec[0] = 4;
        for (int p = 0; p < 1024; p++) {
            rec[1 + p] = 0;
            rec[1 + 1024 + p] = (byte) 255;
            rec[1 + 2048 + p] = (byte) ((p % 32) * 8);
        }
        for (int b = 1; b <= 5; b++) {
            write(dir.resolve("data_batch_" + b + ".bin"), rec);
        }
        write(dir.resolve("test_batch.bin"), rec);
        Tensor x = CifarReader.load(dir, 1).split().train().features();
        assertArrayEquals(new int[] {1, 3072}, x.shape());
        assertEquals(0f, x.get(0, 0));
        assertEquals(0f, x.get(0, 1023));
        assertEquals(1f, x.get(0, 1024));
        assertEquals(1f, x.get(0, 2047));
        // blue at row y = 5, column x = 3 is feature 2 * 1024 + 5 * 32 + 3
        assertEquals(24 / 255f, x.get(0, 2048 + 5 * 32 + 3));
        assertEquals(248 / 255f, x.get(0, 2048 + 31));
        assertEquals(List.of("red0", "red1023", "green0", "blue1023"), List.of(CifarReader.featureNames().get(0),
                CifarReader.featureNames().get(1023), CifarReader.featureNames().get(1024),
                CifarReader.featureNames().get(3071)));
        assertEquals(3072, CifarReader.featureNames().size());
    }

    @Test
    void limitTakesTheFirstRecordsAcrossBatches() {
        cifar10Directory(dir);
        CifarReader.Result r = CifarReader.load(dir, 4);
        Dataset train = r.split().train();
        assertEquals(4, train.size());
        for (int i = 0; i < 4; i++) {
            assertImage(train.features(), i, i); // two from batch 1, two of the three in batch 2
        }
        assertEquals(3, r.split().validation().size(), "the test batch has only 3 records");
        assertEquals(1, CifarReader.load(dir, 1).split().validation().size());
        assertEquals(10, CifarReader.load(dir, 1000).split().train().size());
    }

    @Test
    void readsCifar100FineByDefaultAndCoarseOnRequest() {
        cifar100Directory(dir);
        CifarReader.Result fine = CifarReader.load(dir, 0);
        assertEquals(CifarReader.Layout.CIFAR100, fine.layout());
        assertEquals(CifarReader.Labels.FINE, fine.labels());
        assertEquals(100, fine.classes());
        assertEquals(100, fine.split().train().classes());
        assertArrayEquals(new int[] {0, 99, 42, 13}, fine.split().train().labels());
        assertArrayEquals(new int[] {55, 66}, fine.split().validation().labels());
        assertArrayEquals(new int[] {4, 3072}, fine.split().train().features().shape());
        for (int i = 0; i < 4; i++) {
            assertImage(fine.split().train().features(), i, i);
        }
        assertImage(fine.split().validation().features(), 1, 51);

        CifarReader.Result coarse = CifarReader.load(dir, CifarReader.Labels.COARSE, 3);
        assertEquals(20, coarse.classes());
        assertEquals(20, coarse.split().train().classes());
        assertArrayEquals(new int[] {0, 19, 7}, coarse.split().train().labels());
        assertArrayEquals(new int[] {5, 6}, coarse.split().validation().labels());
        assertImage(coarse.split().train().features(), 2, 2);
    }

    @Test
    void findsTheArchiveFolderInsideTheGivenDirectory() {
        cifar100Directory(dir.resolve("cifar-100-binary"));
        CifarReader.Location where = CifarReader.detect(dir);
        assertEquals(dir.resolve("cifar-100-binary"), where.directory());
        assertEquals(CifarReader.Layout.CIFAR100, where.layout());
        assertEquals(dir.resolve("cifar-100-binary"), CifarReader.load(dir, 0).directory());
        cifar10Directory(dir.resolve("cifar-10-batches-bin"));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.detect(dir)),
                "holds both", "name one of them");
        assertEquals(CifarReader.Layout.CIFAR10, CifarReader.detect(dir.resolve("cifar-10-batches-bin")).layout());
    }

    @Test
    void missingFilesAreListedWithWhatWasExpected() {
        cifar10Directory(dir);
        Path batch3 = dir.resolve("data_batch_3.bin");
        Path test = dir.resolve("test_batch.bin");
        try {
            Files.delete(batch3);
            Files.delete(test);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CifarReader.load(dir, 0));
        assertMessage(e, "CIFAR-10 directory " + dir, "lacks data_batch_3.bin, test_batch.bin", "expected data_batch_1.bin, "
                + "data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin");

        Path hundred = dir.resolve("h");
        write(hundred.resolve("test.bin"), cifar100(0, 1, 1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(hundred, 0)),
                "CIFAR-100 directory " + hundred, "lacks train.bin", "expected train.bin, test.bin");

        Path empty = dir.resolve("empty");
        write(empty.resolve("readme.txt"), new byte[0]);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(empty, 0)),
                "CIFAR directory " + empty + " holds neither", "data_batch_1.bin .. data_batch_5.bin, test_batch.bin",
                "train.bin, test.bin", "cifar-10-batches-bin", "cifar-100-binary");

        Path absent = dir.resolve("absent");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(absent, 0)),
                "CIFAR directory not found: " + absent);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(dir.resolve("empty/readme.txt"), 0)),
                "readme.txt is a file, expected a directory");
    }

    @Test
    void filesOfBothLayoutsInOneDirectoryAreRefused() {
        cifar10Directory(dir);
        write(dir.resolve("train.bin"), cifar100(0, 1, 1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(dir, 0)),
                "CIFAR directory " + dir, "files of both layouts (CIFAR-10 and CIFAR-100)");
    }

    @Test
    void aTornRecordNamesTheFileAndItsOffset() {
        cifar10Directory(dir);
        Path batch2 = dir.resolve("data_batch_2.bin");
        byte[] whole = cifar10(0, 1, 2, 3);
        write(batch2, Arrays.copyOf(whole, 2 * 3073 + 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.load(dir, 0));
        assertMessage(e, batch2 + " at byte 6146: truncated record 2", "the file has 6246 bytes, not a multiple of 3073",
                "1 label byte + 3072 pixel bytes", "has only 100 bytes");
        assertEquals(6146, e.byteOffset());
        assertEquals(batch2.toString(), e.file());
        // lengths are checked before reading, so a limit that never reaches the torn file still fails
        assertThrows(DataFormatException.class, () -> CifarReader.load(dir, 1));

        Path hundred = cifar100Directory(dir.resolve("h"));
        Path train = hundred.resolve("train.bin");
        write(train, Arrays.copyOf(cifar100(0, 1, 1), 3073));
        DataFormatException h = assertThrows(DataFormatException.class, () -> CifarReader.load(hundred, 0));
        assertMessage(h, train + " at byte 0: truncated record 0", "3073 bytes, not a multiple of 3074",
                "2 label bytes + 3072 pixel bytes", "only 3073 bytes");
    }

    @Test
    void anEmptyFileIsRefused() {
        cifar10Directory(dir);
        Path test = write(dir.resolve("test_batch.bin"), new byte[0]);
        assertMessage(assertThrows(DataFormatException.class, () -> CifarReader.load(dir, 0)),
                test + " at byte 0: the file is empty", "a CIFAR-10 record of 3073 bytes");
    }

    @Test
    void labelsOutOfRangeNameFileRecordAndOffset() {
        cifar10Directory(dir);
        Path batch4 = write(dir.resolve("data_batch_4.bin"), cifar10(6, 6, 10));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.load(dir, 0));
        assertMessage(e, batch4 + " at byte 3073: label 10 of record 1 is out of range, expected 0 to 9");
        assertEquals(3073, e.byteOffset());

        Path hundred = cifar100Directory(dir.resolve("h"));
        Path test = write(hundred.resolve("test.bin"), cifar100(50, 5, 55, 6, 100));
        DataFormatException fine = assertThrows(DataFormatException.class, () -> CifarReader.load(hundred, 0));
        assertMessage(fine, test + " at byte 3075: fine label 100 of record 1 is out of range, expected 0 to 99");
        assertEquals(3075, fine.byteOffset());
        // a bad coarse label fails even when fine labels are used: the record is not what it claims
        write(test, cifar100(50, 5, 55, 255, 66));
        DataFormatException coarse = assertThrows(DataFormatException.class, () -> CifarReader.load(hundred, 0));
        assertMessage(coarse, test + " at byte 3074: coarse label 255 of record 1 is out of range, expected 0 to 19");
        assertEquals(3074, coarse.byteOffset());
    }

    @Test
    void coarseLabelsNeedCifar100AndLimitMustNotBeNegative() {
        cifar10Directory(dir);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> CifarReader.load(dir, CifarReader.Labels.COARSE, 0)), "CIFAR-10 directory " + dir,
                "coarse labels exist only in CIFAR-100");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(dir, -1)),
                "limit must be >= 0");
    }

    /** A sparse file of {@code records} all-zero CIFAR-100 records: large on paper, nothing on disk. */
    private static void sparse(Path file, long records) throws IOException {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(records * 3074);
        }
    }

    @Test
    void moreRecordsThanAnArrayHoldsNeedALimit() throws IOException {
        cifar100Directory(dir);
        long records = IdxReader.MAX_ELEMENTS / 3072 + 1;
        sparse(dir.resolve("train.bin"), records);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(dir, 0)),
                "CIFAR-100 training files (" + dir.resolve("train.bin") + ") hold " + records + " records", "pass a limit");
        // with a limit only the first records are read, and zero bytes are valid labels and pixels
        CifarReader.Result r = CifarReader.load(dir, 2);
        assertArrayEquals(new int[] {0, 0}, r.split().train().labels());
        assertEquals(0f, r.split().train().features().get(1, 3071));
    }

    @Test
    void tooLittleMemoryIsRefusedBeforeAllocating() throws IOException {
        // more than the whole heap, so more than is available whatever the collector frees meanwhile
        long records = Runtime.getRuntime().maxMemory() / (3072L * 4) + 1;
        assumeTrue(records * 3072 <= IdxReader.MAX_ELEMENTS, "the heap is larger than one array; nothing to check");
        cifar100Directory(dir);
        sparse(dir.resolve("train.bin"), records);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CifarReader.load(dir, 0)),
                "CIFAR-100 training and test images", "of memory but the JVM has");
    }
}
