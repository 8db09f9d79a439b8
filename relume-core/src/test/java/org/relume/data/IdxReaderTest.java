package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.relume.data.CsvReaderTest.assertMessage;
import static org.relume.data.IdxFiles.gzip;
import static org.relume.data.IdxFiles.idx;
import static org.relume.data.IdxFiles.write;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.tensor.Tensor;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRawAndGzippedUnsignedBytes() {
        byte[] data = {0, 1, (byte) 200, (byte) 255, 7, 8};
        byte[] file = idx(IdxReader.TYPE_UBYTE, new int[] {2, 3}, data);
        float[] expected = {0, 1, 200, 255, 7, 8};
        Tensor raw = IdxReader.readTensor(write(dir.resolve("a-idx2-ubyte"), file));
        assertArrayEquals(new int[] {2, 3}, raw.shape());
        assertArrayEquals(expected, raw.toArray());
        // gzip is recognised by its magic bytes, whatever the name says
        Tensor unnamed = IdxReader.readTensor(write(dir.resolve("b-idx2-ubyte"), gzip(file)));
        assertArrayEquals(expected, unnamed.toArray());
        assertTrue(IdxReader.readHeader(dir.resolve("b-idx2-ubyte")).gzipped());
        assertFalse(IdxReader.readHeader(dir.resolve("a-idx2-ubyte")).gzipped());
        Tensor named = IdxReader.readTensor(write(dir.resolve("c-idx2-ubyte.gz"), gzip(file)));
        assertArrayEquals(expected, named.toArray());
    }

    @Test
    void readsEveryElementType() {
        ByteBuffer b = ByteBuffer.allocate(3);
        b.put((byte) -3).put((byte) 0).put((byte) 127);
        check(IdxReader.TYPE_BYTE, b.array(), -3, 0, 127);
        ByteBuffer s = ByteBuffer.allocate(6);
        s.putShort((short) -300).putShort((short) 2).putShort((short) 32767);
        check(IdxReader.TYPE_SHORT, s.array(), -300, 2, 32767);
        ByteBuffer i = ByteBuffer.allocate(12);
        i.putInt(-70000).putInt(1 << 20).putInt(5);
        check(IdxReader.TYPE_INT, i.array(), -70000, 1 << 20, 5);
        ByteBuffer f = ByteBuffer.allocate(12);
        f.putFloat(-1.5f).putFloat(0.1f).putFloat(3e8f);
        check(IdxReader.TYPE_FLOAT, f.array(), -1.5f, 0.1f, 3e8f);
        ByteBuffer d = ByteBuffer.allocate(24);
        d.putDouble(-2.25).putDouble(0.1).putDouble(1e10);
        check(IdxReader.TYPE_DOUBLE, d.array(), -2.25f, 0.1f, 1e10f);
    }

    private void check(int type, byte[] data, float... expected) {
        byte[] file = idx(type, new int[] {expected.length}, data);
        String name = "t" + type;
        assertArrayEquals(expected, IdxReader.readTensor(write(dir.resolve(name), file)).toArray(), name);
        assertArrayEquals(expected, IdxReader.readTensor(write(dir.resolve(name + ".gz"), gzip(file))).toArray(), name);
    }

    @Test
    void readsMoreThanOneChunk() {
        int n = 70_001; // spans several 64 KiB chunks, and the gzip buffer has to grow
        byte[] data = new byte[4 * n];
        ByteBuffer bb = ByteBuffer.wrap(data);
        for (int i = 0; i < n; i++) {
            bb.putFloat(i * 0.5f);
        }
        byte[] file = idx(IdxReader.TYPE_FLOAT, new int[] {n}, data);
        for (Path p : new Path[] {write(dir.resolve("big"), file), write(dir.resolve("big.gz"), gzip(file))}) {
            float[] values = IdxReader.readTensor(p).toArray();
            assertEquals(n, values.length);
            for (int i = 0; i < n; i += 997) {
                assertEquals(i * 0.5f, values[i], 0);
            }
            assertEquals((n - 1) * 0.5f, values[n - 1], 0);
        }
    }

    @Test
    void truncatedRawFileIsCaughtBeforeReading() {
        byte[] full = idx(IdxReader.TYPE_UBYTE, new int[] {4, 5}, new byte[20]);
        Path file = write(dir.resolve("cut-idx2-ubyte"), Arrays.copyOf(full, full.length - 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(file));
        assertMessage(e, "cut-idx2-ubyte at byte 29", "truncated", "expected 32 bytes", "the file has 29");
        assertEquals(29, e.byteOffset());

        Path longer = write(dir.resolve("long-idx2-ubyte"), Arrays.copyOf(full, full.length + 2));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(longer));
        assertMessage(e, "long-idx2-ubyte at byte 32", "expected 32 bytes", "the file has 34", "trailing");

        Path headerOnly = write(dir.resolve("stub"), new byte[] {0, 0, 8});
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(headerOnly));
        assertMessage(e, "stub at byte 3", "expected a 4-byte idx header", "has 3 bytes");

        Path dims = write(dir.resolve("dims"), Arrays.copyOf(full, 9));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(dims));
        assertMessage(e, "dims at byte 9", "expected 2 dimensions (8 bytes)", "found 5 bytes");
    }

    @Test
    void truncatedGzipFileReportsExpectedAndActualBytes() {
        byte[] full = idx(IdxReader.TYPE_UBYTE, new int[] {100, 10}, new byte[1000]);
        // a complete gzip stream whose content is too short
        Path shortContent = write(dir.resolve("short.gz"), gzip(Arrays.copyOf(full, 512)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(shortContent));
        assertMessage(e, "short.gz at byte 512", "truncated", "expected 1012 decompressed bytes", "ends after 512");
        // a gzip stream cut off in the middle
        byte[] random = new byte[1000];
        new SplittableRandom(1).nextBytes(random);
        byte[] compressed = gzip(idx(IdxReader.TYPE_UBYTE, new int[] {100, 10}, random));
        Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(cut));
        assertMessage(e, "cut.gz at byte", "truncated", "expected 1012 decompressed bytes", "gzip stream ends after");
        assertTrue(e.byteOffset() > 0 && e.byteOffset() < 1012, "offset " + e.byteOffset());

        Path longer = write(dir.resolve("longer.gz"), gzip(Arrays.copyOf(full, 1013)));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(longer));
        assertMessage(e, "longer.gz at byte 1012", "trailing");
    }

    @Test
    void badMagicAndTypeAreNamed() {
        Path zip = write(dir.resolve("notidx"), new byte[] {0x50, 0x4b, 3, 4, 0, 0, 0, 0});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(zip));
        assertMessage(e, "notidx at byte 0", "expected the idx magic 00 00 at bytes 0-1, found 50 4b");
        Path type = write(dir.resolve("type"), idx(0x07, new int[] {1}, new byte[1]));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(type));
        assertMessage(e, "type at byte 2", "expected an idx type code", "found 07");
    }

    @Test
    void absurdDimensionsAreRejectedBeforeAllocating() {
        Path huge = write(dir.resolve("huge"), idx(IdxReader.TYPE_UBYTE, new int[] {65536, 65536}, new byte[4]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(huge));
        assertMessage(e, "huge at byte 4", "more than 2147483639 elements");
        Path overflow = write(dir.resolve("overflow.gz"),
                gzip(idx(IdxReader.TYPE_DOUBLE, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 2}, new byte[0])));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(overflow));
        assertMessage(e, "overflow.gz at byte 4", "more than");
        Path negative = write(dir.resolve("neg"), idx(IdxReader.TYPE_UBYTE, new int[] {2, -1}, new byte[0]));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(negative));
        assertMessage(e, "neg at byte 8", "dimension 1 is -1");
        // a gzipped header may claim a large (legal) size: reading fails on the missing data, not on memory
        Path claims = write(dir.resolve("claims.gz"),
                gzip(idx(IdxReader.TYPE_FLOAT, new int[] {500_000_000}, new byte[16])));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readTensor(claims));
        assertMessage(e, "claims.gz at byte 24", "expected 2000000008 decompressed bytes");
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("absent-idx1-ubyte");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readTensor(missing));
        assertMessage(e, missing.toString());
    }

    @Test
    void loadsAnMnistDirectory() {
        IdxFiles.mnistDirectory(dir);
        Dataset.Split s = IdxReader.loadMnistDirectory(dir, 0);
        Dataset train = s.train();
        assertEquals(5, train.size());
        assertEquals(784, train.inputs());
        assertEquals(10, train.classes());
        assertEquals(Task.MULTICLASS, train.task());
        assertArrayEquals(new int[] {3, 0, 9, 1, 4}, train.labels());
        for (int i = 0; i < 5; i++) {
            for (int p : new int[] {0, 1, 300, 783}) {
                assertEquals(IdxFiles.pixel(i, p) / 255f, train.features().get(i, p), 1e-7, "image " + i + " pixel " + p);
            }
        }
        float max = 0;
        for (float v : train.features().toArray()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 0, "pixel 255 becomes 1");
        assertEquals(3, s.validation().size());
        assertArrayEquals(new int[] {7, 2, 2}, s.validation().labels());
        assertEquals(IdxFiles.pixel(2, 5) / 255f, s.validation().features().get(2, 5), 1e-7);

        Dataset.Split limited = IdxReader.loadMnistDirectory(dir, 2);
        assertEquals(2, limited.train().size());
        assertEquals(2, limited.validation().size());
        assertArrayEquals(new int[] {3, 0}, limited.train().labels());
        assertTrue(limited.train().features().identical(train.range(0, 2, "x").features()));
    }

    @Test
    void missingMnistFilesAreListed() {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.images(1, 2, 2));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.loadMnistDirectory(dir, 0));
        assertMessage(e, dir.toString(), "lacks 2 of the 4", "t10k-images-idx3-ubyte / t10k-images.idx3-ubyte / "
                + "t10k-images-idx3-ubyte.gz / t10k-images.idx3-ubyte.gz", "t10k-labels-idx1-ubyte");
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.loadMnistDirectory(dir.resolve("none"), 0));
        assertMessage(e, "not found", "none");
    }

    @Test
    void countMismatchIsRejected() {
        IdxFiles.mnistDirectory(dir);
        write(dir.resolve("t10k-labels.idx1-ubyte"), IdxFiles.labels(1, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.loadMnistDirectory(dir, 0));
        assertMessage(e, "t10k-labels.idx1-ubyte at byte 4", "declares 2 labels, expected 3", "t10k-images.idx3-ubyte.gz");
    }

    @Test
    void testImagesOfAnotherSizeAreRefusedNamingBothFilesAndShapes() {
        // Issue 18: 5 x 5 test images against 4 x 4 training images loaded, and training then failed
        // with "network expects 16 input features, got 25", naming no file.
        IdxFiles.mnistDirectory(dir);
        write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.images(5, 4, 4));
        write(dir.resolve("t10k-images.idx3-ubyte.gz"), gzip(IdxFiles.images(3, 5, 5)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.loadMnistDirectory(dir, 0));
        assertMessage(e, dir.resolve("t10k-images.idx3-ubyte.gz") + " at byte 8", "images are 5 x 5 (25 pixels)",
                "training images in " + dir.resolve("train-images-idx3-ubyte") + " are 4 x 4 (16 pixels)");
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void labelOutOfRangeIsRejected() {
        IdxFiles.mnistDirectory(dir);
        write(dir.resolve("t10k-labels.idx1-ubyte"), IdxFiles.labels(1, 12, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.loadMnistDirectory(dir, 0));
        assertMessage(e, "t10k-labels.idx1-ubyte at byte 9", "label 12 of sample 1", "expected 0 to 9");
    }

    @Test
    void wrongMagicForMnistIsRejected() throws Exception {
        IdxFiles.mnistDirectory(dir);
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.images(5, 1, 1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.loadMnistDirectory(dir, 0));
        assertMessage(e, "train-labels-idx1-ubyte at byte 0", "expected the magic bytes 00 00 08 01", "found 00 00 08 03");
    }

    @Test
    void truncatedMnistFileIsRejected() {
        IdxFiles.mnistDirectory(dir);
        byte[] images = IdxFiles.images(5, 28, 28);
        write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.loadMnistDirectory(dir, 0));
        assertMessage(e, "train-images-idx3-ubyte", "truncated", "expected " + images.length + " bytes",
                "the file has " + (images.length - 100));
    }
}
