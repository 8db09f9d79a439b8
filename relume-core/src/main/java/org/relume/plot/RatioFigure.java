package org.relume.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A ratio of two costs against a size, log-log (a power law is a straight line, and a ratio of 10
 * above break-even looks as far from it as one of 10 below): a grey break-even line at ratio 1, the
 * two sides of it labelled with who wins there, and a dashed vertical line at every crossover. Used
 * for {@code relume bench --scaling} (fastest peer / Relume against width and depth).
 */
public final class RatioFigure {
    private RatioFigure() {}

    private static final int WIDTH = 560;
    private static final int HEIGHT = 480;

    /** One panel: lines of ratio against size (positive values only) and the sizes where a line crosses 1. */
    public record Panel(String title, String xTitle, List<Figures.Series> series, List<Double> crossovers) {}

    /**
     * Panels side by side under {@code heading}, as PNG and SVG (either may be null). With
     * {@code above} null no break-even line is drawn (plain positive values on log-log axes).
     *
     * @param above what a ratio above 1 means, written above the line (e.g. "Relume faster")
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
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setLegendBorderColor(Color.WHITE);
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        c.getStyler().setMarkerSize(6);
        double[] x = range(p.series(), true);
        double[] y = range(p.series(), false);
        boolean reference = above != null;
        // Whole decades around the data and the line at 1, so that the log axes get their labels at 1, 10, 100.
        double ylo = decadeBelow(reference ? Math.min(y[0], 0.5) : y[0]);
        double yhi = decadeAbove(reference ? Math.max(y[1], 2) : y[1]);
        c.getStyler().setYAxisMin(ylo).setYAxisMax(yhi).setXAxisMin(x[0]).setXAxisMax(x[1]);
        c.getStyler().setXAxisDecimalPattern(AxisLabels.pattern(p.series(), true, true));
        c.getStyler().setYAxisDecimalPattern(AxisLabels.pattern(p.series(), false, true));
        for (Figures.Series s : p.series()) {
            c.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        if (reference) {
            dashed(c.addSeries("break-even (ratio 1)", new double[] {x[0], x[1]}, new double[] {1, 1}), Color.GRAY, 2f);
            double mid = Math.sqrt(x[0] * x[1]);
            c.addAnnotation(new AnnotationText("above 1: " + above, mid, Math.sqrt(yhi), false));
            c.addAnnotation(new AnnotationText("below 1: " + below, mid, Math.sqrt(ylo), false));
        }
        for (double at : p.crossovers()) {
            dashed(c.addSeries(String.format(Locale.ROOT, "crossover %s %.0f", p.xTitle(), at), new double[] {at, at},
                    new double[] {ylo, yhi}), Color.RED.darker(), 1.5f);
        }
        return c;
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
