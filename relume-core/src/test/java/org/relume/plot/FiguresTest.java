package org.relume.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.train.TrainingHistory;

class FiguresTest {
    @TempDir
    Path tmp;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void heatmapsSideBySideAsPngAndSvg() throws IOException {
        double[][] v = {{1.0, 0.4}, {0.93, Double.NaN}};
        Figures.Heatmap a = new Figures.Heatmap("baseline", "width", "depth", List.of("1", "2"), List.of("5", "10"), v);
        Figures.Heatmap b = new Figures.Heatmap("jumpstart", "width", "depth", List.of("1", "2"), List.of("5", "10"), v);
        Path png = tmp.resolve("h.png");
        Path svg = tmp.resolve("h.svg");
        Figures.heatmaps(List.of(a, b), 0.4, 1.0, png, svg);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 4));
        java.awt.image.BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 2 * img.getHeight() * 0.8, "two panels side by side: " + img.getWidth() + "x" + img.getHeight());
        assertSvgPage(svg, img.getWidth(), img.getHeight());
    }

    /** A well-formed SVG page of the given size with drawn content (XChart draws text as paths or small images). */
    private static void assertSvgPage(Path svg, int width, int height) throws IOException {
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.strip().endsWith("</svg>"), "an SVG document");
        assertTrue(text.contains("width=\"" + width) && text.contains("height=\"" + height),
                "page " + width + "x" + height + ": " + text.substring(0, Math.min(400, text.length())));
        int drawn = text.split("<path", -1).length + text.split("<rect", -1).length + text.split("<image", -1).length - 3;
        assertTrue(drawn > 20, "drawn content: " + drawn + " elements");
    }

    @Test
    void trainingCurves() throws IOException {
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= 5; e++) {
            h.add(Map.of("epoch", (double) e * 100, "loss", 1.0 / e, "task_loss", 0.9 / e, "validation_loss", 1.1 / e,
                    "train_accuracy", 0.5 + e / 10.0, "validation_accuracy", 0.5 + e / 12.0));
        }
        Path png = tmp.resolve("c.png");
        Path svg = tmp.resolve("c.svg");
        Figures.trainingCurves(h, "run", png, svg);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 4));
        assertSvgPage(svg, 1200, 420);
    }
}
