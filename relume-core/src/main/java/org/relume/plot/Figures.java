package org.relume.plot;

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
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.relume.io.AtomicFiles;
import org.relume.train.TrainingHistory;

/**
 * Relume's figures, drawn with XChart and written as PNG and SVG side by side with atomic writes:
 * depth x width heatmaps (the jumpstart paper's Figure 2) and a single run's training curves.
 * Rendering is headless; nothing needs a display.
 */
public final class Figures {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Figures() {}

    private static final int PANEL_WIDTH = 520;
    private static final int PANEL_HEIGHT = 620;

    /** One heatmap: a title, x labels (columns), y labels (rows), values[row][col] (NaN = missing). */
    public record Heatmap(String title, String xTitle, String yTitle, List<String> xLabels, List<String> yLabels,
                          double[][] values) {}

    /**
     * Heatmaps side by side with one colour scale [min, max], each cell showing its value, written
     * to {@code png} and {@code svg} (either may be null).
     */
    public static void heatmaps(List<Heatmap> panels, double min, double max, Path png, Path svg) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (Heatmap h : panels) {
            charts.add(heatmapChart(h, min, max));
        }
        write(charts, PANEL_WIDTH, PANEL_HEIGHT, null, png, svg);
    }

    private static HeatMapChart heatmapChart(Heatmap h, double min, double max) {
        HeatMapChart chart = new HeatMapChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(h.title())
                .xAxisTitle(h.xTitle()).yAxisTitle(h.yTitle()).build();
        // Light colours at both ends, so that one text colour (black) stays readable on every cell.
        chart.getStyler().setMin(min).setMax(max).setShowValue(true).setHeatMapValueDecimalPattern("0.00")
                .setRangeColors(new Color[] {new Color(0x92, 0xc5, 0xde), new Color(0xf7, 0xf7, 0xf7), new Color(0xf4, 0xa5, 0x82)});
        chart.getStyler().setValueFont(chart.getStyler().getValueFont().deriveFont(Font.BOLD, 12f));
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotContentSize(0.95);
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < h.yLabels().size(); r++) {
            for (int c = 0; c < h.xLabels().size(); c++) {
                double v = h.values()[r][c];
                if (!Double.isNaN(v)) {
                    cells.add(new Number[] {c, r, v});
                }
            }
        }
        chart.addSeries(h.title(), h.xLabels(), h.yLabels(), cells);
        return chart;
    }

    /** One named line. */
    public record Series(String name, double[] x, double[] y) {}

    /** One panel of lines; {@code logY} draws the y axis logarithmically (values must be positive). */
    public record LinePanel(String title, String xTitle, String yTitle, List<Series> series, boolean logY) {}

    /**
     * Line panels side by side, as PNG and SVG (either may be null). The legend sits below the
     * plot, where it hides no line; a series equal to an earlier one is drawn dashed over it and
     * named after it, so that a line lying wholly under another is still seen and explained.
     */
    public static void lines(List<LinePanel> panels, Path png, Path svg) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (LinePanel p : panels) {
            TickedChart c = new TickedChart(new XYChartBuilder().width(520).height(460).title(p.title())
                    .xAxisTitle(p.xTitle()).yAxisTitle(p.yTitle()));
            legendBelow(c);
            // One entry per row: these series have long names (distances.png's norms).
            c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            c.getStyler().setMarkerSize(0);
            c.getStyler().setYAxisLogarithmic(p.logY());
            c.getStyler().setYAxisLogarithmicDecadeOnly(!AxisLabels.withinDecades(p.series(), 1.5));
            c.getStyler().setYAxisDecimalPattern(AxisLabels.pattern(p.series(), false, p.logY()));
            for (int i = 0; i < p.series().size(); i++) {
                Series s = p.series().get(i);
                Series same = AxisLabels.earlierEqual(p.series(), i);
                XYSeries drawn = c.addSeries(same == null ? s.name() : s.name() + " (= " + same.name() + ")", s.x(), s.y());
                drawn.setMarker(SeriesMarkers.NONE);
                if (same != null) {
                    drawn.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[] {8f, 6f}, 0f));
                }
            }
            c.niceTicks(null, null);
            charts.add(c);
        }
        write(charts, 520, 460, null, png, svg);
    }

    private static void legendBelow(XYChart c) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setLegendBorderColor(Color.WHITE);
    }

    /**
     * A 2-D scene: scattered point sets (e.g. one per class), line segments (e.g. hyperplanes), and
     * highlighted markers, over a fixed box {xmin, xmax, ymin, ymax}.
     */
    public record Scene(String title, double[] box, List<Series> points, List<Series> lines, List<Series> markers) {}

    /** Scenes side by side, as PNG and SVG (either may be null). */
    public static void scenes(List<Scene> scenes, Path png, Path svg) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (Scene sc : scenes) {
            // Wide enough for the legend's one row (classes, lines, markers) below the plot.
            TickedChart c = new TickedChart(new XYChartBuilder().width(SCENE_WIDTH).height(520).title(sc.title())
                    .xAxisTitle("x").yAxisTitle("y"));
            legendBelow(c);
            c.getStyler().setMarkerSize(6);
            for (Series p : sc.points()) {
                c.addSeries(p.name(), p.x(), p.y()).setXYSeriesRenderStyle(
                        XYSeries.XYSeriesRenderStyle.Scatter);
            }
            for (int i = 0; i < sc.lines().size(); i++) {
                Series l = sc.lines().get(i);
                boolean last = i == sc.lines().size() - 1;
                // One legend entry for all the other lines, each drawn in its own colour: a line per
                // unit in the legend made it wider than the figure.
                var series = c.addSeries(last || i > 0 ? l.name() : "hidden units", l.x(), l.y()).setMarker(SeriesMarkers.NONE);
                if (last) {
                    // The last line is the highlighted one (e.g. the unit just added).
                    series.setLineColor(Color.RED).setLineWidth(3f);
                } else {
                    series.setLineColor(UNIT_COLOURS[i % UNIT_COLOURS.length]).setLineWidth(2f);
                    series.setShowInLegend(i == 0);
                }
            }
            Color[] markerColors = {Color.BLACK, Color.MAGENTA, Color.GREEN.darker()};
            for (int i = 0; i < sc.markers().size(); i++) {
                Series m = sc.markers().get(i);
                c.addSeries(m.name(), m.x(), m.y()).setXYSeriesRenderStyle(
                        XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND)
                        .setMarkerColor(markerColors[i % markerColors.length]);
            }
            c.niceTicks(new double[] {sc.box()[0], sc.box()[1]}, new double[] {sc.box()[2], sc.box()[3]});
            charts.add(c);
        }
        write(charts, SCENE_WIDTH, 520, null, png, svg);
    }

    private static final int SCENE_WIDTH = 640;

    /** Distinct, dark enough to see on white, and none of them the highlight red. */
    private static final Color[] UNIT_COLOURS = {new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e),
        new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b), new Color(0x17, 0xbe, 0xcf)};

    /**
     * Training curves of one run from its history: losses (task, total, validation) on a log axis
     * when all are positive (a loss spans decades and looks flat on a linear one after the first
     * epochs) and the task metric (accuracy or MSE) against the epoch, in two panels under one
     * heading. Without a penalty the total loss is the task loss; one line is drawn and its name
     * says so, instead of two lines exactly on top of each other.
     */
    public static void trainingCurves(TrainingHistory history, String title, Path png, Path svg) throws IOException {
        List<Map<String, Double>> rows = history.rows();
        boolean classification = history.columns().contains("train_accuracy");
        TickedChart losses = lineChart("loss", "loss");
        TickedChart metric = lineChart(classification ? "accuracy" : "MSE", classification ? "accuracy" : "MSE");
        List<Series> lossSeries = new ArrayList<>();
        boolean sameLoss = sameColumn(rows, "loss", "task_loss");
        addCurve(lossSeries, rows, "loss", sameLoss ? "train (total = task loss: no penalty)" : "train (total)");
        if (!sameLoss) {
            addCurve(lossSeries, rows, "task_loss", "train (task)");
        }
        addCurve(lossSeries, rows, "validation_loss", "validation");
        List<Series> metricSeries = new ArrayList<>();
        for (String prefix : new String[] {"train", "validation"}) {
            addCurve(metricSeries, rows, prefix + (classification ? "_accuracy" : "_mse"), prefix);
        }
        fill(losses, lossSeries, allPositive(lossSeries));
        fill(metric, metricSeries, !classification && allPositive(metricSeries));
        losses.niceTicks(null, null);
        metric.niceTicks(null, null);
        write(List.of(losses, metric), 600, 440, title, png, svg);
    }

    /**
     * Curves over training with events marked (e.g. growths): each curve on a log axis when all
     * its values are positive, and a dashed grey vertical line at each event, so that one sees
     * what every event did to the curve.
     */
    public static void curvesWithEvents(String title, String xTitle, String yTitle, List<Series> curves, double[] events,
                                        String eventName, Path png, Path svg) throws IOException {
        TickedChart c = new TickedChart(new XYChartBuilder().width(640).height(460).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle));
        legendBelow(c);
        c.getStyler().setMarkerSize(3);
        boolean log = allPositive(curves);
        fill(c, curves, log);
        double lo = curves.stream().flatMapToDouble(s -> Arrays.stream(s.y())).filter(Double::isFinite).min().orElse(1);
        double hi = curves.stream().flatMapToDouble(s -> Arrays.stream(s.y())).filter(Double::isFinite).max().orElse(1);
        for (int i = 0; i < events.length; i++) {
            XYSeries e = c.addSeries(i == 0 ? eventName : eventName + " " + (i + 1), new double[] {events[i], events[i]},
                    new double[] {lo, hi});
            e.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY).setLineStyle(new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            e.setShowInLegend(i == 0);
        }
        c.niceTicks(null, null);
        write(List.of(c), 640, 460, null, png, svg);
    }

    private static TickedChart lineChart(String title, String yTitle) {
        TickedChart c = new TickedChart(new XYChartBuilder().width(600).height(440).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle));
        legendBelow(c);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    /** Adds the series with circle markers, the axis scale and tick labels that suit their values. */
    private static void fill(XYChart chart, List<Series> series, boolean logY) {
        chart.getStyler().setYAxisLogarithmic(logY);
        // Labels between the powers of ten when the values span little more than a decade (else one
        // label at most); over more decades those labels would overlap.
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!AxisLabels.withinDecades(series, 1.5));
        chart.getStyler().setYAxisDecimalPattern(AxisLabels.pattern(series, false, logY));
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static void addCurve(List<Series> into, List<Map<String, Double>> rows, String column, String name) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Double> r : rows) {
            Double v = r.get(column);
            if (v != null && Double.isFinite(v)) {
                points.add(new double[] {r.get("epoch"), v});
            }
        }
        if (!points.isEmpty()) {
            into.add(new Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray()));
        }
    }

    /** True when the two columns hold the same value in every row (no regularizer adds to the loss). */
    private static boolean sameColumn(List<Map<String, Double>> rows, String a, String b) {
        for (Map<String, Double> r : rows) {
            Double x = r.get(a);
            Double y = r.get(b);
            if (x == null || y == null || Math.abs(x - y) > 1e-12 * Math.max(1, Math.abs(x))) {
                return false;
            }
        }
        return !rows.isEmpty();
    }

    private static boolean allPositive(List<Series> series) {
        return !series.isEmpty() && series.stream().allMatch(s -> Arrays.stream(s.y()).allMatch(v -> v > 0));
    }

    /** Height of the band that holds a figure's heading above its panels. */
    private static final int HEADING = 30;

    /**
     * Paints the charts left to right into one PNG and one SVG, under {@code heading} when it is
     * not null: a figure-wide heading never has to fit one panel's title, so it is not cut.
     */
    static void write(List<Chart<?, ?>> charts, int w, int h, String heading, Path png, Path svg) throws IOException {
        int total = w * charts.size();
        int top = heading == null ? 0 : HEADING;
        if (png != null) {
            BufferedImage img = new BufferedImage(total, h + top, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, total, h + top);
            paintHeading(g, heading, total);
            paintAll(g, charts, w, h, top);
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            AtomicFiles.writeBytes(png, bytes.toByteArray());
        }
        if (svg != null) {
            // XChart draws text as glyph outlines, so the SVG holds paths, not <text>.
            VectorGraphics2D g = new VectorGraphics2D();
            paintHeading(g, heading, total);
            paintAll(g, charts, w, h, top);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, total, h + top)).writeTo(bytes);
            AtomicFiles.writeBytes(svg, bytes.toByteArray());
        }
    }

    /** The heading centred; shortened with an ellipsis in the middle only if even the whole width is too narrow. */
    private static void paintHeading(Graphics2D g, String heading, int width) {
        if (heading == null) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        FontMetrics m = g.getFontMetrics();
        String text = heading;
        int keep = text.length();
        while (m.stringWidth(text) > width - 20 && keep > 8) {
            keep -= 2;
            text = heading.substring(0, keep / 2) + "..." + heading.substring(heading.length() - keep / 2);
        }
        g.setColor(Color.BLACK);
        g.drawString(text, (width - m.stringWidth(text)) / 2, HEADING - 9);
    }

    private static void paintAll(Graphics2D g, List<Chart<?, ?>> charts, int w, int h, int top) {
        for (int i = 0; i < charts.size(); i++) {
            AffineTransform saved = g.getTransform();
            g.translate(i * w, top);
            charts.get(i).paint(g, w, h);
            g.setTransform(saved);
        }
    }
}
