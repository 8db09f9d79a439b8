package org.relume.data;

import java.util.Arrays;
import java.util.Objects;
import org.relume.tensor.Memory;
import org.relume.tensor.Tensor;

/**
 * Per-channel standardization of images stored channel-major (CHW) as rows of a [samples,
 * channels * pixels] tensor, as {@link CifarReader} stores them:
 * <pre>
 *   feature index  c * pixels + p      (channel c, pixel p within the channel)
 *   x'[i, c * pixels + p] = (x[i, c * pixels + p] - mean[c]) / std[c]
 * </pre>
 * with one mean and one population standard deviation (divide by n) per channel, taken over every
 * pixel of every training image. This is the usual preprocessing for convolutional networks, whose
 * weights are shared across positions: each channel keeps its spatial contrast, where the
 * per-feature {@link Standardizer} would give every pixel position its own scale. Fit on the
 * training split and apply the same statistics to both splits, so validation data does not leak
 * into training. A channel with zero spread gets std 1.
 */
public final class ChannelStandardizer {
    private final float[] mean;
    private final float[] std;

    private ChannelStandardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Fits on {@code train}'s features, in double precision with two passes.
     *
     * @param channels the number of channels; the features per sample must be a multiple of it
     * @throws IllegalArgumentException for no samples, a feature count not divisible by {@code
     *                                  channels}, or a channel with non-finite values
     */
    public static ChannelStandardizer fit(Dataset train, int channels) {
        Tensor x = train.features();
        int n = x.rows();
        int d = x.cols();
        int pixels = pixelsPerChannel(d, channels, train.name());
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit a channel standardizer on " + train.name()
                    + ": it has no samples");
        }
        float[] data = x.data();
        double count = (double) n * pixels;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int from = i * d + c * pixels;
                for (int p = 0; p < pixels; p++) {
                    sum += data[from + p];
                }
            }
            double m = sum / count;
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("cannot fit a channel standardizer on " + train.name() + ": channel "
                        + c + " has non-finite values (mean " + m + ")");
            }
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int from = i * d + c * pixels;
                for (int p = 0; p < pixels; p++) {
                    double delta = data[from + p] - m;
                    squares += delta * delta;
                }
            }
            double s = Math.sqrt(squares / count);
            mean[c] = (float) m;
            std[c] = s > 0 && (float) s > 0 ? (float) s : 1f;
        }
        return new ChannelStandardizer(mean, std);
    }

    /**
     * Fits on the training split and applies to both.
     *
     * @param split    not modified
     * @param channels the number of channels, e.g. {@link CifarReader#CHANNELS}
     * @return the split with standardized features, same names, labels and order
     */
    public static Dataset.Split standardize(Dataset.Split split, int channels) {
        ChannelStandardizer s = fit(split.train(), channels);
        return new Dataset.Split(s.apply(split.train()), s.apply(split.validation()));
    }

    /**
     * A channel standardizer with given statistics (e.g. read back from a saved model).
     *
     * @throws IllegalArgumentException unless both arrays have the same, non-zero length, every mean
     *                                  is finite and every std finite and > 0
     */
    public static ChannelStandardizer of(float[] mean, float[] std) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("channel standardizer needs one std per mean and at least one channel: "
                    + "got " + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("channel standardizer mean of channel " + c + " is " + mean[c]
                        + ", expected a finite number");
            }
            if (!(std[c] > 0) || Float.isInfinite(std[c])) {
                throw new IllegalArgumentException("channel standardizer std of channel " + c + " is " + std[c]
                        + ", expected a finite number > 0");
            }
        }
        return new ChannelStandardizer(mean.clone(), std.clone());
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    /** A copy of the per-channel means. */
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the per-channel standard deviations (1 where the training spread was zero). */
    public float[] std() {
        return std.clone();
    }

    /** The same samples, labels and name with standardized features. {@code data} is not modified. */
    public Dataset apply(Dataset data) {
        return data.withFeatures(apply(data.features()));
    }

    /**
     * A new [samples, features] tensor holding (x - mean[c]) / std[c] for each feature of channel c;
     * {@code samplesByFeatures} is not modified.
     *
     * @throws IllegalArgumentException for a tensor that is not rank 2 with a feature count divisible
     *                                  by the number of channels
     */
    public Tensor apply(Tensor samplesByFeatures) {
        if (samplesByFeatures.rank() != 2) {
            throw new IllegalArgumentException("channel standardizer applies to [samples, features], got a tensor of "
                    + "shape " + samplesByFeatures.shapeString());
        }
        int n = samplesByFeatures.rows();
        int d = samplesByFeatures.cols();
        int channels = mean.length;
        int pixels = pixelsPerChannel(d, channels, "a tensor of shape " + samplesByFeatures.shapeString());
        Memory.require("standardized images (" + n + " x " + d + " floats)", Memory.product(n, d, Float.BYTES));
        float[] src = samplesByFeatures.data();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int from = i * d + c * pixels;
                float m = mean[c];
                float s = std[c];
                for (int p = 0; p < pixels; p++) {
                    out[from + p] = (src[from + p] - m) / s;
                }
            }
        }
        return Tensor.wrap(out, n, d);
    }

    private static int pixelsPerChannel(int features, int channels, String what) {
        if (channels < 1) {
            throw new IllegalArgumentException("channel standardizer needs at least one channel, got " + channels);
        }
        if (features == 0 || features % channels != 0) {
            throw new IllegalArgumentException("cannot split the " + features + " features of " + what + " into "
                    + channels + " equal channels");
        }
        return features / channels;
    }

    @Override
    public String toString() {
        return "ChannelStandardizer(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
