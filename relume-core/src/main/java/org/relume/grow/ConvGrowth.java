package org.relume.grow;

import java.util.SplittableRandom;
import org.relume.data.Batch;
import org.relume.loss.Loss;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * GradMax on convolutions (Evci et al. 2022, Section 3 and its convolutional case; REFERENCES.md
 * §4.1): k new filters in convolution l with zero incoming kernels, and outgoing kernels (into the
 * next convolution, or the dense head) that maximize the gradient norm of the new incoming kernels.
 * With relu'(0) = 1 at layer l that gradient is linear in the outgoing weights w:
 * dL/dW_in = M w, where M[(c, a), (o, b)] = sum over samples and positions p of x_c(p + a) dz_o(p - b),
 * x the layer's input, dz the loss gradient at the next layer's preactivation, a a tap of kernel l
 * and b of the reader (a position of the flattened map for the dense head). So the best unit-norm w
 * are the top singular vectors of M^T. The reference code builds M by cutting the gradient of an
 * auxiliary (k1 + k2 - 1)-wide zero convolution into patches, which ignores the borders; here M is
 * summed directly, borders included. Random growth draws w from a Gaussian. Both are scaled to
 * {@code scale} x the mean norm of the existing filters' outgoing weights.
 */
public final class ConvGrowth {
    private ConvGrowth() {}

