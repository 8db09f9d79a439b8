package org.relume.geometry;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.relume.io.AtomicFiles;

/**
 * A picture of the exact 2-D linear regions from {@link LinearRegions2D} (the activation regions
 * on which a ReLU network is affine, as in Berner, Elbrächter, Grohs, eq. 21): every region
 * filled with its own colour and outlined, on the analyzed box, as PNG and SVG. The regions are
 * drawn as the polygons themselves rather than rasterized from samples, so thin regions appear as
 * thin as they are. Headless; nothing needs a display.
 */
public final class RegionFigure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private RegionFigure() {}

    private static final int SIZE = 640;
    private static final int MARGIN = 56;
    private static final int TOP = 48;

    /** Writes the picture to {@code png} and {@code svg} (either may be null). */
    public static void write(LinearRegions2D.Result result, String title, Path png, Path svg) throws IOException {
        int width = SIZE + 2 * MARGIN;
        int height = SIZE + TOP + MARGIN;
        if (png != null) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            paint(g, result, title, width, height);
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            AtomicFiles.writeBytes(png, bytes.toByteArray());
        }
        if (svg != null) {
            VectorGraphics2D g = new VectorGraphics2D();
            paint(g, result, title, width, height);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(bytes);
            AtomicFiles.writeBytes(svg, bytes.toByteArray());
        }
    }

    /** A well-spread colour for region i: hues stepped by the golden ratio. */
    static Color colour(int i) {
        float hue = (float) ((i * 0.6180339887498949) % 1.0);
        float saturation = 0.35f + 0.25f * ((i / 3) % 3) / 2f;
        float brightness = 0.97f - 0.12f * (i % 3) / 2f;
        return Color.getHSBColor(hue, saturation, brightness);
    }

    private static void paint(Graphics2D g, LinearRegions2D.Result r, String title, int width, int height) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double[] box = r.box();
        double sx = SIZE / (box[1] - box[0]);
        double sy = SIZE / (box[3] - box[2]);
        g.setStroke(new BasicStroke(0.6f));
        for (int i = 0; i < r.regions().size(); i++) {
            LinearRegions2D.Region reg = r.regions().get(i);
            Path2D.Double path = new Path2D.Double();
            for (int t = 0; t < reg.xs().length; t++) {
                double px = MARGIN + (reg.xs()[t] - box[0]) * sx;
                double py = TOP + SIZE - (reg.ys()[t] - box[2]) * sy;
                if (t == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            path.closePath();
            g.setColor(colour(i));
            g.fill(path);
            g.setColor(new Color(60, 60, 60));
            g.draw(path);
        }
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(Color.BLACK);
        g.drawRect(MARGIN, TOP, SIZE, SIZE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, MARGIN, TOP - 26);
        g.drawString(String.format(Locale.ROOT, "%d activation regions, %d function pieces", r.activationRegions(),
                r.functionPieces()), MARGIN, TOP - 8);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(fmt(box[0]), MARGIN - 4, TOP + SIZE + 16);
        g.drawString(fmt(box[1]), MARGIN + SIZE - 20, TOP + SIZE + 16);
        g.drawString("x0", MARGIN + SIZE / 2, TOP + SIZE + 30);
        g.drawString(fmt(box[2]), 8, TOP + SIZE);
        g.drawString(fmt(box[3]), 8, TOP + 10);
        g.drawString("x1", 16, TOP + SIZE / 2);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
