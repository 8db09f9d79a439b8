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

/**
 * The ResNet / HB-Net and DenseNet / AGD-Net comparisons on generated CIFAR-10 binary files (the quick profile's CIFAR
 * path): every model lands in results.csv, the report sets the paper's Table 4 beside ours with the
 * seed spread, a rerun resumes instead of retraining, and missing data is refused with one line.
 */
class HbNetAgdNetReproductionTest {
    @TempDir
    Path tmp;

    @Test
    void runsOnCifarFormatFilesAndResumes() throws IOException {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(8);
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(r, 8));
        }
        Files.write(dir.resolve("test_batch.bin"), records(r, 10));
        Path out = tmp.resolve("out");
        StringWriter log = new StringWriter();
        Reproduction.Context ctx = new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE, new PrintWriter(log), tmp);
        new HbNetAgdNetReproduction().run(ctx);
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 12, rows.size(), "both pairs at n = 2, three seeds: " + String.join("\n", rows));
        assertTrue(rows.get(0).startsWith("pair,model,n,width,seed,test_error"), rows.get(0));
        assertEquals(6, rows.stream().filter(l -> l.startsWith("resnet-hbnet,")).count(), String.join("\n", rows));
        assertEquals(3, rows.stream().filter(l -> l.startsWith("densenet-agdnet,agdnet,")).count(), String.join("\n", rows));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| ResNet / HB-Net, n = 9 | 10.05 | 10.17 |") && report.contains("beyond the seed spread"),
                report);
        assertTrue(report.contains("| DenseNet / AGD-Net, k = 12, L = 52 | 6.05 | 5.75 |"), report);
        assertTrue(report.contains("| resnet-hbnet | 2 | 14 |"), "n = 2 is 14 layers: " + report);
        assertTrue(report.contains("| densenet-agdnet | 2 | 10 |"), "two layers per block is L = 10: " + report);

        StringWriter again = new StringWriter();
        new HbNetAgdNetReproduction().run(new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE,
                new PrintWriter(again), tmp));
        assertTrue(again.toString().contains("resuming: 12 of 12"), again.toString());
        assertEquals(rows, Files.readAllLines(out.resolve("results.csv")), "nothing retrained");
    }

    @Test
    void refusesWithoutData() {
        Path empty = tmp.resolve("empty");
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class, () -> new HbNetAgdNetReproduction()
                .run(new Reproduction.Context(false, tmp.resolve("o"), 1, Reproduction.Progress.NONE,
                        new PrintWriter(new StringWriter()), empty)));
        assertTrue(full.getMessage().contains("CIFAR-10") && full.getMessage().contains("--data-dir"), full.getMessage());
        IllegalArgumentException quick = assertThrows(IllegalArgumentException.class, () -> new HbNetAgdNetReproduction()
                .run(new Reproduction.Context(true, tmp.resolve("o"), 1, Reproduction.Progress.NONE,
                        new PrintWriter(new StringWriter()), empty)));
        assertTrue(quick.getMessage().contains("fetch-fashion-mnist.sh"), quick.getMessage());
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
