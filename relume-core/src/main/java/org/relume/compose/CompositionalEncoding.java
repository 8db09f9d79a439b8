package org.relume.compose;

import java.util.ArrayList;
import java.util.List;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * The explicit width-4 ReLU network of a compositional approximation (Milkert et al., Section 3,
 * Figure 2; the weights are a reconstruction [R], REFERENCES.md §7.2, checked against the closed
 * form by a test). Neurons (Sum, A, B, C):
 * <pre>
 *   input layer:  W = (1, 1, 1, 0)^T, b = (0, 0, -a_0, 1)  ->  (x, x, relu(x - a_0), 1)
 *   wave layer i (i = 0..d-2), S_i = s_i / s_{i-1} with s_{-1} = 1, rows Sum, A, B, C:
 *       Sum: [1, sigma S/a_i, -sigma S/(a_i(1-a_i)),  0        ]
 *       A:   [0,       S/a_i,       -S/(a_i(1-a_i)),  0        ]
 *       B:   [0,       S/a_i,       -S/(a_i(1-a_i)), -S a_{i+1}]
 *       C:   [0,           0,                     0,  S        ]
 *   output layer: (1, sigma S/a_{d-1}, -sigma S/(a_{d-1}(1-a_{d-1})), 0) with S = S_{d-1}, bias 0.
 * </pre>
 * so A carries s_i W_i, B carries s_i relu(W_i - a_{i+1}), C carries s_i and Sum accumulates
 * x + sigma sum s_k W_k. The network has d hidden layers (the input layer and d - 1 wave layers) and
 * 2^d linear pieces on [0, 1]. Afterwards it is an ordinary Relume network.
 */
public final class CompositionalEncoding {
    private CompositionalEncoding() {}

    /**
     * The resolution at which reports count pieces on [0, 1]. Float weights make units that touch
     * zero at the waves' valleys cross it over slivers up to ~3e-7 wide (depth 8); 500 data points
     * are 2e-3 apart, so a piece narrower than 1e-6 cannot matter to a fit.
     */
    public static final double PIECE_RESOLUTION = 1e-6;

    /**
     * The width of the narrowest true piece of the depth-d construction: each wave splits every
     * piece of the previous one in the ratio a_i : (1 - a_i), so it is prod_{i &lt; d} min(a_i, 1 - a_i).
     */
    public static double narrowestPiece(double[] peaks, int depth) {
        double w = 1;
        for (int i = 0; i < depth; i++) {
            w *= Math.min(peaks[i], 1 - peaks[i]);
        }
        return w;
    }

    /** The network for peaks a_0..a_d and scales s_0..s_{d-1} (d = scales.length). */
    public static Network build(double[] peaks, double[] scales, Sign sign) {
        int d = scales.length;
        if (d < 1) {
            throw new IllegalArgumentException("a compositional network needs depth >= 1");
        }
        if (peaks.length < d) {
            throw new IllegalArgumentException("depth " + d + " needs at least " + d + " peaks, got " + peaks.length);
        }
        TriangleWaves.checkPeaks(peaks);
        List<Layer> layers = new ArrayList<>();
        double[][] w = new double[4][4];
        double[] b = new double[4];
        Weights.input(peaks, w, b);
        layers.add(dense(w, b, 4, 1, true));
        for (int i = 0; i + 1 < d; i++) {
            Weights.wave(peaks, ratio(scales, i), i, sign, w);
            layers.add(dense(w, new double[4], 4, 4, true));
        }
        Weights.output(peaks, ratio(scales, d - 1), d - 1, sign, w);
        layers.add(dense(w, new double[1], 1, 4, false));
        return new Network(layers);
    }

    /** S_i = s_i / s_{i-1}, with s_{-1} = 1. */
    static double ratio(double[] scales, int i) {
        return i == 0 ? scales[0] : scales[i] / scales[i - 1];
    }

    private static Dense dense(double[][] w, double[] b, int out, int in, boolean hidden) {
        float[] wf = new float[out * in];
        float[] bf = new float[out];
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                wf[r * in + c] = (float) w[r][c];
            }
            bf[r] = (float) b[r];
        }
        return new Dense(Tensor.of(wf, out, in), Tensor.of(bf, out),
                hidden ? Activations.relu() : PointwiseFunctions.IDENTITY);
    }

    /**
     * The layers' weights as functions of the peaks and ratios, in double: shared by the encoding
     * and by {@link PeakParametrization}, whose vector-Jacobian product differentiates them.
     */
    static final class Weights {
        private Weights() {}

        static void input(double[] peaks, double[][] w, double[] b) {
            w[0][0] = 1;
            w[1][0] = 1;
            w[2][0] = 1;
            w[3][0] = 0;
            b[0] = 0;
            b[1] = 0;
            b[2] = -peaks[0];
            b[3] = 1;
        }

        /** Wave layer i: peak a_i, next peak a_{i+1}, ratio S. */
        static void wave(double[] peaks, double ratio, int i, Sign sign, double[][] w) {
            double a = peaks[i];
            double next = peaks[i + 1];
            double u = ratio / a;
            double v = ratio / (a * (1 - a));
            int s = sign.sigma();
            w[0][0] = 1;
            w[0][1] = s * u;
            w[0][2] = -s * v;
            w[0][3] = 0;
            w[1][0] = 0;
            w[1][1] = u;
            w[1][2] = -v;
            w[1][3] = 0;
            w[2][0] = 0;
            w[2][1] = u;
            w[2][2] = -v;
            w[2][3] = -ratio * next;
            w[3][0] = 0;
            w[3][1] = 0;
            w[3][2] = 0;
            w[3][3] = ratio;
        }

        /** Output layer: the last wave, with peak a_last and ratio S, as row 0 of w. */
        static void output(double[] peaks, double ratio, int last, Sign sign, double[][] w) {
            double a = peaks[last];
            int s = sign.sigma();
            w[0][0] = 1;
            w[0][1] = s * ratio / a;
            w[0][2] = -s * ratio / (a * (1 - a));
            w[0][3] = 0;
        }
    }
}
