package org.relume.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * One report of what the geometry package knows about a network (behind {@code relume analyze}):
 * the unit and point states of every hidden layer on the data (jumpstart paper, Definitions 1-2),
 * the exact number of linear regions over a box for 1-D and 2-D inputs, and for a shallow ReLU
 * net the Sobolev semi-norm and the degeneracies of Berner, Elbrächter, Grohs (eqs. 21, C.1-C.3).
 *
 * <p>The box is the data's range per input when data are given, else [-1, 1]^d (in the network's
 * own input space, i.e. after any stored standardization).
 */
public final class NetworkAnalysis {
    private NetworkAnalysis() {}

    /**
     * What the analysis found.
     *
     * @param report    JSON-ready fields
     * @param lines     a human-readable summary, one finding per line
     * @param regions2d the exact 2-D regions (for a picture), or null unless the input is 2-D
     */
    public record Result(Map<String, Object> report, List<String> lines, LinearRegions2D.Result regions2d) {}

    /**
     * Analyzes {@code network}.
     *
     * @param samples the data in the network's input space [n, inputs], or null
     */
    public static Result analyze(Network network, Tensor samples) {
        network.requireChain("the parametrization analysis (linear regions, degeneracies, Sobolev semi-norm)");
        int d = network.inputSize();
        if (samples != null && (samples.rank() != 2 || samples.cols() != d)) {
            throw new IllegalArgumentException("the network takes " + d + " inputs but the data have "
                    + (samples.rank() == 2 ? samples.cols() : samples.shapeString()) + " features");
        }
        Map<String, Object> report = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        report.put("architecture", network.architecture());
        report.put("inputs", d);
        report.put("outputs", network.outputSize());
        report.put("hidden_layers", network.hiddenLayerCount());
        double[] lo = new double[d];
        double[] hi = new double[d];
        box(samples, lo, hi);
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("lo", lo);
        box.put("hi", hi);
        box.put("source", samples == null ? "[-1, 1]^d (no data)" : "the data's range per input");
        report.put("box", box);
        lines.add("network  " + network.architecture() + ", " + network.hiddenLayerCount() + " hidden layer(s)");
        lines.add("box      " + describeBox(lo, hi) + (samples == null ? " ([-1, 1]^d: no data given)" : " (the data's range)"));

        if (samples != null) {
            UnitPointStates.Report states = UnitPointStates.analyze(network, samples);
            report.put("unit_point_states", states.describe());
            for (UnitPointStates.LayerStates l : states.layers()) {
                lines.add("states   " + l);
            }
            // "dead" here is dead on these samples; the degeneracy line below also counts dead everywhere.
            lines.add("states   " + states.summary() + " (on the " + samples.rows() + " data samples)");
        } else {
            report.put("unit_point_states", null);
            lines.add("states   not computed: unit and point states need data (--data)");
        }

        LinearRegions2D.Result regions2d = null;
        Map<String, Object> regions = new LinkedHashMap<>();
        try {
            if (d == 1) {
                int pieces = LinearRegions1D.count(network, lo[0], hi[0]);
                regions.put("method", "exact, 1-D breakpoints followed layer by layer (LinearRegions1D)");
                regions.put("function_pieces", pieces);
                lines.add("regions  " + pieces + " linear pieces on [" + fmt(lo[0]) + ", " + fmt(hi[0]) + "] (exact)");
            } else if (d == 2) {
                regions2d = LinearRegions2D.analyze(network, lo[0], hi[0], lo[1], hi[1]);
                regions.put("method", "exact, polygons cut by every unit's line layer by layer (LinearRegions2D)");
                regions.put("activation_regions", regions2d.activationRegions());
                regions.put("function_pieces", regions2d.functionPieces());
                lines.add("regions  " + regions2d.activationRegions() + " activation regions, " + regions2d.functionPieces()
                        + " function pieces on the box (exact)");
            } else {
                regions.put("computed", false);
                regions.put("reason", "exact region counts are implemented for 1-D and 2-D inputs; this network has " + d);
                lines.add("regions  not computed: exact counts for 1-D and 2-D inputs only");
            }
        } catch (IllegalArgumentException ex) {
            regions.put("computed", false);
            regions.put("reason", ex.getMessage());
            lines.add("regions  not computed: " + ex.getMessage());
        }
        report.put("linear_regions", regions);

        if (BiasedShallowNet.isShallow(network)) {
            report.put("shallow", shallow(BiasedShallowNet.fromNetwork(network), samples, lines));
        } else {
            report.put("shallow", null);
            lines.add("shallow  not a one-hidden-layer ReLU net: no Sobolev semi-norm or degeneracy report");
        }
        return new Result(report, lines, regions2d);
    }

    private static Map<String, Object> shallow(BiasedShallowNet net, Tensor samples, List<String> lines) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean biasFree = net.isBiasFree();
        m.put("bias_free", biasFree);
        SobolevSeminorm.Estimate sob = biasFree ? SobolevSeminorm.of(net.withoutBiases()) : SobolevSeminorm.of(net);
        m.put("sobolev_seminorm", sob.describe());
        double[][] data = samples == null ? null : toRows(samples);
        Degeneracies.Report deg = biasFree ? Degeneracies.of(net.withoutBiases(), Degeneracies.DEFAULT_TOLERANCE, data)
                : Degeneracies.of(net, Degeneracies.DEFAULT_TOLERANCE, data);
        m.put("degeneracies", deg.describe());
        m.put("degeneracies_of", biasFree ? "the directions a_i" : "the directions (a_i, b_i) (the net has biases)");
        boolean restricted = biasFree && Degeneracies.inRestrictedSpace(net.withoutBiases(), Degeneracies.DEFAULT_TOLERANCE);
        m.put("in_restricted_space", restricted);
        lines.add(String.format(Locale.ROOT, "sobolev  |R|_W1,inf = %.6g (%s)", sob.value(), sob.method()));
        lines.add("degen    " + deg.summary() + (biasFree ? "" : " [of (a_i, b_i)]"));
        lines.add("N*       " + (restricted ? "in the restricted space N* (balanced, no redundancy, last two coordinates > 0)"
                : "not in N*" + (biasFree ? "" : " (biased; relume canonicalize --restricted converts it)")));
        return m;
    }

    private static double[][] toRows(Tensor samples) {
        int n = samples.rows();
        int d = samples.cols();
        double[][] rows = new double[n][d];
        float[] x = samples.data();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                rows[i][k] = x[i * d + k];
            }
        }
        return rows;
    }

    /** The data's range per input (a zero-width range widened by 0.5 each way), or [-1, 1]. */
    static void box(Tensor samples, double[] lo, double[] hi) {
        int d = lo.length;
        if (samples == null || samples.rows() == 0) {
            Arrays.fill(lo, -1);
            Arrays.fill(hi, 1);
            return;
        }
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        float[] x = samples.data();
        for (int i = 0; i < samples.rows(); i++) {
            for (int k = 0; k < d; k++) {
                lo[k] = Math.min(lo[k], x[i * d + k]);
                hi[k] = Math.max(hi[k], x[i * d + k]);
            }
        }
        for (int k = 0; k < d; k++) {
            if (!(hi[k] > lo[k])) {
                lo[k] -= 0.5;
                hi[k] += 0.5;
            }
        }
    }

    private static String describeBox(double[] lo, double[] hi) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < lo.length && k < 4; k++) {
            sb.append(k == 0 ? "" : " x ").append('[').append(fmt(lo[k])).append(", ").append(fmt(hi[k])).append(']');
        }
        if (lo.length > 4) {
            sb.append(" x ... (").append(lo.length).append(" inputs)");
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
