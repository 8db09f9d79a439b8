package org.relume.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * The reparametrization's vector-Jacobian product against central finite differences in double:
 * for random upstream gradients G on the network's parameters, pullBack must equal the gradient of
 * f(theta) = sum G . weights(theta), with the weights built in double from the same formulas.
 */
class PeakParametrizationTest {

    @Test
    void pullBackMatchesFiniteDifferencesInEveryMode() {
        SplittableRandom r = new SplittableRandom(2);
        for (Sign sign : Sign.values()) {
            for (PeakParametrization.Mode mode : PeakParametrization.Mode.values()) {
                for (boolean trainS0 : new boolean[] {false, true}) {
                    for (int d : new int[] {1, 2, 5}) {
                        check(r, sign, mode, trainS0, d);
                    }
                }
            }
        }
    }

    private static void check(SplittableRandom r, Sign sign, PeakParametrization.Mode mode, boolean trainS0, int d) {
        double[] peaks = new double[d + 1];
        for (int i = 0; i <= d; i++) {
            peaks[i] = 0.25 + 0.5 * r.nextDouble();
        }
        PeakParametrization p = new PeakParametrization(peaks, sign, mode, trainS0);
        Network net = p.network();
        List<Var> params = net.parameters();
        double[][] g = new double[params.size()][];
        for (int k = 0; k < params.size(); k++) {
            Tensor t = params.get(k).value();
            g[k] = new double[t.numel()];
            float[] gf = new float[t.numel()];
            for (int i = 0; i < gf.length; i++) {
                gf[i] = (float) (2 * r.nextDouble() - 1);
                g[k][i] = gf[i];
            }
            params.get(k).setGrad(Tensor.of(gf, t.shape()));
        }
        p.pullBack(net);
        List<Var> free = p.parameters();
        double h = 1e-6;
        for (Var v : free) {
            float[] data = v.value().data();
            for (int i = 0; i < v.value().numel(); i++) {
                float saved = data[i];
                double plus = objective(p, g, saved, data, i, h);
                double minus = objective(p, g, saved, data, i, -h);
                data[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double analytic = v.grad().data()[i];
                assertEquals(numeric, analytic, 1e-4 + 1e-3 * Math.abs(numeric),
                        sign + " " + mode + (trainS0 ? " s0" : "") + " d=" + d + " d/d" + v.name() + "[" + i + "]");
            }
        }
        assertTrue(free.get(0).hasGrad());
    }

    /** sum G . weights(theta) with one free entry shifted by delta, in double. */
    private static double objective(PeakParametrization p, double[][] g, float saved, float[] data, int i, double delta) {
        // Shift in double by rebuilding from a double copy of the parameter.
        double value = saved + delta;
        data[i] = (float) value;
        double correction = value - data[i];
        double f = weightedSum(p, g, data, i, correction);
        data[i] = saved;
        return f;
    }

    /** The weights from the free parameters in double, with the float rounding of entry i corrected. */
    private static double weightedSum(PeakParametrization p, double[][] g, float[] data, int i, double correction) {
        data[i] = data[i];
        double[] a = p.peaks();
        double[] s = p.scales();
        // Apply the sub-float correction to the shifted parameter exactly, in double.
        if (correction != 0) {
            boolean isLogit = data == p.parameters().get(0).value().data();
            if (isLogit) {
                double l = data[i] + correction;
                a[i] = 1 / (1 + Math.exp(-l));
                s = p.mode() == PeakParametrization.Mode.FREE ? s
                        : p.parameters().size() > 1 ? TriangleWaves.enforcedScales(a, p.parameters().get(1).value().data()[0])
                        : TriangleWaves.enforcedScales(a, p.sign());
            } else if (p.mode() == PeakParametrization.Mode.FREE) {
                s[i] += correction;
            } else {
                s = TriangleWaves.enforcedScales(a, s[0] + correction);
            }
        }
        double[] ratios = p.ratios(a, s);
        double total = 0;
        double[][] w = new double[4][4];
        double[] b = new double[4];
        CompositionalEncoding.Weights.input(a, w, b);
        total += dot(g[0], w, 4, 1) + g[1][0] * b[0] + g[1][1] * b[1] + g[1][2] * b[2] + g[1][3] * b[3];
        int k = 2;
        for (int layer = 0; layer + 1 < p.depth(); layer++) {
            CompositionalEncoding.Weights.wave(a, ratios[layer], layer, p.sign(), w);
            total += dot(g[k], w, 4, 4);
            k += 2;
        }
        CompositionalEncoding.Weights.output(a, ratios[p.depth() - 1], p.depth() - 1, p.sign(), w);
        total += dot(g[k], w, 1, 4);
        return total;
    }

    private static double dot(double[] g, double[][] w, int rows, int cols) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                s += g[r * cols + c] * w[r][c];
            }
        }
        return s;
    }
}
