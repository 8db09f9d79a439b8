package org.relume.geometry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Dead, linear and nonlinear units and points of a ReLU network on a data set, as defined in the
 * jumpstart paper (Riera et al., Definitions 1 and 2; REFERENCES.md §1). With g the preactivation
 * and h = relu(g), a unit is "on" for a sample when g &gt; 0:
 * <ul>
 *   <li>unit j of layer l is <em>dead</em> if it is off for every sample, <em>linear</em> if it is
 *       on for every sample, else <em>nonlinear</em>; a layer is dead (linear) if all its units are;</li>
 *   <li>sample x is a <em>dead point</em> at layer l if every unit of l is off for it (h^l(x) = 0),
 *       a <em>linear point</em> if every unit is on, else nonlinear.</li>
 * </ul>
 * Only hidden layers are analyzed. A dead layer makes the network constant on the data; a point
 * dead at any layer gets a constant output and no gradient below that layer.
 */
public final class UnitPointStates {
    private UnitPointStates() {}

    /** The states of one hidden layer; index arrays are sorted. */
    public record LayerStates(int layer, int units, int samples, int[] deadUnits, int[] linearUnits,
                              int[] deadPoints, int[] linearPoints) {
        public int nonlinearUnits() {
            return units - deadUnits.length - linearUnits.length;
        }

        public int nonlinearPoints() {
            return samples - deadPoints.length - linearPoints.length;
        }

        public boolean isDead() {
            return deadUnits.length == units;
        }

        public boolean isLinear() {
            return linearUnits.length == units;
        }

        @Override
        public String toString() {
            return "layer " + layer + ": units dead " + deadUnits.length + ", linear " + linearUnits.length
                    + ", nonlinear " + nonlinearUnits() + " of " + units + "; points dead " + deadPoints.length
                    + ", linear " + linearPoints.length + ", nonlinear " + nonlinearPoints() + " of " + samples
                    + (isDead() ? " (dead layer)" : isLinear() ? " (linear layer)" : "");
        }
    }

    /** The states of every hidden layer, and totals. */
    public record Report(List<LayerStates> layers, int samples, int deadPointsAnyLayer) {

        public int deadUnits() {
            return layers.stream().mapToInt(l -> l.deadUnits().length).sum();
        }

        public int linearUnits() {
            return layers.stream().mapToInt(l -> l.linearUnits().length).sum();
        }

        public int nonlinearUnits() {
            return layers.stream().mapToInt(LayerStates::nonlinearUnits).sum();
        }

        public int deadLayers() {
            return (int) layers.stream().filter(LayerStates::isDead).count();
        }

        public int linearLayers() {
            return (int) layers.stream().filter(LayerStates::isLinear).count();
        }

        /** Index of the first dead hidden layer, or -1. */
        public int firstDeadLayer() {
            for (LayerStates l : layers) {
                if (l.isDead()) {
                    return l.layer();
                }
            }
            return -1;
        }

        /** Totals as metric columns: dead/linear/nonlinear units, dead points (at any layer), dead/linear layers. */
        public Map<String, Double> columns() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("dead_units", (double) deadUnits());
            m.put("linear_units", (double) linearUnits());
            m.put("nonlinear_units", (double) nonlinearUnits());
            m.put("dead_points", (double) deadPointsAnyLayer);
            m.put("dead_layers", (double) deadLayers());
            m.put("linear_layers", (double) linearLayers());
            return m;
        }

