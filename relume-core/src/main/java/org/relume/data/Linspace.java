package org.relume.data;

/**
 * numpy's {@code linspace}, which the reference code of the moons and curve experiments uses for
 * its grids. Kept to numpy's exact arithmetic (both ends exact, inner points {@code i * step + lo})
 * so that generated points match the reference to the last bit instead of differing by rounding.
 */
final class Linspace {
    private Linspace() {}

    /** Point {@code i} of {@code linspace(lo, hi, count)}; {@code count == 1} gives {@code lo}. */
    static double point(double lo, double hi, int count, int i) {
        if (count == 1 || i == 0) {
            return lo;
        }
        if (i == count - 1) {
            return hi;
        }
        double step = (hi - lo) / (count - 1);
        return i * step + lo;
    }
}
