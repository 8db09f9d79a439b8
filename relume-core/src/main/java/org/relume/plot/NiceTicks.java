package org.relume.plot;

import java.util.Locale;

/**
 * Tick marks for a linear axis at "nice" values, after Heckbert's "Nice numbers for graph labels"
 * (Graphics Gems, 1990): a step of 1, 2 or 5 times a power of ten, four to eight ticks, and labels
 * with exactly the decimals the step needs. XChart's own choice placed ticks on the data's x values
 * when they were evenly spaced (20, 180, 340, ... epochs) and a decimal pattern derived from the
 * data range printed more digits than the ticks differ by.
 *
 * @param step     distance between ticks: 1, 2 or 5 times a power of ten
 * @param first    the first tick, a multiple of step
 * @param count    number of ticks, first + i * step for i in [0, count)
 * @param decimals digits after the point in plain labels (0 for steps of 1 or more)
 */
public record NiceTicks(double step, double first, int count, int decimals) {
    /** Fewest and most ticks an axis gets (when the range allows it). */
    public static final int MIN_TICKS = 4;
    public static final int MAX_TICKS = 8;
    /** The count aimed at when several steps qualify. */
    private static final int PREFERRED = 6;
    private static final int[] MANTISSAS = {1, 2, 5};

    /**
     * Ticks that cover [lo, hi]: the first at or below lo, the last at or above hi, so that an axis
     * from {@link #lo()} to {@link #hi()} shows the data with a labelled tick at both ends.
     */
    public static NiceTicks covering(double lo, double hi) {
        return choose(lo, hi, true);
    }

    /**
     * Ticks inside [lo, hi] only, for an axis whose ends are fixed (a scene's box). With fixed ends
     * four to eight ticks are not always possible (a span of 1.8 gives 9 at steps of 0.2 and 3 at
     * 0.5); then the count nearest that range.
     */
    public static NiceTicks within(double lo, double hi) {
        return choose(lo, hi, false);
    }

    private static NiceTicks choose(double lo, double hi, boolean cover) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("axis range must be finite, got [" + lo + ", " + hi + "]");
        }
        if (hi < lo) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (hi == lo) {
            // One value: a range around it, so the axis still has ticks and the value sits inside.
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        int top = (int) Math.floor(Math.log10(hi - lo));
        NiceTicks best = null;
        for (int k = top - 2; k <= top + 1; k++) {
            for (int m : MANTISSAS) {
                NiceTicks t = at(m, k, lo, hi, cover);
                if (best == null || better(t, best)) {
                    best = t;
                }
            }
        }
        return best;
    }

    /** Within [MIN, MAX] beats outside it; then nearer the preferred count; then the larger step. */
    private static boolean better(NiceTicks a, NiceTicks b) {
        boolean aIn = a.count >= MIN_TICKS && a.count <= MAX_TICKS;
        boolean bIn = b.count >= MIN_TICKS && b.count <= MAX_TICKS;
        if (aIn != bIn) {
            return aIn;
        }
        int da = Math.abs(a.count - PREFERRED);
        int db = Math.abs(b.count - PREFERRED);
        return da != db ? da < db : a.step > b.step;
    }

    private static NiceTicks at(int mantissa, int exponent, double lo, double hi, boolean cover) {
        double step = mantissa * Math.pow(10, exponent);
        // A relative slack, so that a bound equal to a multiple of the step up to rounding counts as one.
        double eps = 1e-9;
        long from = (long) (cover ? Math.floor(lo / step + eps) : Math.ceil(lo / step - eps));
        long to = (long) (cover ? Math.ceil(hi / step - eps) : Math.floor(hi / step + eps));
        int decimals = Math.max(0, -exponent);
        return new NiceTicks(step, from * step, (int) Math.max(0, Math.min(to - from + 1, Integer.MAX_VALUE)), decimals);
    }

    /** The i-th tick, computed from its index so that rounding does not accumulate. */
    public double value(int i) {
        return Math.rint(first / step + i) * step;
    }

    public double[] values() {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = value(i);
        }
        return v;
    }

    /** The axis's lower end when it should span the ticks exactly. */
    public double lo() {
        return value(0);
    }

    /** The axis's upper end when it should span the ticks exactly. */
    public double hi() {
        return value(count - 1);
    }

    /**
     * A tick's label: plain with {@link #decimals} digits after the point (2000, 0.05, -1.5), or
     * scientific with as many mantissa digits as the step needs (1.5e-07, 2.0e+06) for values
     * below 1e-4 or from 1e6 up, where plain labels would be long strings of zeros.
     */
    public String label(double v) {
        double snapped = Math.rint(v / step) * step;
        if (Math.abs(snapped) < step * 1e-6) {
            snapped = 0; // no "-0"
        }
        double largest = Math.max(Math.abs(first), Math.abs(first + (count - 1) * step));
        if (largest >= 1e6 || largest < 1e-4) {
            int magnitude = (int) Math.floor(Math.log10(largest));
            int digits = Math.max(0, magnitude - (int) Math.floor(Math.log10(step) + 1e-9));
            return String.format(Locale.ROOT, "%." + digits + "e", snapped);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", snapped);
    }
}
