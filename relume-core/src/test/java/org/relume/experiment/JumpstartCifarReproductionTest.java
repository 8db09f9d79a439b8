package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.jumpstart.Aggregation;
import org.relume.nn.Initializer;

/**
 * The CIFAR thin-CNN reproduction on generated CIFAR-10 binary files (no CIFAR ships with Relume):
 * cells with the global average+max pooling head land in results.csv, the report sets the best
 * accuracies beside the paper's, and no data directory is refused with one line.
 */
class JumpstartCifarReproductionTest {
    @TempDir
    Path tmp;

    @Test
    void runsOnCifarFormatFiles() throws IOException {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(4);
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(r, 12));
        }
        Files.write(dir.resolve("test_batch.bin"), records(r, 10));
        Path out = tmp.resolve("out");
        var settings = new DepthWidthExperiment.Settings("cifar:" + tmp, 2, 1e-3, Initializer.KAIMING_UNIFORM, 16,
                Aggregation.L2, 1e-3).asCnn(0);
        new JumpstartCifarReproduction().run(new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE,
                new PrintWriter(new StringWriter()), tmp), settings, List.of(2), List.of(1, 2));
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 4, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(1).contains(",ok,") && rows.get(1).contains("global average and max pooling"), rows.get(1));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| baseline |") && report.contains("0.766"), report);
    }

    @Test
    void refusesWithoutDataDirectory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JumpstartCifarReproduction()
                .run(new Reproduction.Context(true, tmp.resolve("o"), 1, Reproduction.Progress.NONE,
                        new PrintWriter(new StringWriter()))));
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    }

    /** n CIFAR-10 records: a label byte (0-9) and 3072 pixel bytes. */
    private static byte[] records(SplittableRandom r, int n) {
        byte[] b = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            b[i * 3073] = (byte) r.nextInt(10);
            for (int p = 1; p < 3073; p++) {
                b[i * 3073 + p] = (byte) r.nextInt(256);
            }
        }
        return b;
    }
}
