package org.relume.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import org.relume.tensor.Tensor;

/**
 * A regression model's errors on a data set, in double: mean squared and mean absolute error over
 * every output of every row. MSE is what training minimizes; MAE is in the target's own unit, which
 * is what a person compares with the target's range.
 */
public record RegressionReport(long samples, int outputs, double mse, double mae) {

    /** Compares predictions with targets, both [rows, outputs]. */
    public static RegressionReport of(Tensor predictions, Tensor targets) {
        if (predictions.rows() != targets.rows() || predictions.cols() != targets.cols()) {
            throw new IllegalArgumentException("predictions " + predictions.shapeString() + " and targets "
                    + targets.shapeString() + " differ in shape");
        }
        float[] p = predictions.data();
        float[] t = targets.data();
        double sq = 0;
        double abs = 0;
        int n = predictions.rows() * predictions.cols();
        for (int i = 0; i < n; i++) {
            double d = (double) p[i] - t[i];
            sq += d * d;
            abs += Math.abs(d);
        }
        return new RegressionReport(predictions.rows(), predictions.cols(), n == 0 ? Double.NaN : sq / n,
                n == 0 ? Double.NaN : abs / n);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("outputs", outputs);
        m.put("mse", mse);
        m.put("mae", mae);
        return m;
    }

    public String table() {
        return String.format(Locale.ROOT, "MSE  %.6g%nMAE  %.6g%n", mse, mae);
    }
}
