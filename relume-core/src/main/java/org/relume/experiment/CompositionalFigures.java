package org.relume.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.relume.data.Dataset;
import org.relume.nn.Network;
import org.relume.plot.Figures;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Figures of one compositional model: the data beside the fit (and the absolute error on a log
 * scale), and every hidden layer's four unit outputs over the data's x range (the composed
 * triangle waves, the paper's Figures 3, 5 and 6).
 */
public final class CompositionalFigures {
    private CompositionalFigures() {}

    private static final int POINTS = 2001;

    /** The data (in x order) beside the network's outputs there, and the absolute error on a log scale. */
    public static void fit(Network net, Dataset data, String title, Path png, Path svg) throws IOException {
        double[][] sorted = sortedByX(data);
        double[] x = sorted[0];
        double[] t = sorted[1];
        int n = x.length;
        double[] y = outputs(net, x);
        double[] err = new double[n];
        for (int i = 0; i < n; i++) {
            err[i] = Math.max(1e-12, Math.abs(y[i] - t[i]));
        }
        // The network also on a fine grid: XChart snaps ticks to the x values when every series shares the data's.
        double[] grid = grid(x[0], x[n - 1]);
        Figures.lines(List.of(
                new Figures.LinePanel(title + " and fit", "x", "y",
                        List.of(new Figures.Series("data", x, t), new Figures.Series("network", grid, outputs(net, grid))), false),
                new Figures.LinePanel("absolute error", "x", "|fit - data|",
                        List.of(new Figures.Series("error", x, err)), true)), png, svg);
    }

    /** The data beside one fit per label (e.g. each method's median model), all in one panel. */
    public static void fits(List<Network> nets, List<String> labels, Dataset data, String title, Path png, Path svg)
            throws IOException {
        double[][] sorted = sortedByX(data);
        List<Figures.Series> series = new ArrayList<>();
        series.add(new Figures.Series("data", sorted[0], sorted[1]));
        double[] grid = grid(sorted[0][0], sorted[0][sorted[0].length - 1]);
        for (int k = 0; k < nets.size(); k++) {
            series.add(new Figures.Series(labels.get(k), grid, outputs(nets.get(k), grid)));
        }
        Figures.lines(List.of(new Figures.LinePanel(title, "x", "y", series, false)), png, svg);
    }

    /** The samples' x and y, in x order. */
    private static double[][] sortedByX(Dataset data) {
        int n = data.size();
        float[] xs = data.features().data();
        float[] ys = data.targets().data();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> xs[i]));
        double[][] xy = new double[2][n];
        for (int i = 0; i < n; i++) {
            xy[0][i] = xs[order[i]];
            xy[1][i] = ys[order[i]];
        }
        return xy;
    }

    /** One panel per hidden layer with its units' outputs (after the ReLU) over [lo, hi]. */
    public static void waves(Network net, double lo, double hi, Path png, Path svg) throws IOException {
        double[] x = grid(lo, hi);
        float[] xs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xs[i] = (float) x[i];
        }
        Tape tape = new Tape();
        tape.setGradEnabled(false);
        List<Figures.LinePanel> panels = new ArrayList<>();
        String[] names = {"Sum", "A", "B", "C"};
        net.forward(tape, Var.constant(Tensor.of(xs, 1, x.length)), p -> {
            if (p.output()) {
                return;
            }
            List<Figures.Series> series = new ArrayList<>();
            float[] g = p.value().value().data();
            for (int u = 0; u < p.units(); u++) {
                double[] h = new double[x.length];
                for (int s = 0; s < x.length; s++) {
                    h[s] = Math.max(0, g[p.index(u, s, 0)]);
                }
                series.add(new Figures.Series(p.units() == 4 ? names[u] : "unit " + u, x, h));
            }
            panels.add(new Figures.LinePanel("hidden layer " + p.layer(), "x", "output", series, false));
        });
        Figures.lines(panels, png, svg);
    }

    private static double[] grid(double lo, double hi) {
        double[] x = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = lo + (hi - lo) * i / (POINTS - 1);
        }
        return x;
    }

    private static double[] outputs(Network net, double[] x) {
        float[] xs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xs[i] = (float) x[i];
        }
        Tensor y = net.predict(Tensor.of(xs, x.length, 1));
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = y.data()[i];
        }
        return out;
    }
}
