package org.relume.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds idx files byte by byte for the tests, so that every file a test reads is one it made. */
final class IdxFiles {
    private IdxFiles() {}

    /** Header (magic and big-endian dims) followed by {@code data} as given. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer bb = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian by default
        bb.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            bb.putInt(d);
        }
        bb.put(data);
        return bb.array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} images rows x cols whose pixel (i, r, c) is (i * 37 + r * cols + c) mod 256. */
    static byte[] images(int n, int rows, int cols) {
        byte[] data = new byte[n * rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) pixel(i / (rows * cols), i % (rows * cols));
        }
        return idx(IdxReader.TYPE_UBYTE, new int[] {n, rows, cols}, data);
    }

    static int pixel(int image, int index) {
        return (image * 37 + index) % 256;
    }

    static byte[] labels(int... values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return idx(IdxReader.TYPE_UBYTE, new int[] {values.length}, data);
    }

    /** A complete MNIST-layout directory: 5 training and 3 test images of 28 x 28. */
    static void mnistDirectory(Path dir) {
        write(dir.resolve("train-images-idx3-ubyte"), images(5, 28, 28));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(3, 0, 9, 1, 4)));
        write(dir.resolve("t10k-images.idx3-ubyte.gz"), gzip(images(3, 28, 28)));
        write(dir.resolve("t10k-labels.idx1-ubyte"), labels(7, 2, 2));
    }
}
