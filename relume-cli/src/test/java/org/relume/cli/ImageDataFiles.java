package org.relume.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tiny idx (MNIST layout) and CIFAR-10 binary directories for the command-line tests, written
 * byte by byte so that a model trained on them has classes it can tell apart; one copy for every
 * command's tests (train, evaluate, predict).
 */
final class ImageDataFiles {
    private ImageDataFiles() {}

    /** An idx file: magic, big-endian dimensions, then the bytes. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    /**
     * Train and t10k files of {@code n} 2 x 2 images each, image i of class i mod 3 with every pixel
     * 100 * (i mod 3); returns {@code dir}.
     */
    static Path idxDirectory(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 3);
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) (100 * (i % 3)));
        }
        for (String split : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(0x0803, new int[] {n, 2, 2}, pixels));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(0x0801, new int[] {n}, labels));
        }
        return dir;
    }

    /** {@code n} CIFAR-10 records, record i labelled i mod 10 with every pixel 20 * label. */
    static byte[] cifar10Records(int n) {
        byte[] out = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            out[i * 3073] = (byte) label;
            Arrays.fill(out, i * 3073 + 1, (i + 1) * 3073, (byte) (20 * label));
        }
        return out;
    }

    /**
     * {@code root}/cifar-10-batches-bin with five training batches and a test batch of 10 records
     * each; returns that directory ({@code cifar:root} finds it).
     */
    static Path cifar10Directory(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), cifar10Records(10));
        }
        Files.write(dir.resolve("test_batch.bin"), cifar10Records(10));
        return dir;
    }
}
