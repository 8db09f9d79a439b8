package org.relume.compose;

import java.util.ArrayList;
import java.util.List;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.train.Parametrization;

/**
 * Stage 1 of compositional pretraining (Milkert et al., Section 4; REFERENCES.md §2): the
 * network's weights are a function of the peaks a_0..a_d, kept in (0, 1) as a_i = sigmoid(l_i) of
 * free logits l_i, and of the scales:
 * <ul>
 *   <li>{@link Mode#ENFORCED} ("differentiability enforced"): scales follow eq. 5 from the [R]
 *       first scale, so every ratio S_i = s_i / s_{i-1} is (1 - a_i) a_{i+1} for i &gt;= 1 and
 *       S_0 = (1 - a_0) a_1 (added) or a_0 a_1 (subtracted); optionally s_0 is trained instead;</li>
 *   <li>{@link Mode#FREE} ("not enforced"): the scales s_0..s_{d-1} are free parameters too,
 *       starting from their eq. 5 values.</li>
 * </ul>
 * {@link #pullBack} is the exact vector-Jacobian product of the map, derived by hand from the
 * layer formulas in {@link CompositionalEncoding} (and checked against finite differences).
 */
public final class PeakParametrization implements Parametrization {

    public enum Mode { ENFORCED, FREE }

    private final int depth;
    private final Sign sign;
    private final Mode mode;
    private final boolean trainFirstScale;
    private final Var logits;
    private final Var scales;

    /**
     * @param initialPeaks    a_0..a_d, each in (0, 1); d is the network's depth
     * @param trainFirstScale in ENFORCED mode, train s_0 (starting from the [R] rule) instead of deriving it
     */
    public PeakParametrization(double[] initialPeaks, Sign sign, Mode mode, boolean trainFirstScale) {
        TriangleWaves.checkPeaks(initialPeaks);
        this.depth = initialPeaks.length - 1;
        if (depth < 1) {
            throw new IllegalArgumentException("need peaks a_0..a_d with d >= 1");
        }
        this.sign = sign;
        this.mode = mode;
        this.trainFirstScale = trainFirstScale && mode == Mode.ENFORCED;
        float[] l = new float[depth + 1];
        for (int i = 0; i <= depth; i++) {
            l[i] = (float) Math.log(initialPeaks[i] / (1 - initialPeaks[i]));
        }
        this.logits = Var.parameter("peak_logits", Tensor.of(l, depth + 1));
        double[] s = TriangleWaves.enforcedScales(initialPeaks, sign);
        if (mode == Mode.FREE) {
            float[] sf = new float[depth];
            for (int i = 0; i < depth; i++) {
                sf[i] = (float) s[i];
            }
            this.scales = Var.parameter("scales", Tensor.of(sf, depth));
        } else if (this.trainFirstScale) {
            this.scales = Var.parameter("first_scale", Tensor.of(new float[] {(float) s[0]}, 1));
        } else {
            this.scales = null;
        }
    }

    public int depth() {
        return depth;
    }

