package org.relume.data;

import java.util.SplittableRandom;
import org.relume.tensor.Memory;
import org.relume.tensor.Tensor;

/**
 * The two-moons data set of the jumpstart-regularization paper's headline experiment (Section 4,
 * Figure 2; REFERENCES.md §1 and §7.1): two interleaving half circles, the same construction as
 * scikit-learn's {@code make_moons}, followed by the paper's single global rescaling.
 *
 * <p>It is generated rather than loaded because the experiment depends on every detail (point
 * counts, endpoints included, order after shuffling, the scale), and a generator pins them all down
 * from a seed. The order of the steps is part of the definition: points, then noise, then a seeded
 * Fisher-Yates shuffle, then X := X / (max(X) - min(X)) over all entries. Noise and shuffle draw from
 * separate {@link SplittableRandom#split()} streams so that switching noise on does not change the
 * order of the points.
 */
public final class Moons {
    /** Samples in the paper's experiment. */
    public static final int DEFAULT_SAMPLES = 100;

    /** The paper's validation share: 15 of 100 samples (callers use {@code splitAt(85)}). */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.15;

    private Moons() {}

    /**
     * Generates {@code n} samples [n, 2] with labels 0 (outer moon, n/2 rounded down points) and 1
     * (inner moon, the rest), shuffled and scaled as described in the class comment.
     *
     * @param n     number of samples, at least 2 so that each moon has a point
     * @param noise standard deviation of the Gaussian noise added to each coordinate before
     *              scaling; 0 for the paper's noiseless set
     * @param seed  decides the noise and the order
     */
    public static Dataset generate(int n, double noise, long seed) {
        if (n < 2) {
            throw new IllegalArgumentException("moons needs at least 2 samples (one per moon), got n = " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("moons noise must be a finite number >= 0, got " + noise);
        }
        // Coordinates in double, then the float features, labels and a shuffle order.
        Memory.require("moons with n = " + n, Memory.product(n, 2 * 8 + 2 * 4 + 4 + 4 + 16));
        int outer = n / 2;
        int inner = n - outer;
        double[] x = new double[n];
        double[] y = new double[n];
        int[] label = new int[n];
        for (int i = 0; i < outer; i++) {
            double t = Linspace.point(0, Math.PI, outer, i);
            x[i] = Math.cos(t);
            y[i] = Math.sin(t);
        }
        for (int i = 0; i < inner; i++) {
            double t = Linspace.point(0, Math.PI, inner, i);
            x[outer + i] = 1 - Math.cos(t);
            y[outer + i] = 1 - Math.sin(t) - 0.5;
            label[outer + i] = 1;
        }

        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom noiseStream = root.split();
        SplittableRandom shuffleStream = root.split();
        if (noise > 0) {
            for (int i = 0; i < n; i++) {
                x[i] += noise * noiseStream.nextGaussian();
                y[i] += noise * noiseStream.nextGaussian();
            }
        }
        int[] order = Dataset.permutation(n, shuffleStream);

        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, Math.min(x[i], y[i]));
            max = Math.max(max, Math.max(x[i], y[i]));
        }
        // Never 0: the outer moon spans x in [-1, 1] whenever it has two points, and with n = 2
        // the two points (1, 0) and (0, 0.5) differ.
        double scale = max - min;

        float[] features = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            features[2 * i] = (float) (x[k] / scale);
            features[2 * i + 1] = (float) (y[k] / scale);
            labels[i] = label[k];
        }
        return Dataset.classification("moons", Tensor.wrap(features, n, 2), labels, 2);
    }
}
