package org.relume.plot;

import java.util.List;

/**
 * Tick-label formats and series comparisons for the line figures. XChart's default labels showed
 * every digit of a double on a narrow range (0.493345888746071) and dropped the leading zero
 * (.08); a pattern with as many decimals as the axis range needs, and a leading zero, fixes both.
 */
final class AxisLabels {
    private AxisLabels() {}

    /** The most decimals a label shows; finer ranges switch to scientific notation. */
    private static final int MAX_DECIMALS = 8;

    /**
     * A {@link java.text.DecimalFormat} pattern for the x or y values of {@code series}: scientific
     * for a log axis spanning values below 0.001 or for huge values, else a leading zero and two
     * more decimals than the range's order of magnitude asks for.
     */
    static String pattern(List<Figures.Series> series, boolean xAxis, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Figures.Series s : series) {
            for (double v : xAxis ? s.x() : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi >= lo)) {
            return "0.##";
        }
        double magnitude = Math.max(Math.abs(lo), Math.abs(hi));
        if (magnitude >= 1e6 || (log && lo > 0 && lo < 1e-3)) {
            return "0.##E0";
        }
        double span = log ? lo : hi - lo;
        if (span <= 0) {
            span = magnitude > 0 ? magnitude : 1;
        }
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(span)) + 1);
        if (decimals > MAX_DECIMALS) {
            return "0.##E0";
        }
        return decimals == 0 ? "#,##0" : "0." + "#".repeat(decimals);
    }

    /** True when the positive y values of {@code series} span at most {@code decades} powers of ten. */
    static boolean withinDecades(List<Figures.Series> series, double decades) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Figures.Series s : series) {
            for (double v : s.y()) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi > 0 && Math.log10(hi / lo) <= decades;
    }

    /** The first series before index {@code i} with the same points as series i, or null. */
    static Figures.Series earlierEqual(List<Figures.Series> series, int i) {
        Figures.Series s = series.get(i);
        for (int j = 0; j < i; j++) {
            Figures.Series t = series.get(j);
            if (close(s.x(), t.x()) && close(s.y(), t.y())) {
                return t;
            }
        }
        return null;
    }

    /** Equal within a relative 1e-9 per point: the same values computed by two routes. */
    private static boolean close(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            if (!(Math.abs(a[k] - b[k]) <= 1e-9 * Math.max(1e-300, Math.max(Math.abs(a[k]), Math.abs(b[k]))))) {
                return false;
            }
        }
        return true;
    }
}
