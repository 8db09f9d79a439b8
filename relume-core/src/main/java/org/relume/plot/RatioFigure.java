package org.relume.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A ratio of two costs against a size, log-log (a power law is a straight line, and a ratio of 10
 * above break-even looks as far from it as one of 10 below): a grey break-even line at ratio 1, every
 * point marked by who wins there (one marker above 1, another below), and a dashed vertical line at
 * every crossover. Used for {@code relume bench --scaling} (fastest peer / Relume against width and
 * depth). Labels written into the plot area ran over the lines, so the legend says it all.
 */
public final class RatioFigure {
    private RatioFigure() {}

    private static final int WIDTH = 560;
    private static final int HEIGHT = 560;

    /** One panel: lines of ratio against size (positive values only) and the sizes where a line crosses 1. */
    public record Panel(String title, String xTitle, List<Figures.Series> series, List<Double> crossovers) {}

    /**
     * Panels side by side under {@code heading}, as PNG and SVG (either may be null). With
     * {@code above} null no break-even line is drawn (plain positive values on log-log axes).
     *
     * @param above what a ratio of 1 or more means, the name of its markers (e.g. "Relume faster")
     * @param below what a ratio below 1 means
     */
    public static void draw(String heading, String yTitle, String above, String below, List<Panel> panels, Path png,
                            Path svg) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (Panel p : panels) {
            charts.add(chart(p, yTitle, above, below));
        }
        Figures.write(charts, WIDTH, HEIGHT, heading, png, svg);
    }

    private static XYChart chart(Panel p, String yTitle, String above, String below) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(p.title()).xAxisTitle(p.xTitle()).yAxisTitle(yTitle)
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        c.getStyler().setLegendBorderColor(Color.WHITE);
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        boolean reference = above != null;
        // The win markers show the points of a ratio; plain values get circles.
        c.getStyler().setMarkerSize(reference ? 10 : 6);
        double[] x = range(p.series(), true);
        double[] y = range(p.series(), false);
        // Whole decades around the data and the line at 1, so that the log axes get their labels at 1, 10, 100.
        double ylo = decadeBelow(reference ? Math.min(y[0], 0.5) : y[0]);
        double yhi = decadeAbove(reference ? Math.max(y[1], 2) : y[1]);
        c.getStyler().setYAxisMin(ylo).setYAxisMax(yhi).setXAxisMin(x[0]).setXAxisMax(x[1]);
        c.getStyler().setXAxisDecimalPattern(AxisLabels.pattern(p.series(), true, true));
        c.getStyler().setYAxisDecimalPattern(AxisLabels.pattern(p.series(), false, true));
        for (Figures.Series s : p.series()) {
            c.addSeries(s.name(), s.x(), s.y()).setMarker(reference ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        if (reference) {
            dashed(c.addSeries("break-even (ratio 1)", new double[] {x[0], x[1]}, new double[] {1, 1}), Color.GRAY, 2f);
            winners(c, p.series(), above + " (ratio >= 1)", true, new Color(0x1a, 0x98, 0x50));
            winners(c, p.series(), below + " (ratio < 1)", false, new Color(0xd7, 0x30, 0x27));
        }
        List<String> at = p.crossovers().stream().map(v -> String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v)).toList();
        for (int i = 0; i < p.crossovers().size(); i++) {
            double v = p.crossovers().get(i);
            XYSeries s = c.addSeries(i == 0 ? "crossover at " + p.xTitle() + " ~ " + String.join(", ", at) : "crossover " + i,
                    new double[] {v, v}, new double[] {ylo, yhi});
            dashed(s, Color.BLACK, 1.2f);
            s.setShowInLegend(i == 0);
        }
        return c;
    }

    /** Large markers over the points where the ratio is at least 1 ({@code atLeastOne}) or below 1. */
    private static void winners(XYChart c, List<Figures.Series> series, String name, boolean atLeastOne, Color colour) {
        List<double[]> points = new ArrayList<>();
        for (Figures.Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (s.y()[i] > 0 && (s.y()[i] >= 1) == atLeastOne) {
                    points.add(new double[] {s.x()[i], s.y()[i]});
                }
            }
        }
        if (points.isEmpty()) {
            return;
        }
        XYSeries m = c.addSeries(name, points.stream().mapToDouble(q -> q[0]).toArray(), points.stream().mapToDouble(q -> q[1]).toArray());
        m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        m.setMarker(atLeastOne ? SeriesMarkers.TRIANGLE_UP : SeriesMarkers.TRIANGLE_DOWN).setMarkerColor(colour);
    }

    private static void dashed(XYSeries s, Color colour, float width) {
        s.setMarker(SeriesMarkers.NONE).setLineColor(colour).setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f));
    }

    /** {min, max} of the positive finite x or y values; {1, 10} when there are none. */
    private static double[] range(List<Figures.Series> series, boolean xAxis) {
        double[] all = series.stream().flatMapToDouble(s -> Arrays.stream(xAxis ? s.x() : s.y()))
                .filter(v -> v > 0 && Double.isFinite(v)).toArray();
        if (all.length == 0) {
            return new double[] {1, 10};
        }
        double lo = Arrays.stream(all).min().orElseThrow();
        double hi = Arrays.stream(all).max().orElseThrow();
        return lo == hi ? new double[] {lo / 2, hi * 2} : new double[] {lo, hi};
    }

    private static double decadeBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
    }

    private static double decadeAbove(double v) {
        return Math.pow(10, Math.ceil(Math.log10(v) - 1e-9));
    }
}