    public Sign sign() {
        return sign;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public List<Var> parameters() {
        List<Var> p = new ArrayList<>(2);
        p.add(logits);
        if (scales != null) {
            p.add(scales);
        }
        return p;
    }

    /** The current peaks a_0..a_d. */
    public double[] peaks() {
        double[] a = new double[depth + 1];
        float[] l = logits.value().data();
        for (int i = 0; i <= depth; i++) {
            a[i] = 1 / (1 + Math.exp(-l[i]));
        }
        return a;
    }

    /** The current scales s_0..s_{d-1}. */
    public double[] scales() {
        double[] a = peaks();
        return switch (mode) {
            case FREE -> {
                double[] s = new double[depth];
                for (int i = 0; i < depth; i++) {
                    s[i] = scales.value().data()[i];
                }
                yield s;
            }
            case ENFORCED -> TriangleWaves.enforcedScales(a, trainFirstScale ? scales.value().data()[0]
                    : TriangleWaves.firstScale(a, sign));
        };
    }

    /** The ratios S_i = s_i / s_{i-1} (s_{-1} = 1) that the layers use. */
    double[] ratios(double[] a, double[] s) {
        double[] r = new double[depth];
        for (int i = 0; i < depth; i++) {
            r[i] = CompositionalEncoding.ratio(s, i);
        }
        return r;
    }

    /** A fresh network holding the current weights. */
    public Network network() {
        return CompositionalEncoding.build(peaks(), scales(), sign);
    }

    @Override
    public void build(Network network) {
        network.requireChain("the compositional parametrization");
        check(network);
        double[] a = peaks();
        double[] r = ratios(a, scales());
        double[][] w = new double[4][4];
        double[] b = new double[4];
        CompositionalEncoding.Weights.input(a, w, b);
        copy(w, b, 4, 1, network.parameter("layers.0.weight"), network.parameter("layers.0.bias"));
        for (int i = 0; i + 1 < depth; i++) {
            CompositionalEncoding.Weights.wave(a, r[i], i, sign, w);
            copy(w, null, 4, 4, network.parameter("layers." + (i + 1) + ".weight"), null);
        }
        CompositionalEncoding.Weights.output(a, r[depth - 1], depth - 1, sign, w);
        copy(w, null, 1, 4, network.parameter("layers." + depth + ".weight"), null);
    }

    private void check(Network net) {
        if (net.layerCount() != depth + 1 || net.inputSize() != 1 || net.outputSize() != 1) {
            throw new IllegalArgumentException("peak parametrization of depth " + depth + " needs a 1-"
                    + "4x" + depth + "-1 network, got " + net.architecture());
        }
        for (int i = 0; i < depth; i++) {
            if (net.layer(i).outputSize() != 4) {
                throw new IllegalArgumentException("compositional networks are 4 wide; layer " + i + " has "
                        + net.layer(i).outputSize() + " units");
            }
        }
    }

    private static void copy(double[][] w, double[] b, int rows, int cols, Var weight, Var bias) {
        float[] wd = weight.value().data();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                wd[r * cols + c] = (float) w[r][c];
            }
        }
        if (b != null) {
            for (int r = 0; r < rows; r++) {
                bias.value().data()[r] = (float) b[r];
            }
        }
    }

    @Override
    public void pullBack(Network network) {
        check(network);
        double[] a = peaks();
        double[] s = scales();
        double[] r = ratios(a, s);
        int sg = sign.sigma();
        double[] dA = new double[depth + 1];
        double[] dR = new double[depth];

        Var b0 = network.parameter("layers.0.bias");
        if (b0.hasGrad()) {
            dA[0] -= b0.grad().data()[2];
        }
        for (int i = 0; i + 1 < depth; i++) {
            Var wv = network.parameter("layers." + (i + 1) + ".weight");
            if (!wv.hasGrad()) {
                continue;
            }
            float[] g = wv.grad().data();
            double ai = a[i];
            double du = sg * g[1] + g[5] + g[9];
            double dv = -(sg * g[2] + g[6] + g[10]);
            dR[i] += du / ai + dv / (ai * (1 - ai)) + g[15] - a[i + 1] * g[11];
            dA[i] += peakTerm(du, dv, r[i], ai);
            dA[i + 1] += -r[i] * g[11];
        }
        Var wo = network.parameter("layers." + depth + ".weight");
        if (wo.hasGrad()) {
            float[] g = wo.grad().data();
            double al = a[depth - 1];
            double du = sg * g[1];
            double dv = -sg * g[2];
            dR[depth - 1] += du / al + dv / (al * (1 - al));
            dA[depth - 1] += peakTerm(du, dv, r[depth - 1], al);
        }

        double[] dScales = null;
        if (mode == Mode.ENFORCED) {
            if (trainFirstScale) {
                dScales = new double[] {dR[0]};
            } else if (sign == Sign.ADDED) {
                dA[0] += -a[1] * dR[0];
                dA[1] += (1 - a[0]) * dR[0];
            } else {
                dA[0] += a[1] * dR[0];
                dA[1] += a[0] * dR[0];
            }
            for (int i = 1; i < depth; i++) {
                dA[i] += -a[i + 1] * dR[i];
                dA[i + 1] += (1 - a[i]) * dR[i];
            }
        } else {
            dScales = new double[depth];
            dScales[0] += dR[0];
            for (int i = 1; i < depth; i++) {
                dScales[i] += dR[i] / s[i - 1];
                dScales[i - 1] += -dR[i] * s[i] / (s[i - 1] * s[i - 1]);
            }
        }
        logits.beginGradWrite();
        float[] gl = logits.grad().data();
        for (int i = 0; i <= depth; i++) {
            gl[i] = (float) (dA[i] * a[i] * (1 - a[i]));
        }
        if (scales != null) {
            scales.beginGradWrite();
            float[] gs = scales.grad().data();
            for (int i = 0; i < gs.length; i++) {
                gs[i] = (float) dScales[i];
            }
        }
    }

    /** d(loss)/d(a) through u = S/a and v = S/(a(1-a)). */
    private static double peakTerm(double du, double dv, double ratio, double a) {
        double oneMinus = 1 - a;
        return du * (-ratio / (a * a)) + dv * (-ratio * (1 - 2 * a) / (a * a * oneMinus * oneMinus));
    }

    @Override
    public String describe() {
        return "peaks(" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + sign.name().toLowerCase(java.util.Locale.ROOT)
                + (trainFirstScale ? ", s0 trained" : "") + ", depth " + depth + ")";
    }
}