    public static Growth.Result grow(Network net, int layer, int k, GrowthMethod method, Batch batch, Loss loss,
                                     double scale, Optimizer optimizer, SplittableRandom random) {
        if (k <= 0) {
            throw new IllegalArgumentException("grow by at least one filter, got " + k);
        }
        if (method != GrowthMethod.GRADMAX && method != GrowthMethod.RANDOM && method != GrowthMethod.ZEROS) {
            throw new IllegalArgumentException("convolution growth supports gradmax, random and zeros, not " + method.id());
        }
        Conv2d here = ConvSurgery.conv(net, layer);
        Layer reader = ConvSurgery.next(net, layer);
        ConvGeometry g = here.geometry();
        if (g.stride() != 1 || (reader instanceof Conv2d c && c.geometry().stride() != 1)) {
            throw new IllegalArgumentException("convolution growth needs stride 1 in the grown layer and its reader");
        }
        Network prepared = ConvSurgery.withActivation(net, layer, PointwiseFunctions.relu(1f));
        GradientProbe probe = GradientProbe.at(prepared, layer, batch, loss);
        boolean bias = here.bias() != null;
        double[][] mt = reader instanceof Conv2d c ? intoConv(probe, g, c.geometry(), bias)
                : intoDense(probe, g, reader.outputSize(), bias);
        int block = reader instanceof Conv2d c ? c.geometry().kernel() * c.geometry().kernel() : g.outHeight() * g.outWidth();
        int outs = mt.length;
        Tensor readerWeight = reader instanceof Conv2d c ? c.weight().value() : ((Dense) reader).weight().value();
        double norm = scale * meanFilterNorm(readerWeight, g.outChannels(), block);
        if (!(norm > 0)) {
            norm = scale;
        }
        SingularVectors.Left svd = SingularVectors.topLeft(mt, Math.min(k, outs));
        double[][] w = new double[k][];
        for (int j = 0; j < k; j++) {
            // Beyond the rank of M no direction has a gradient; such filters start random, as in dense growth.
            boolean direction = method == GrowthMethod.GRADMAX && j < outs && svd.singularValues()[j] > 0;
            w[j] = direction ? svd.vectors()[j].clone() : Growth.gaussian(outs, random);
            if (method == GrowthMethod.ZEROS) {
                w[j] = new double[outs];
            }
            Growth.scaleTo(w[j], norm);
        }
        Tensor outW = Tensor.zeros(outs / block, k * block);
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < outs; r++) {
                outW.set(r / block, j * block + r % block, (float) w[j][r]);
            }
        }
        double gain = 0;
        for (double[] col : w) {
            for (int c = 0; c < mt[0].length; c++) {
                double d = 0;
                for (int r = 0; r < outs; r++) {
                    d += col[r] * mt[r][c];
                }
                gain += d * d;
            }
        }
        Network grown = ConvSurgery.widen(prepared, layer, Tensor.zeros(k, g.taps()),
                here.bias() != null ? Tensor.zeros(k) : null, outW, optimizer);
        return new Growth.Result(grown, layer, k, Math.sqrt(gain), svd.singularValues()[0], probe.loss());
    }

    /**
     * M^T for a convolutional reader: rows (o, b) over its output channels and taps, columns (c, a)
     * over the grown layer's input channels and taps, plus a bias column when the layer has biases.
     */
    private static double[][] intoConv(GradientProbe probe, ConvGeometry g, ConvGeometry r, boolean bias) {
        int k1 = g.kernel();
        int k2 = r.kernel();
        int n = probe.input().cols();
        int ho = g.outHeight();
        int wo = g.outWidth();
        double[][] mt = new double[r.outChannels() * k2 * k2][g.taps() + (bias ? 1 : 0)];
        float[] x = probe.input().data();
        float[] dz = probe.nextGradient().data();
        for (int o = 0; o < r.outChannels(); o++) {
            for (int b = 0; b < k2 * k2; b++) {
                double[] row = mt[o * k2 * k2 + b];
                // The new filter's output at p reaches the reader's output at q = p - b + pad2.
                for (int py = 0; py < ho; py++) {
                    int qy = py - b / k2 + r.padding();
                    if (qy < 0 || qy >= r.outHeight()) {
                        continue;
                    }
                    for (int px = 0; px < wo; px++) {
                        int qx = px - b % k2 + r.padding();
                        if (qx < 0 || qx >= r.outWidth()) {
                            continue;
                        }
                        int dzRow = ((o * r.outHeight() + qy) * r.outWidth() + qx) * n;
                        accumulateTaps(row, x, dz, dzRow, g, py, px, k1, n, bias);
                    }
                }
            }
        }
        return mt;
    }

    /** M^T for the dense head over the flattened maps: rows (o, p) over outputs and positions. */
    private static double[][] intoDense(GradientProbe probe, ConvGeometry g, int outputs, boolean bias) {
        int positions = g.outHeight() * g.outWidth();
        int n = probe.input().cols();
        double[][] mt = new double[outputs * positions][g.taps() + (bias ? 1 : 0)];
        float[] x = probe.input().data();
        float[] dz = probe.nextGradient().data();
        for (int o = 0; o < outputs; o++) {
            for (int p = 0; p < positions; p++) {
                accumulateTaps(mt[o * positions + p], x, dz, o * n, g, p / g.outWidth(), p % g.outWidth(), g.kernel(), n,
                        bias);
            }
        }
        return mt;
    }

    /** row[(c, a)] += sum_n x_c(p + a - pad)[n] dz[n]; with a bias, row[last] += sum_n dz[n]. */
    private static void accumulateTaps(double[] row, float[] x, float[] dz, int dzRow, ConvGeometry g, int py, int px,
                                       int k1, int n, boolean withBias) {
        if (withBias) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                sum += dz[dzRow + s];
            }
            row[row.length - 1] += sum;
        }
        for (int c = 0; c < g.inChannels(); c++) {
            for (int a = 0; a < k1 * k1; a++) {
                int iy = py + a / k1 - g.padding();
                int ix = px + a % k1 - g.padding();
                if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) {
                    continue;
                }
                int xRow = ((c * g.height() + iy) * g.width() + ix) * n;
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    sum += (double) x[xRow + s] * dz[dzRow + s];
                }
                row[c * k1 * k1 + a] += sum;
            }
        }
    }

    /** Mean norm of the existing filters' outgoing weights: per input channel of the reader, its block of columns. */
    static double meanFilterNorm(Tensor w, int channels, int block) {
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int r = 0; r < w.rows(); r++) {
                for (int t = 0; t < block; t++) {
                    double v = w.get(r, c * block + t);
                    s += v * v;
                }
            }
            sum += Math.sqrt(s);
        }
        return channels == 0 ? 0 : sum / channels;
    }
}
