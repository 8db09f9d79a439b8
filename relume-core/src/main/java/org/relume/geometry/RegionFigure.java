package org.relume.geometry;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.relume.io.AtomicFiles;
import org.relume.plot.NiceTicks;

/**
 * A picture of the exact 2-D linear regions from {@link LinearRegions2D} (the activation regions
 * on which a ReLU network is affine, as in Berner, Elbrächter, Grohs, eq. 21): every region
 * filled with its own colour and outlined, on the analyzed box, as PNG and SVG. The regions are
 * drawn as the polygons themselves rather than rasterized from samples, so thin regions appear as
 * thin as they are. One scale serves both axes, ticks sit at round values, the axes carry the
 * inputs' names and the data can be drawn over the regions. Headless; nothing needs a display.
 */
public final class RegionFigure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private RegionFigure() {}

    /** The longer side of the plotted box, in pixels; the shorter one keeps the box's aspect ratio. */
    private static final int SIZE = 640;
    private static final int LEFT = 78;
    private static final int RIGHT = 28;
    private static final int TOP = 52;
    private static final int BOTTOM = 58;
    /** Wide enough for the two heading lines however flat the box is. */
    private static final int MIN_WIDTH = 460;

    /**
     * What is drawn besides the regions: the inputs' names for the axes and the data points
     * (xs[i], ys[i]) in the same coordinates as the box; the point arrays may be empty.
     */
    public record Extras(String xName, String yName, double[] xs, double[] ys) {
        public Extras {
            if (xs.length != ys.length) {
                throw new IllegalArgumentException(xs.length + " x coordinates but " + ys.length + " y coordinates");
            }
        }

        /** Generic names, no data. */
        public static Extras none() {
            return new Extras("x0", "x1", new double[0], new double[0]);
        }
    }

    /** Writes the picture to {@code png} and {@code svg} (either may be null), without data or input names. */
    public static void write(LinearRegions2D.Result result, String title, Path png, Path svg) throws IOException {
        write(result, title, Extras.none(), png, svg);
    }

    /** Writes the picture, with the axes named and the data drawn, to {@code png} and {@code svg} (either may be null). */
    public static void write(LinearRegions2D.Result result, String title, Extras extras, Path png, Path svg)
            throws IOException {
        Frame f = Frame.of(result.box());
        if (png != null) {
            BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            paint(g, result, title, extras, f);
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            AtomicFiles.writeBytes(png, bytes.toByteArray());
        }
        if (svg != null) {
            VectorGraphics2D g = new VectorGraphics2D();
            paint(g, result, title, extras, f);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, f.width(), f.height())).writeTo(bytes);
            AtomicFiles.writeBytes(svg, bytes.toByteArray());
        }
    }

    /**
     * The plot's placement: one scale for both axes, so a 1.0 x 0.5 box is drawn twice as wide as
     * it is high (a square picture of it would distort every region's angles).
     */
    private record Frame(double[] box, double scale, int plotWidth, int plotHeight, int left) {
        static Frame of(double[] box) {
            double scale = Math.min(SIZE / (box[1] - box[0]), SIZE / (box[3] - box[2]));
            int w = (int) Math.round((box[1] - box[0]) * scale);
            int h = (int) Math.round((box[3] - box[2]) * scale);
            int left = LEFT + Math.max(0, (MIN_WIDTH - LEFT - RIGHT - w) / 2);
            return new Frame(box, scale, w, h, left);
        }

        int width() {
            return Math.max(MIN_WIDTH, plotWidth + LEFT + RIGHT);
        }

        int height() {
            return TOP + plotHeight + BOTTOM;
        }

        double px(double x) {
            return left + (x - box[0]) * scale;
        }

        double py(double y) {
            return TOP + plotHeight - (y - box[2]) * scale;
        }
    }

    /** A well-spread colour for region i: hues stepped by the golden ratio. */
    static Color colour(int i) {
        float hue = (float) ((i * 0.6180339887498949) % 1.0);
        float saturation = 0.35f + 0.25f * ((i / 3) % 3) / 2f;
        float brightness = 0.97f - 0.12f * (i % 3) / 2f;
        return Color.getHSBColor(hue, saturation, brightness);
    }

    private static void paint(Graphics2D g, LinearRegions2D.Result r, String title, Extras extras, Frame f) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, f.width(), f.height());
        g.setStroke(new BasicStroke(0.6f));
        for (int i = 0; i < r.regions().size(); i++) {
            LinearRegions2D.Region reg = r.regions().get(i);
            Path2D.Double path = new Path2D.Double();
            for (int t = 0; t < reg.xs().length; t++) {
                if (t == 0) {
                    path.moveTo(f.px(reg.xs()[t]), f.py(reg.ys()[t]));
                } else {
                    path.lineTo(f.px(reg.xs()[t]), f.py(reg.ys()[t]));
                }
            }
            path.closePath();
            g.setColor(colour(i));
            g.fill(path);
            g.setColor(new Color(60, 60, 60));
            g.draw(path);
        }
        paintData(g, extras, f);
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(Color.BLACK);
        g.drawRect(f.left(), TOP, f.plotWidth(), f.plotHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, f.left(), TOP - 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(String.format(Locale.ROOT, "%d activation regions, %d function pieces%s", r.activationRegions(),
                r.functionPieces(), extras.xs().length > 0 ? "; dots: the " + extras.xs().length + " data points" : ""),
                f.left(), TOP - 10);
        paintAxes(g, extras, f);
    }

    /** Dark dots with a white rim, visible on every region colour. */
    private static void paintData(Graphics2D g, Extras extras, Frame f) {
        double radius = extras.xs().length > 2000 ? 1.5 : 2.5;
        for (int i = 0; i < extras.xs().length; i++) {
            Ellipse2D.Double dot = new Ellipse2D.Double(f.px(extras.xs()[i]) - radius, f.py(extras.ys()[i]) - radius,
                    2 * radius, 2 * radius);
            g.setColor(new Color(25, 25, 25));
            g.fill(dot);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(0.7f));
            g.draw(dot);
        }
    }

    /** Ticks at round values along both axes, and the inputs' names. */
    private static void paintAxes(Graphics2D g, Extras extras, Frame f) {
        double[] box = f.box();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics m = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        int bottom = TOP + f.plotHeight();
        NiceTicks xTicks = NiceTicks.within(box[0], box[1]);
        for (double t : xTicks.values()) {
            int x = (int) Math.round(f.px(t));
            g.drawLine(x, bottom, x, bottom + 5);
            String label = xTicks.label(t);
            g.drawString(label, x - m.stringWidth(label) / 2, bottom + 19);
        }
        NiceTicks yTicks = NiceTicks.within(box[2], box[3]);
        for (double t : yTicks.values()) {
            int y = (int) Math.round(f.py(t));
            g.drawLine(f.left() - 5, y, f.left(), y);
            String label = yTicks.label(t);
            g.drawString(label, f.left() - 8 - m.stringWidth(label), y + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        m = g.getFontMetrics();
        g.drawString(extras.xName(), f.left() + (f.plotWidth() - m.stringWidth(extras.xName())) / 2, bottom + 42);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(extras.yName(), -(TOP + (f.plotHeight() + m.stringWidth(extras.yName())) / 2), f.left() - 52);
        g.setTransform(saved);
    }
}
