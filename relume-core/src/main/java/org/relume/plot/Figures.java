package org.relume.plot;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
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
        write(charts, PANEL_WIDTH, PANEL_HEIGHT, png, svg);
    }

    private static HeatMapChart heatmapChart(Heatmap h, double min, double max) {
        HeatMapChart chart = new HeatMapChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(h.title())
                .xAxisTitle(h.xTitle()).yAxisTitle(h.yTitle()).build();
        chart.getStyler().setMin(min).setMax(max).setShowValue(true).setHeatMapValueDecimalPattern("0.00")
                .setRangeColors(new Color[] {new Color(0x2c, 0x3e, 0x8c), new Color(0xf4, 0xf1, 0xde), new Color(0xd6, 0x2d, 0x20)});
        chart.getStyler().setValueFont(chart.getStyler().getValueFont().deriveFont(8f));
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

    /** Line panels side by side, as PNG and SVG (either may be null). */
    public static void lines(List<LinePanel> panels, Path png, Path svg) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (LinePanel p : panels) {
            XYChart c = new XYChartBuilder().width(520).height(420).title(p.title()).xAxisTitle(p.xTitle())
                    .yAxisTitle(p.yTitle()).build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            c.getStyler().setMarkerSize(0);
            c.getStyler().setYAxisLogarithmic(p.logY());
            for (Series s : p.series()) {
                c.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.NONE);
            }
            charts.add(c);
        }
        write(charts, 520, 420, png, svg);
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
            XYChart c = new XYChartBuilder().width(520).height(480).title(sc.title()).xAxisTitle("x").yAxisTitle("y").build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            c.getStyler().setXAxisMin(sc.box()[0]).setXAxisMax(sc.box()[1]).setYAxisMin(sc.box()[2]).setYAxisMax(sc.box()[3]);
            c.getStyler().setMarkerSize(6);
            for (Series p : sc.points()) {
                c.addSeries(p.name(), p.x(), p.y()).setXYSeriesRenderStyle(
                        org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            }
            for (int i = 0; i < sc.lines().size(); i++) {
                Series l = sc.lines().get(i);
                var series = c.addSeries(l.name(), l.x(), l.y()).setMarker(SeriesMarkers.NONE);
                if (i == sc.lines().size() - 1) {
                    // The last line is the highlighted one (e.g. the unit just added).
                    series.setLineColor(Color.RED).setLineWidth(3f);
                } else {
                    series.setLineColor(Color.DARK_GRAY);
                }
            }
            Color[] markerColors = {Color.BLACK, Color.MAGENTA, Color.GREEN.darker()};
            for (int i = 0; i < sc.markers().size(); i++) {
                Series m = sc.markers().get(i);
                c.addSeries(m.name(), m.x(), m.y()).setXYSeriesRenderStyle(
                        org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND)
                        .setMarkerColor(markerColors[i % markerColors.length]);
            }
            charts.add(c);
        }
        write(charts, 520, 480, png, svg);
    }

    /**
     * Training curves of one run from its history: losses (task, total, validation) and the
     * task metric (accuracy or MSE) against the epoch, in two panels.
     */
    public static void trainingCurves(TrainingHistory history, String title, Path png, Path svg) throws IOException {
        List<Map<String, Double>> rows = history.rows();
        List<String> cols = history.columns();
        XYChart losses = lineChart(title + ": loss", "loss");
        XYChart metric = lineChart(title + ": " + (cols.contains("train_accuracy") ? "accuracy" : "MSE"),
                cols.contains("train_accuracy") ? "accuracy" : "MSE");
        addCurve(losses, rows, "loss", "train (total)");
        addCurve(losses, rows, "task_loss", "train (task)");
        addCurve(losses, rows, "validation_loss", "validation");
        for (String prefix : new String[] {"train", "validation"}) {
            addCurve(metric, rows, prefix + "_accuracy", prefix);
            addCurve(metric, rows, prefix + "_mse", prefix);
        }
        if (cols.contains("train_mse")) {
            metric.getStyler().setYAxisLogarithmic(allPositive(rows, "train_mse"));
        }
        write(List.of(losses, metric), 600, 420, png, svg);
    }

    private static XYChart lineChart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(600).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(3);
        return c;
    }

    private static void addCurve(XYChart chart, List<Map<String, Double>> rows, String column, String name) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Double> r : rows) {
            Double v = r.get(column);
            if (v != null && Double.isFinite(v)) {
                x.add(r.get("epoch"));
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static boolean allPositive(List<Map<String, Double>> rows, String column) {
        return rows.stream().map(r -> r.get(column)).allMatch(v -> v == null || v > 0);
    }

    /** Paints the charts left to right into one PNG and one SVG. */
    private static void write(List<Chart<?, ?>> charts, int w, int h, Path png, Path svg) throws IOException {
        int total = w * charts.size();
        if (png != null) {
            BufferedImage img = new BufferedImage(total, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, total, h);
            paintAll(g, charts, w, h);
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            AtomicFiles.writeBytes(png, bytes.toByteArray());
        }
        if (svg != null) {
            // XChart draws text as glyph outlines, so the SVG holds paths, not <text>.
            VectorGraphics2D g = new VectorGraphics2D();
            paintAll(g, charts, w, h);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, total, h)).writeTo(bytes);
            AtomicFiles.writeBytes(svg, bytes.toByteArray());
        }
    }

    private static void paintAll(Graphics2D g, List<Chart<?, ?>> charts, int w, int h) {
        for (int i = 0; i < charts.size(); i++) {
            AffineTransform saved = g.getTransform();
            g.translate(i * w, 0);
            charts.get(i).paint(g, w, h);
            g.setTransform(saved);
        }
    }
}
