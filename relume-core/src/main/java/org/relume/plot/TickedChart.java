package org.relume.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * An XChart line chart whose linear axes carry {@link NiceTicks}. XChart 3.8 cannot be told where
 * its ticks go, only roughly how far apart (a pixel hint), and it puts ticks on the data's own
 * values whenever those are evenly spaced (epochs). So this chart (1) adds one invisible series
 * whose values are not evenly spaced, (2) fixes a covered axis's ends to the ticks' ends, (3) lays
 * the chart out once to learn the plot's size and sets the hint to exactly one tick step in pixels,
 * from which XChart derives the same 1, 2 or 5 x 10^k step, and (4) formats labels with the step's digits.
 */
final class TickedChart extends XYChart {
    /** XChart's default share of the plot that data occupy; the rest is margin. */
    private static final double CONTENT = 0.92;
    /** sqrt(2) - 1: no data grid shares it. */
    private static final double SPACER_FRACTION = Math.sqrt(2) - 1;

    private NiceTicks xTicks;
    private NiceTicks yTicks;
    private boolean laidOut;

    TickedChart(XYChartBuilder builder) {
        super(builder);
        getStyler().setPlotContentSize(CONTENT);
    }

    /**
     * Gives the x axis (and the y axis unless it is logarithmic) nice ticks, once all data series
     * are added: ticks that cover the data, or ticks within the fixed range {@code xBox}/{@code yBox}
     * when given ({xmin, xmax}; the axis then keeps that range).
     */
    void niceTicks(double[] xBox, double[] yBox) {
        double[] x = range(true);
        double[] y = range(false);
        if (x == null || y == null) {
            return;
        }
        xTicks = xBox != null ? NiceTicks.within(xBox[0], xBox[1]) : NiceTicks.covering(x[0], x[1]);
        getStyler().setXAxisMin(xBox != null ? xBox[0] : xTicks.lo()).setXAxisMax(xBox != null ? xBox[1] : xTicks.hi());
        setCustomXAxisTickLabelsFormatter(xTicks::label);
        double[] yEnds = y;
        if (!getStyler().isYAxisLogarithmic()) {
            yTicks = yBox != null ? NiceTicks.within(yBox[0], yBox[1]) : NiceTicks.covering(y[0], y[1]);
            yEnds = yBox != null ? yBox : new double[] {yTicks.lo(), yTicks.hi()};
            getStyler().setYAxisMin(yEnds[0]).setYAxisMax(yEnds[1]);
            setCustomYAxisTickLabelsFormatter(yTicks::label);
        }
        double[] xEnds = xBox != null ? xBox : new double[] {xTicks.lo(), xTicks.hi()};
        // The two ends and a point at an irrational fraction between them: the values XChart gathers
        // from all series are then not evenly spaced, so it takes the step from the hint, not the data.
        double f = SPACER_FRACTION;
        XYSeries spacer = addSeries(" ", new double[] {xEnds[0], xEnds[1], xEnds[0] + f * (xEnds[1] - xEnds[0])},
                new double[] {yEnds[0], yEnds[1], yEnds[0] + f * (yEnds[1] - yEnds[0])});
        spacer.setMarker(SeriesMarkers.NONE).setLineColor(new Color(0, 0, 0, 0)).setShowInLegend(false);
    }

    /** The finite extent of all series' x or y values, or null when there are none. */
    private double[] range(boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : getSeriesMap().values()) {
            for (double v : x ? s.getXData() : s.getYData()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi >= lo ? new double[] {lo, hi} : null;
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        if ((xTicks != null || yTicks != null) && !laidOut) {
            BufferedImage scratch = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D sg = scratch.createGraphics();
            super.paint(sg, width, height);
            sg.dispose();
            Rectangle2D plotArea = plot.getBounds();
            if (xTicks != null) {
                getStyler().setXAxisTickMarkSpacingHint(hint(xTicks, plotArea.getWidth(), getStyler().getXAxisMin(),
                        getStyler().getXAxisMax()));
            }
            if (yTicks != null) {
                getStyler().setYAxisTickMarkSpacingHint(hint(yTicks, plotArea.getHeight(), getStyler().getYAxisMin(),
                        getStyler().getYAxisMax()));
            }
            laidOut = true;
        }
        super.paint(g, width, height);
    }

    /** Pixels per tick step on an axis of {@code pixels} showing [lo, hi]. */
    private static int hint(NiceTicks t, double pixels, double lo, double hi) {
        return (int) Math.max(1, Math.round(CONTENT * pixels * t.step() / (hi - lo)));
    }

    /**
     * The labels of the x ticks XChart drew at the last paint, for tests; a label that does not name
     * the value at its position (within 1% of a step) says where it was drawn.
     */
    List<String> xTicksDrawn() {
        var axis = axisPair.getXAxis();
        var calculator = axis.getAxisTickCalculator();
        List<String> drawn = new ArrayList<>();
        double left = plot.getBounds().getX();
        for (int i = 0; i < calculator.getTickLocations().size(); i++) {
            double at = calculator.getTickLocations().get(i);
            if (at >= 0 && at <= plot.getBounds().getWidth()) {
                String label = calculator.getTickLabels().get(i);
                double value = axis.getChartValue(left + at);
                boolean there = Math.abs(value - Double.parseDouble(label)) <= 0.01 * xTicks.step();
                drawn.add(there ? label : label + " (drawn at " + value + ")");
            }
        }
        return drawn;
    }
}
