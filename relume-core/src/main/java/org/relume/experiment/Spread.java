package org.relume.experiment;

import java.util.List;
import java.util.Locale;

/** The mean and sample standard deviation of a result over seeds, as the reports print them. */
record Spread(double mean, double sd, int count) {
    static Spread of(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return new Spread(mean, values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0, values.size());
    }

    String text() {
        return String.format(Locale.ROOT, "%.2f ± %.2f", mean, sd);
    }
}
