package org.relume.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds CIFAR binary files for the tests, record by record, with pixels a test can recompute. */
final class CifarFiles {
    private CifarFiles() {}

    /** Pixel byte j (0..3071, CHW) of the image with id {@code image}: (image * 31 + j * 7) mod 256. */
    static int pixel(int image, int j) {
        return (image * 31 + j * 7) & 0xFF;
    }

    /**
     * Records whose image ids run from {@code firstImage}; {@code labels[i]} holds the label bytes of
     * record i (one for CIFAR-10, coarse then fine for CIFAR-100).
     */
    static byte[] records(int firstImage, int[][] labels) {
        int labelBytes = labels.length == 0 ? 1 : labels[0].length;
        int record = labelBytes + CifarReader.PIXELS;
        byte[] out = new byte[labels.length * record];
        for (int i = 0; i < labels.length; i++) {
            int at = i * record;
            for (int b = 0; b < labelBytes; b++) {
                out[at + b] = (byte) labels[i][b];
            }
            for (int j = 0; j < CifarReader.PIXELS; j++) {
                out[at + labelBytes + j] = (byte) pixel(firstImage + i, j);
            }
        }
        return out;
    }

    /** Single-label records (CIFAR-10) with the given labels. */
    static byte[] cifar10(int firstImage, int... labels) {
        int[][] l = new int[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            l[i] = new int[] {labels[i]};
        }
        return records(firstImage, l);
    }

    /** Coarse + fine records (CIFAR-100); pairs holds coarse0, fine0, coarse1, fine1, ... */
    static byte[] cifar100(int firstImage, int... pairs) {
        int[][] l = new int[pairs.length / 2][];
        for (int i = 0; i < l.length; i++) {
            l[i] = new int[] {pairs[2 * i], pairs[2 * i + 1]};
        }
        return records(firstImage, l);
    }

    /**
     * A CIFAR-10 directory: batches 1-5 with 2, 3, 1, 2, 2 records (image ids 0-9, label id mod 10),
     * test_batch with 3 records (image ids 100-102, labels 9, 0, 5).
     */
    static Path cifar10Directory(Path dir) {
        int[] sizes = {2, 3, 1, 2, 2};
        int image = 0;
        for (int b = 0; b < sizes.length; b++) {
            int[] labels = new int[sizes[b]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (image + i) % 10;
            }
            write(dir.resolve("data_batch_" + (b + 1) + ".bin"), cifar10(image, labels));
            image += sizes[b];
        }
        write(dir.resolve("test_batch.bin"), cifar10(100, 9, 0, 5));
        return dir;
    }

    /**
     * A CIFAR-100 directory: train.bin with 4 records (image ids 0-3, coarse 0, 19, 7, 3 and fine 0,
     * 99, 42, 13), test.bin with 2 (image ids 50-51, coarse 5, 6 and fine 55, 66).
     */
    static Path cifar100Directory(Path dir) {
        write(dir.resolve("train.bin"), cifar100(0, 0, 0, 19, 99, 7, 42, 3, 13));
        write(dir.resolve("test.bin"), cifar100(50, 5, 55, 6, 66));
        return dir;
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
