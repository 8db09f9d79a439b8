package org.relume.compose;

import java.util.Locale;
import org.relume.data.Dataset;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * The affine frame that lets a compositional network fit any 1-D data. The construction
 * y(x) = x + sigma sum s_i W_i(x) (Milkert et al., eqs. 1-3) runs from (0, 0) to (1, 1) on [0, 1],
 * because every composed wave W_i vanishes at both ends; the paper's targets already do (tanh 3x
 * nearly). Other data are fitted in the unit frame u = (x - xLo) / (xHi - xLo),
 * v = (y - yLo) / (yHi - yLo), where xLo, xHi are the data's smallest and largest x and yLo, yHi
 * the targets there, so that the chord between the data's end points becomes the line v = u that
 * the waves are added to or subtracted from. Afterwards the frame is folded into the first layer's
 * weights and the output layer, so the saved network takes x and returns y like any other.
 */
public record CurveFrame(double xLo, double xHi, double yLo, double yHi) {
    /** The paper's frame: data on [0, 1] used as they are. */
    public static final CurveFrame IDENTITY = new CurveFrame(0, 1, 0, 1);

    /**
     * Below this ratio of the chord's rise to the targets' range the unit frame would blow the data
     * up more than a thousandfold; no wave scale reaches that, and float training degrades.
     */
    static final double MIN_RISE = 1e-3;

    public CurveFrame {
        if (!(xLo < xHi) || !Double.isFinite(xLo) || !Double.isFinite(xHi) || !Double.isFinite(yLo) || !Double.isFinite(yHi)
                || yLo == yHi) {
            throw new IllegalArgumentException("a curve frame needs finite ends with xLo < xHi and yLo != yHi, got x in ["
                    + xLo + ", " + xHi + "], y from " + yLo + " to " + yHi);
        }
    }

    /**
     * The frame of 1-D regression data: its x range and the targets at both ends of it (the mean
     * target where several samples share the end x).
     *
     * @throws IllegalArgumentException one line when the data are not 1-D regression, have a single
     *                                  x, or end where they start (no chord to fit against)
     */
    public static CurveFrame of(Dataset data) {
        if (data.task().isClassification() || data.inputs() != 1 || data.outputs() != 1) {
            throw new IllegalArgumentException("compositional networks fit one input to one target; " + data.name() + " is "
                    + (data.task().isClassification() ? "a classification set" : "a regression set") + " with "
                    + data.inputs() + " input(s) and " + data.outputs() + " output(s)");
        }
        float[] x = data.features().data();
        float[] y = data.targets().data();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(lo < hi)) {
            throw new IllegalArgumentException("compositional networks need at least two distinct x values; " + data.name()
                    + " has " + (x.length == 0 ? "no samples" : "only x = " + lo));
        }
        double yLo = meanAt(x, y, lo);
        double yHi = meanAt(x, y, hi);
        double range = range(y);
        if (!(Math.abs(yHi - yLo) >= MIN_RISE * range)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "compositional networks fit x plus or minus waves "
                    + "between the data's end points, but %s has y = %.6g at x = %.6g and y = %.6g at x = %.6g, (nearly) equal"
                    + " against a target range of %.6g; choose an interval whose ends differ", data.name(), yLo, lo, yHi, hi,
                    range));
        }
        return new CurveFrame(lo, hi, yLo, yHi);
    }

    public boolean isIdentity() {
        return equals(IDENTITY);
    }

    /** How much larger a squared error is in the data's units than in the unit frame. */
    public double mseScale() {
        double rise = yHi - yLo;
        return rise * rise;
    }

    /** The data in the unit frame (the same object for the identity frame). */
    public Dataset toUnit(Dataset data) {
        if (isIdentity()) {
            return data;
        }
        float[] x = data.features().data();
        float[] y = data.targets().data();
        float[] u = new float[x.length];
        float[] v = new float[y.length];
        for (int i = 0; i < x.length; i++) {
            u[i] = (float) ((x[i] - xLo) / (xHi - xLo));
            v[i] = (float) ((y[i] - yLo) / (yHi - yLo));
        }
        return Dataset.regression(data.name(), Tensor.wrap(u, u.length, 1), Tensor.wrap(v, v.length, 1));
    }

    /**
     * A copy of a network fitted in the unit frame that computes the same curve in the data's
     * units: the first layer reads x instead of u, the output layer writes y instead of v.
     */
    public Network toData(Network unit) {
        Network net = unit.copy();
        if (isIdentity()) {
            return net;
        }
        net.requireChain("folding a curve frame");
        double dx = xHi - xLo;
        float[] w0 = net.parameter("layers.0.weight").value().data();
        float[] b0 = net.parameter("layers.0.bias").value().data();
        for (int r = 0; r < w0.length; r++) {
            b0[r] = (float) (b0[r] - w0[r] * xLo / dx);
            w0[r] = (float) (w0[r] / dx);
        }
        int last = net.layerCount() - 1;
        double dy = yHi - yLo;
        float[] wl = net.parameter("layers." + last + ".weight").value().data();
        float[] bl = net.parameter("layers." + last + ".bias").value().data();
        for (int i = 0; i < wl.length; i++) {
            wl[i] = (float) (wl[i] * dy);
        }
        bl[0] = (float) (bl[0] * dy + yLo);
        return net;
    }

    private static double meanAt(float[] x, float[] y, double end) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == end) {
                sum += y[i];
                count++;
            }
        }
        return sum / count;
    }

    private static double range(float[] y) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : y) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    @Override
    public String toString() {
        return "x in [" + num(xLo) + ", " + num(xHi) + "], y from " + num(yLo) + " to " + num(yHi);
    }

    /** Six significant digits without trailing zeros: "7", "0.367879", "1.5e-07". */
    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        int exp = s.indexOf('e');
        String mantissa = exp < 0 ? s : s.substring(0, exp);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return exp < 0 ? mantissa : mantissa + s.substring(exp);
    }
}
