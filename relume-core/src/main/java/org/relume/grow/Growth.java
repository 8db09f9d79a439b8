package org.relume.grow;

import java.util.SplittableRandom;
import org.relume.data.Batch;
import org.relume.loss.Loss;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * One growth step by GradMax or a baseline (Evci et al. 2022; REFERENCES.md §4.1): k new units in
 * a hidden layer, incoming weights zero (or epsilon-random), outgoing weights per
 * {@link GrowthMethod}, each of norm {@code scale} x the mean norm of the existing units' outgoing
 * weights.
 *
 * <p>The new units' preactivation is exactly 0, so the grown layer's relu gets derivative 1 at 0
 * (as in the reference code); otherwise their incoming weights would never move. With zero incoming
 * weights the network's outputs are unchanged.
 */
public final class Growth {
    private Growth() {}

    /** Settings: outgoing norm scale (1.0 for MLPs in the paper), incoming epsilon, gradmax-opt steps. */
    public record Settings(double scale, double incomingEpsilon, int optSteps) {
        public static Settings defaults() {
            return new Settings(1.0, 0.0, 10);
        }
    }

    /**
     * What a growth did. {@code gradNormGain} is ||dL/d(new incoming weights and biases)||_F right
     * after growth, which is ||W_out^T G||_F: the quantity GradMax maximizes.
     */
    public record Result(Network network, int layer, int units, double gradNormGain, double topSingularValue, double lossBefore) {}

    public static Result grow(Network net, int layer, int k, GrowthMethod method, Batch batch, Loss loss,
                              Settings s, Optimizer optimizer, SplittableRandom random) {
        net.requireChain("growth");
        if (k <= 0) {
            throw new IllegalArgumentException("grow by at least one unit, got " + k);
        }
        Network prepared = Surgery.withActivation(net, layer, PointwiseFunctions.relu(1f));
        GradientProbe probe = GradientProbe.at(prepared, layer, batch, loss);
        Dense here = Surgery.dense(prepared, layer);
        Dense next = Surgery.dense(prepared, layer + 1);
        double[][] g = probe.auxiliaryGradient(here.hasBias());
        int outs = g.length;
        double norm = s.scale() * meanColumnNorm(next.weight().value());
        if (!(norm > 0)) {
            norm = s.scale();
        }
        double[][] w = new double[k][outs];
        SingularVectors.Left svd = SingularVectors.topLeft(g, Math.min(k, outs));
        switch (method) {
            case GRADMAX -> {
                for (int j = 0; j < k; j++) {
                    if (j < outs) {
                        w[j] = svd.vectors()[j].clone();
                    } else {
                        w[j] = gaussian(outs, random);
                    }
                }
            }
            case RANDOM -> {
                for (int j = 0; j < k; j++) {
                    w[j] = gaussian(outs, random);
                }
            }
            case ZEROS -> {
                // all zero
            }
            case GRADMAX_OPT -> {
                for (int j = 0; j < k; j++) {
                    w[j] = gaussian(outs, random);
                }
                ascend(w, g, s.optSteps());
            }
            default -> throw new AssertionError(method);
        }
        if (method != GrowthMethod.ZEROS) {
            for (double[] col : w) {
                scaleTo(col, norm);
            }
        }
        int in = here.inputSize();
        Tensor inW = Tensor.zeros(k, in);
        if (s.incomingEpsilon() > 0) {
            for (int i = 0; i < inW.numel(); i++) {
                inW.data()[i] = (float) ((2 * random.nextDouble() - 1) * s.incomingEpsilon());
            }
        }
        Tensor inB = here.hasBias() ? Tensor.zeros(k) : null;
        Tensor outW = Tensor.zeros(outs, k);
        for (int j = 0; j < k; j++) {
            for (int o = 0; o < outs; o++) {
                outW.set(o, j, (float) w[j][o]);
            }
        }
        double gain = 0;
        for (double[] col : w) {
            for (int c = 0; c < g[0].length; c++) {
                double d = 0;
                for (int o = 0; o < outs; o++) {
                    d += col[o] * g[o][c];
                }
                gain += d * d;
            }
        }
        Network grown = Surgery.widen(prepared, layer, inW, inB, outW, optimizer);
        return new Result(grown, layer, k, Math.sqrt(gain), svd.singularValues()[0], probe.loss());
    }

    /** Mean Euclidean norm of the columns of W (one column per unit of the previous layer). */
    static double meanColumnNorm(Tensor w) {
        int r = w.rows();
        int c = w.cols();
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int i = 0; i < r; i++) {
                s += (double) w.get(i, j) * w.get(i, j);
            }
            sum += Math.sqrt(s);
        }
        return c == 0 ? 0 : sum / c;
    }

    static double[] gaussian(int n, SplittableRandom random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    static void scaleTo(double[] v, double norm) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        s = Math.sqrt(s);
        if (s == 0) {
            return;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] *= norm / s;
        }
    }

    /** Normalized gradient ascent on sum_j ||w_j^T G||^2: w_j += eta G G^T w_j, then w_j renormalized. */
    private static void ascend(double[][] w, double[][] g, int steps) {
        int outs = g.length;
        double[][] ggt = new double[outs][outs];
        double fro = 0;
        for (int i = 0; i < outs; i++) {
            for (int j = 0; j < outs; j++) {
                double s = 0;
                for (int c = 0; c < g[0].length; c++) {
                    s += g[i][c] * g[j][c];
                }
                ggt[i][j] = s;
                fro += s * s;
            }
        }
        double eta = fro == 0 ? 0 : 1 / Math.sqrt(fro);
        for (int t = 0; t < steps; t++) {
            for (double[] col : w) {
                double before = Math.sqrt(dot(col, col));
                double[] step = new double[outs];
                for (int i = 0; i < outs; i++) {
                    for (int j = 0; j < outs; j++) {
                        step[i] += ggt[i][j] * col[j];
                    }
                }
                for (int i = 0; i < outs; i++) {
                    col[i] += eta * step[i];
                }
                scaleTo(col, before);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
