package org.relume.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Checks every rendered figure the same way: a PNG of the expected size that is not blank (a
 * share of painted pixels and several colours), and its SVG twin of the same page size. With
 * -Drelume.figures=DIR the PNGs are also copied there, to be looked at.
 */
public final class FigureChecks {
    private FigureChecks() {}

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    /** Asserts the PNG's size and that at least {@code minPainted} of its pixels are not white; returns the image. */
    public static BufferedImage assertFigure(Path png, Path svg, int width, int height, double minPainted) throws IOException {
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 4), png + " is a PNG");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(width + "x" + height, img.getWidth() + "x" + img.getHeight(), png + " size");
        int painted = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                painted += rgb == 0xffffff ? 0 : 1;
                colours.add(rgb);
            }
        }
        double share = painted / (double) (img.getWidth() * img.getHeight());
        assertTrue(share >= minPainted, png + ": only " + share + " of the pixels are painted");
        assertTrue(colours.size() >= 8, png + ": only " + colours.size() + " colours");
        if (svg != null) {
            String text = Files.readString(svg);
            assertTrue(text.contains("<svg") && text.strip().endsWith("</svg>"), svg + " is an SVG document");
            assertTrue(text.contains("width=\"" + width) && text.contains("height=\"" + height), svg + " page size");
        }
        String keep = System.getProperty("relume.figures");
        if (keep != null && !keep.isBlank()) {
            Files.createDirectories(Path.of(keep));
            Files.copy(png, Path.of(keep).resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return img;
    }
}