        /** A JSON-friendly description: totals and, per layer, counts and index lists. */
        public Map<String, Object> describe() {
            // Counts stay integers here (columns() is for the all-double metrics rows).
            Map<String, Object> m = new LinkedHashMap<>();
            columns().forEach((k, v) -> m.put(k, v.longValue()));
            m.put("samples", samples);
            List<Map<String, Object>> per = new ArrayList<>();
            for (LayerStates l : layers) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("layer", l.layer());
                d.put("units", l.units());
                d.put("dead_units", l.deadUnits());
                d.put("linear_units", l.linearUnits());
                d.put("nonlinear_units", l.nonlinearUnits());
                d.put("dead_points", l.deadPoints().length);
                d.put("linear_points", l.linearPoints().length);
                d.put("nonlinear_points", l.nonlinearPoints());
                d.put("dead_layer", l.isDead());
                d.put("linear_layer", l.isLinear());
                per.add(d);
            }
            m.put("layers", per);
            return m;
        }

        /** One line of totals, e.g. for a run summary. */
        public String summary() {
            return deadUnits() + " dead, " + linearUnits() + " linear, " + nonlinearUnits() + " nonlinear units; "
                    + deadPointsAnyLayer + " of " + samples + " points dead at some layer; "
                    + (deadLayers() == 0 ? "no dead layer" : deadLayers() + " dead layer(s), first at layer " + firstDeadLayer());
        }
    }

    /** Analyzes {@code network} on sample-major {@code samples} [n, inputs]. */
    public static Report analyze(Network network, Tensor samples) {
        samples.requireRank(2);
        if (samples.cols() != network.inputSize()) {
            throw new IllegalArgumentException("network takes " + network.inputSize() + " inputs, samples have "
                    + samples.cols() + " features");
        }
        int hidden = network.hiddenLayerCount();
        int n = samples.rows();
        int in = samples.cols();
        boolean[][] everOn = new boolean[hidden][];
        boolean[][] everOff = new boolean[hidden][];
        int[][] onCount = new int[hidden][n];
        for (int l = 0; l < hidden; l++) {
            // A convolution's units are its channels, each over its H x W positions.
            // A pooling layer has no units (its sink entry never comes).
            int u = network.layer(l).hasPreactivation() ? network.layer(l).outputSize() / network.layer(l).spatial() : 0;
            everOn[l] = new boolean[u];
            everOff[l] = new boolean[u];
        }
        Tape tape = new Tape();
        tape.setGradEnabled(false);
        int chunk = network.inferenceChunk();
        for (int start = 0; start < n; start += chunk) {
            int b = Math.min(chunk, n - start);
            Tensor x = Tensor.zeros(in, b);
            for (int s = 0; s < b; s++) {
                for (int f = 0; f < in; f++) {
                    x.data()[f * b + s] = samples.data()[(start + s) * in + f];
                }
            }
            tape.reset();
            final int offset = start;
            network.forward(tape, Var.constant(x), p -> {
                if (!p.output()) {
                    record(p, everOn[p.layer()], everOff[p.layer()], onCount[p.layer()], offset);
                }
            });
        }
        List<LayerStates> layers = new ArrayList<>(hidden);
        boolean[] deadSomewhere = new boolean[n];
        for (int l = 0; l < hidden; l++) {
            if (!network.layer(l).hasPreactivation()) {
                continue; // pooling: no units, so nothing can be dead or linear there
            }
            int u = everOn[l].length;
            List<Integer> dead = new ArrayList<>();
            List<Integer> linear = new ArrayList<>();
            for (int j = 0; j < u; j++) {
                if (!everOn[l][j]) {
                    dead.add(j);
                } else if (!everOff[l][j]) {
                    linear.add(j);
                }
            }
            List<Integer> deadPts = new ArrayList<>();
            List<Integer> linearPts = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                if (onCount[l][s] == 0) {
                    deadPts.add(s);
                    deadSomewhere[s] = true;
                } else if (onCount[l][s] == u) {
                    linearPts.add(s);
                }
            }
            layers.add(new LayerStates(l, u, n, toArray(dead), toArray(linear), toArray(deadPts), toArray(linearPts)));
        }
        int deadAny = 0;
        for (boolean d : deadSomewhere) {
            if (d) {
                deadAny++;
            }
        }
        return new Report(List.copyOf(layers), n, deadAny);
    }

    private static void record(Preactivation p, boolean[] everOn, boolean[] everOff, int[] onCount, int offset) {
        float[] g = p.value().value().data();
        for (int u = 0; u < p.units(); u++) {
            for (int s = 0; s < p.samples(); s++) {
                boolean on = false;
                for (int q = 0; q < p.spatial(); q++) {
                    if (g[p.index(u, s, q)] > 0f) {
                        on = true;
                        break;
                    }
                }
                if (on) {
                    everOn[u] = true;
                    onCount[offset + s]++;
                } else {
                    everOff[u] = true;
                }
            }
        }
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Human-readable per-layer lines. */
    public static String format(Report r) {
        StringBuilder sb = new StringBuilder();
        for (LayerStates l : r.layers()) {
            sb.append(l).append('\n');
        }
        return sb.append(r.summary()).append('\n').toString();
    }
}
