package org.relume.data;

import java.util.Arrays;
import java.util.Objects;
import org.relume.tensor.Tensor;

/**
 * Per-feature standardization (z-scores): x' = (x - mean) / std, with the mean and the population
 * standard deviation (divide by n, as scikit-learn's StandardScaler) of a training set.
 *
 * <p>Thin deep ReLU nets are sensitive to input scale (the dead-unit problem the jumpstart paper
 * studies gets worse when inputs are large or offset), so tables read from CSV are usually
 * standardized. Fitting on the training part only and applying the same transform to validation
 * keeps validation data from leaking into training. A feature with zero spread gets std 1, so a
 * constant column passes through shifted to 0 instead of turning into NaN.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Fits on {@code train}'s features, in double precision with two passes so that a column of equal
     * values gets exactly zero spread.
     */
    public static Standardizer fit(Dataset train) {
        Tensor x = train.features();
        int n = x.rows();
        int d = x.cols();
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit a standardizer on " + train.name() + ": it has no samples");
        }
        float[] data = x.data();
        double[] sum = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sum[j] += data[i * d + j];
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("cannot fit a standardizer on " + train.name() + ": feature " + j
                        + " has non-finite values (mean " + m + ")");
            }
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double delta = data[i * d + j] - m;
                squares += delta * delta;
            }
            double s = Math.sqrt(squares / n);
            mean[j] = (float) m;
            std[j] = s > 0 && (float) s > 0 ? (float) s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /**
     * A standardizer with given statistics (e.g. read back from a saved model).
     *
     * @throws IllegalArgumentException unless both arrays have the same length, every mean is finite
     *                                  and every std finite and > 0
     */
    public static Standardizer of(float[] mean, float[] std) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != std.length) {
            throw new IllegalArgumentException("standardizer needs one std per mean: got " + mean.length + " means and "
                    + std.length + " stds");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Float.isFinite(mean[j])) {
                throw new IllegalArgumentException("standardizer mean of feature " + j + " is " + mean[j]
                        + ", expected a finite number");
            }
            if (!(std[j] > 0) || Float.isInfinite(std[j])) {
                throw new IllegalArgumentException("standardizer std of feature " + j + " is " + std[j]
                        + ", expected a finite number > 0");
            }
        }
        return new Standardizer(mean.clone(), std.clone());
    }

    /** Number of features this standardizer expects. */
    public int features() {
        return mean.length;
    }

    /** A copy of the per-feature means. */
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the per-feature standard deviations (1 where the training spread was zero). */
    public float[] std() {
        return std.clone();
    }

    /** The same samples, labels and name with standardized features. {@code data} is not modified. */
    public Dataset apply(Dataset data) {
        return data.withFeatures(apply(data.features()));
    }

    /** A new [samples, features] tensor holding (x - mean) / std; {@code samplesByFeatures} is not modified. */
    public Tensor apply(Tensor samplesByFeatures) {
        if (samplesByFeatures.rank() != 2 || samplesByFeatures.cols() != mean.length) {
            throw new IllegalArgumentException("standardizer fitted on " + mean.length + " features cannot apply to "
                    + "a tensor of shape " + samplesByFeatures.shapeString() + "; expected [samples, " + mean.length + "]");
        }
        int n = samplesByFeatures.rows();
        int d = mean.length;
        float[] src = samplesByFeatures.data();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (src[i * d + j] - mean[j]) / std[j];
            }
        }
        return Tensor.wrap(out, n, d);
    }

    @Override
    public String toString() {
        return "Standardizer(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
