package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.jumpstart.Aggregation;
import org.relume.nn.Initializer;

/**
 * The MNIST thin-CNN reproduction on generated MNIST-layout files (the real ones are fetched by a
 * script, not shipped): every cell lands in results.csv with its dead units and points, the report
 * sets ours beside the paper's depths, and a missing data folder is refused with one line.
 */
class JumpstartMnistReproductionTest {
    @TempDir
    Path tmp;

    @Test
    void runsTheGridOnMnistLayoutFiles() throws IOException {
        Path mnist = tmp.resolve("mnist");
        Files.createDirectories(mnist);
        writeSplit(mnist, "train", 96, 1);
        writeSplit(mnist, "t10k", 48, 2);
        Path out = tmp.resolve("out");
        var settings = new DepthWidthExperiment.Settings("idx:" + mnist, 2, 1e-3, Initializer.GLOROT_UNIFORM, 32,
                Aggregation.L1, 1e-8).asCnn(0);
        new JumpstartMnistReproduction().run(new Reproduction.Context(true, out, 2, Reproduction.Progress.NONE,
                new PrintWriter(new StringWriter())), settings, List.of(2), List.of(1, 2));
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 2 * 2, rows.size(), String.join("\n", rows));
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(row.contains(",ok,"), "trained: " + row);
            assertTrue(row.contains("thin CNN"), "settings recorded: " + row);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| 2 | ") && report.contains("| 12 |") && report.contains("66 (all)"), report);
        assertTrue(Files.exists(out.resolve("heatmap.png")));
    }

    @Test
    void refusesWithoutData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JumpstartMnistReproduction().run(new Reproduction.Context(true, tmp.resolve("o"), 1,
                        Reproduction.Progress.NONE, new PrintWriter(new StringWriter())), tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("data/fetch-mnist.sh"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("o")));
    }

    /**
     * A finished quick grid (every cell's row in results.csv, made with the quick settings) is
     * reported and drawn again without MNIST: nothing trains, results.csv stays as it was.
     */
    @Test
    void aFinishedGridIsRedrawnWithoutData() throws IOException {
        Path nowhere = tmp.resolve("nowhere");
        var settings = new DepthWidthExperiment.Settings("idx:" + nowhere, 5, 1e-3, Initializer.GLOROT_UNIFORM, 128,
                Aggregation.L1, 1e-8).asCnn(JumpstartMnistReproduction.QUICK_IMAGES);
        Path out = Files.createDirectories(tmp.resolve("out"));
        List<DepthWidthExperiment.Cell> cells = Sweep.grid(List.of(DepthWidthExperiment.BASELINE,
                DepthWidthExperiment.JUMPSTART), JumpstartMnistReproduction.WIDTHS, JumpstartMnistReproduction.QUICK_DEPTHS,
                List.of(1L));
        try (ResultsCsv csv = ResultsCsv.open(out.resolve("results.csv"), DepthWidthExperiment.COLUMNS)) {
            for (DepthWidthExperiment.Cell c : cells) {
                var row = new DepthWidthExperiment.Outcome(c, 0.9, 0.1 + 0.01 * c.width() * (c.depth() < 20 ? 8 : 1), 0.5, 0, 0,
                        0, 1.0, null).row();
                row.put("settings", settings.describe());
                csv.append(row);
            }
        }
        String before = Files.readString(out.resolve("results.csv"));
        StringWriter log = new StringWriter();
        new JumpstartMnistReproduction().run(new Reproduction.Context(true, out, 1, Reproduction.Progress.NONE,
                new PrintWriter(log)), nowhere);
        assertEquals(before, Files.readString(out.resolve("results.csv")));
        assertTrue(log.toString().contains("(this run: 0 cells, resumed: 24)"), log.toString());
        assertTrue(!log.toString().contains("estimated work"), "no estimate, which would load the data: " + log);
        assertTrue(Files.size(out.resolve("heatmap.png")) > 1000);
        assertTrue(Files.readString(out.resolve("report.md")).contains("| 8 | 14 | 24 |"), "width 8 trained to depth 14");
    }

    /** n random 28x28 images whose label is the brightest of ten bands, so there is something to learn. */
    static void writeSplit(Path dir, String split, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).order(ByteOrder.BIG_ENDIAN);
        images.putInt(0x0803).putInt(n).putInt(28).putInt(28);
        labels.putInt(0x0801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(10);
            for (int p = 0; p < 784; p++) {
                int band = (p / 28) * 10 / 28;
                images.put((byte) (band == label ? 200 + r.nextInt(50) : r.nextInt(60)));
            }
            labels.put((byte) label);
        }
        Files.write(dir.resolve(split + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(split + "-labels-idx1-ubyte"), labels.array());
    }
}
