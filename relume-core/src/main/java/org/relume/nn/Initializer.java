package org.relume.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.relume.tensor.Tensor;

/**
 * Weight and bias initializers for a layer with {@code fanIn} inputs and {@code fanOut} outputs.
 *
 * <ul>
 *   <li>glorot_uniform (Glorot &amp; Bengio 2010; Keras' default): W ~ U(-l, l), l = sqrt(6 / (in + out)); b = 0.</li>
 *   <li>glorot_normal (PyTorch's xavier_normal_): W ~ N(0, 2 / (in + out)); b = 0.</li>
 *   <li>kaiming_uniform (He et al. 2015, PyTorch's kaiming_uniform_ for relu): W ~ U(-l, l), l = sqrt(6 / in); b = 0.</li>
 *   <li>kaiming_normal: W ~ N(0, 2 / in); b = 0.</li>
 *   <li>torch_default (PyTorch's nn.Linear): W, b ~ U(-1/sqrt(in), 1/sqrt(in)).</li>
 *   <li>rai (Lu et al. 2019, randomized asymmetric initialization; REFERENCES.md §2):
 *       V = N(0, 1)[out, in+1] * 0.6007 / sqrt(in); in every row one index k, uniform in 0..in,
 *       gets V[j, k] ~ Beta(2, 1); W = V[:, :in], b = V[:, in].</li>
 *   <li>raai (Singh &amp; Sreejith 2021) <b>[R]</b>, a reconstruction: each row's weights are Gaussian
 *       with maximal anti-correlation, i.e. centred to sum to zero (correlation -1/(in-1)) and
 *       rescaled by sqrt(in/(in-1)) to keep RAI's variance; the bias is drawn like RAI's; then RAI's
 *       Beta(2, 1) step. With one input no anti-correlation exists and raai equals rai.</li>
 *   <li>zeros: everything 0 (for tests and surgery).</li>
 * </ul>
 */
public enum Initializer {
    GLOROT_UNIFORM, GLOROT_NORMAL, KAIMING_UNIFORM, KAIMING_NORMAL, TORCH_DEFAULT, RAI, RAAI, ZEROS;

    /** RAI's scale constant (Lu et al. 2019). */
    public static final double RAI_SCALE = 0.6007;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Initializer byName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Initializer i : values()) {
            if (i.name().equals(n)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + name + "'; known: " + ids());
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Initializer::id).toList());
    }

    public static List<String> idList() {
        return Arrays.stream(values()).map(Initializer::id).toList();
    }

    /**
     * Fills W [fanOut, fanIn] and b [fanOut] (b may be null for bias-free layers).
     * W, b: modified. random: advanced.
     */
    public void initialize(Tensor w, Tensor b, SplittableRandom random) {
        initialize(w, b, w.cols(), w.rows(), random);
    }

    /**
     * Fills W (any shape) and b with the given fans: a convolution's fan-in is in_channels x k x k and
     * its fan-out out_channels x k x k, as PyTorch and Keras count them.
     */
    public void initialize(Tensor w, Tensor b, int fanIn, int fanOut, SplittableRandom random) {
        int out = fanOut;
        int in = fanIn;
        float[] wd = w.data();
        int n = w.numel();
        switch (this) {
            case GLOROT_UNIFORM -> {
                uniform(wd, n, Math.sqrt(6.0 / (in + out)), random);
                zero(b);
            }
            case GLOROT_NORMAL -> {
                normal(wd, n, Math.sqrt(2.0 / (in + out)), random);
                zero(b);
            }
            case KAIMING_UNIFORM -> {
                uniform(wd, n, Math.sqrt(6.0 / in), random);
                zero(b);
            }
            case KAIMING_NORMAL -> {
                normal(wd, n, Math.sqrt(2.0 / in), random);
                zero(b);
            }
            case TORCH_DEFAULT -> {
                double bound = 1.0 / Math.sqrt(in);
                uniform(wd, n, bound, random);
                if (b != null) {
                    uniform(b.data(), b.numel(), bound, random);
                }
            }
            case RAI -> asymmetric(w, b, random, false);
            case RAAI -> asymmetric(w, b, random, in > 1);
            case ZEROS -> {
                w.fill(0f);
                zero(b);
            }
            default -> throw new AssertionError(this);
        }
    }

    private static void asymmetric(Tensor w, Tensor b, SplittableRandom random, boolean antiCorrelated) {
        int out = w.rows();
        int in = w.cols();
        double sigma = RAI_SCALE / Math.sqrt(in);
        double[] row = new double[in + 1];
        float[] wd = w.data();
        for (int j = 0; j < out; j++) {
            for (int k = 0; k <= in; k++) {
                row[k] = random.nextGaussian() * sigma;
            }
            if (antiCorrelated) {
                double mean = 0;
                for (int k = 0; k < in; k++) {
                    mean += row[k];
                }
                mean /= in;
                double rescale = Math.sqrt(in / (in - 1.0));
                for (int k = 0; k < in; k++) {
                    row[k] = (row[k] - mean) * rescale;
                }
            }
            int pick = random.nextInt(in + 1);
            // Beta(2, 1) has CDF x^2 on [0, 1]; its inverse is sqrt(u).
            row[pick] = Math.sqrt(random.nextDouble());
            for (int k = 0; k < in; k++) {
                wd[j * in + k] = (float) row[k];
            }
            if (b != null) {
                b.data()[j] = (float) row[in];
            }
        }
    }

    private static void uniform(float[] x, int n, double bound, SplittableRandom random) {
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
    }

    private static void normal(float[] x, int n, double std, SplittableRandom random) {
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * std);
        }
    }

    private static void zero(Tensor b) {
        if (b != null) {
            b.fill(0f);
        }
    }
}
