package org.relume.grow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.relume.data.Task;
import org.relume.loss.Loss;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;

/**
 * Growth as one value (REFERENCES.md §4): the method (a {@link GrowthMethod}, or folding), its
 * {@link GrowthSchedule}, the new outgoing weights' scale and, for folding, the equivalent
 * deepening after the last fold. {@code relume train --grow SPEC} reads it from one spec and
 * {@code relume grow} builds it from its options, so both attach the same listener and refuse the
 * same networks.
 */
public record GrowthPlan(String method, GrowthSchedule schedule, double scale, boolean deepen) {
    /** The spec's keys and their defaults, those of {@code relume grow}. */
    static final int DEFAULT_EVERY = 200;
    static final int DEFAULT_TIMES = 5;

    public GrowthPlan {
        method = method.trim().toLowerCase(Locale.ROOT);
        if (!method.equals("folding")) {
            GrowthMethod.byName(method);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("growth scale must be a positive number, got " + scale);
        }
        if (deepen && !method.equals("folding")) {
            throw new IllegalArgumentException("deepen follows the last fold: it applies to folding, not " + method);
        }
    }

    public boolean folding() {
        return method.equals("folding");
    }

    /**
     * Parses {@code METHOD[:every=N,times=K,units=U,start=S,layer=L,scale=X,deepen]}: METHOD is
     * gradmax, random, zeros, gradmax-opt or folding; L a hidden layer's index, round-robin or
     * largest; start defaults to every.
     */
    public static GrowthPlan parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String method = colon < 0 ? s : s.substring(0, colon);
        Map<String, String> keys = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String part : s.substring(colon + 1).split(",", -1)) {
                String[] kv = part.split("=", 2);
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                if (!java.util.List.of("every", "times", "units", "start", "layer", "scale", "deepen").contains(key)) {
                    throw new IllegalArgumentException("--grow: unknown key '" + key + "' in '" + spec
                            + "'; known: every, times, units, start, layer, scale, deepen");
                }
                if (keys.put(key, kv.length > 1 ? kv[1].trim() : "true") != null) {
                    throw new IllegalArgumentException("--grow: '" + key + "' given twice in '" + spec + "'");
                }
            }
        }
        if (method.trim().equalsIgnoreCase("folding")) {
            // A fold adds one unit where its two half-spaces meet; how many, where and how large is not a choice.
            for (String key : java.util.List.of("units", "layer", "scale")) {
                if (keys.containsKey(key)) {
                    throw new IllegalArgumentException("--grow folding: '" + key + "' does not apply (a fold adds one unit to"
                            + " the hidden layer, at the data's fold); use every, times, start or deepen");
                }
            }
        }
        int every = integer(keys, "every", DEFAULT_EVERY, spec);
        int times = integer(keys, "times", DEFAULT_TIMES, spec);
        int units = integer(keys, "units", 1, spec);
        int start = integer(keys, "start", every, spec);
        if (every <= 0 || units <= 0 || times < 0 || start < 0) {
            throw new IllegalArgumentException("--grow: every and units must be positive, times and start >= 0, in '"
                    + spec + "'");
        }
        double scale;
        try {
            scale = Double.parseDouble(keys.getOrDefault("scale", "1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grow: scale must be a number, got '" + keys.get("scale") + "'");
        }
        String deepen = keys.getOrDefault("deepen", "false");
        if (!deepen.equals("true") && !deepen.equals("false")) {
            throw new IllegalArgumentException("--grow: deepen takes no value (or true/false), got '" + deepen + "'");
        }
        GrowthSchedule schedule = GrowthSchedule.of(start, every, times, units, keys.getOrDefault("layer", "0"), 0, 0);
        return new GrowthPlan(method, schedule, scale, Boolean.parseBoolean(deepen));
    }

    private static int integer(Map<String, String> keys, String key, int fallback, String spec) {
        String v = keys.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grow: " + key + " must be a whole number, got '" + v + "' in '" + spec + "'");
        }
    }

    /**
     * Refuses, in one line, a network this plan cannot grow: folding wants one hidden layer and a
     * classification task; the others want dense relu layers (a new unit starts at relu(0) = 0,
     * which is what keeps the function), and a fixed layer that exists.
     */
    public void check(Network net, Task task) {
        if (!net.isChain()) {
            throw new IllegalArgumentException("growth grows plain layer chains (MLPs), not a " + net.structure() + " structure");
        }
        int hidden = net.hiddenLayerCount();
        for (int i = 0; i < net.layerCount(); i++) {
            Layer l = net.layer(i);
            if (!(l instanceof Dense)) {
                throw new IllegalArgumentException("growth here grows dense layers; layer " + i + " is " + l.type()
                        + " (relume grow --conv grows a thin CNN)");
            }
            if (i < hidden && !Surgery.isRelu(l.activation())) {
                throw new IllegalArgumentException("growth needs relu hidden units: a new unit starts at relu(0) = 0, which"
                        + " leaves the function unchanged; layer " + i + " uses " + l.activation().name());
            }
        }
        if (folding()) {
            if (hidden != 1) {
                throw new IllegalArgumentException("folding grows networks with one hidden layer; this one has " + hidden);
            }
            if (!task.isClassification()) {
                throw new IllegalArgumentException("folding needs a classification task, got " + task.id());
            }
        } else if (schedule.where() == GrowthSchedule.Where.FIXED && schedule.fixedLayer() >= hidden) {
            throw new IllegalArgumentException("growth: layer " + schedule.fixedLayer() + " is not a hidden layer (0.."
                    + (hidden - 1) + ")");
        }
    }

    /** The listener that carries the plan out; {@code seed} draws its random directions or folds. */
    public Growing listener(Loss loss, long seed) {
        if (folding()) {
            return new FoldingListener(schedule, deepen, seed);
        }
        return new GrowthListener(GrowthMethod.byName(method), schedule, new Growth.Settings(scale, 0, 10), loss, seed);
    }

    public String describe() {
        return method + ", " + schedule.describe() + (scale != 1 ? String.format(Locale.ROOT, ", scale %.3g", scale) : "")
                + (deepen ? ", deepened after the last fold" : "");
    }
}
