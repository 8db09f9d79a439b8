package org.relume.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.io.Json;
import org.relume.tensor.Var;

/**
 * Do the peers train the same thing? A timing comparison means little if a peer's network, loss or
 * optimizer differs, so before timing Relume writes, per workload, its initial parameters and its
 * data to {@code check-NAME.json}; each peer loads them into its own network (PyTorch's shapes),
 * runs a few Adam steps from there and reports its losses, which must match Relume's to float32
 * rounding.
 */
final class Agreement {
    private Agreement() {}

    /** Steps of the check: enough for Adam's moments and the bias correction to take part. */
    static final int STEPS = 3;

    /**
     * Relative loss difference above which a peer is flagged: float32 rounding over a few steps
     * stays near 1e-6, while a different loss, initialization order or optimizer setting moves the
     * losses by 1e-3 or more.
     */
    static final double TOLERANCE = 1e-4;

    /**
     * Writes every workload's check file into {@code dir} and returns Relume's own losses of
     * {@link #STEPS} steps from the same start.
     */
    static Map<String, List<Double>> prepare(List<Workload> workloads, Path dir, long seed) throws IOException {
        Map<String, List<Double>> losses = new LinkedHashMap<>();
        for (Workload w : workloads) {
            Problem p = Problem.of(w, seed);
            Json.write(dir.resolve("check-" + w.id() + ".json"), checkFile(p));
            List<Double> mine = new ArrayList<>();
            for (int i = 0; i < STEPS; i++) {
                mine.add((double) p.run());
            }
            losses.put(w.id(), mine);
        }
        return losses;
    }

    private static Map<String, Object> checkFile(Problem p) {
        List<Map<String, Object>> params = new ArrayList<>();
        for (Var v : p.network().parameters()) {
            params.add(Map.of("name", v.name(), "shape", v.value().shape(), "values", v.value().toArray()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", p.shape().id());
        m.put("batch", p.shape().batch());
        m.put("steps", STEPS);
        m.put("params", params);
        m.put("x", p.x());
        if (p.labels() != null) {
            m.put("labels", p.labels());
        } else {
            m.put("targets", p.targets());
        }
        return m;
    }

    /** The largest |peer - relume| / |relume| over the steps; NaN when either side has no losses. */
    static double maxRelativeDifference(List<Double> relume, List<Double> peer) {
        if (relume == null || peer == null || relume.isEmpty() || peer.size() != relume.size()) {
            return Double.NaN;
        }
        double worst = 0;
        for (int i = 0; i < relume.size(); i++) {
            double r = relume.get(i);
            worst = Math.max(worst, Math.abs(peer.get(i) - r) / Math.max(Math.abs(r), 1e-30));
        }
        return worst;
    }
}
