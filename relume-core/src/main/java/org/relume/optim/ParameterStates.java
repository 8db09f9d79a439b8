package org.relume.optim;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.tensor.Var;

/**
 * Per-parameter optimizer buffers, keyed by Var identity, with a fast path when the parameter
 * list is the same as last step (the common case: no map lookups, no allocation).
 */
final class ParameterStates {
    private final int buffers;
    private final Map<Var, float[][]> byVar = new IdentityHashMap<>();
    private Var[] lastParams = new Var[0];
    private float[][][] lastStates = new float[0][][];

    ParameterStates(int buffersPerParameter) {
        this.buffers = buffersPerParameter;
    }

    /** The buffers of params.get(i), aligned with the list; sized to each parameter's numel. */
    float[][][] align(List<Var> params) {
        int n = params.size();
        boolean same = n == lastParams.length;
        for (int i = 0; same && i < n; i++) {
            Var v = params.get(i);
            same = v == lastParams[i] && lastStates[i][0].length == v.value().numel();
        }
        if (same) {
            return lastStates;
        }
        lastParams = params.toArray(new Var[0]);
        lastStates = new float[n][][];
        for (int i = 0; i < n; i++) {
            Var v = lastParams[i];
            float[][] s = byVar.get(v);
            if (s == null || s[0].length != v.value().numel()) {
                s = new float[buffers][v.value().numel()];
                byVar.put(v, s);
            }
            lastStates[i] = s;
        }
        return lastStates;
    }

    /** The buffers of one parameter if it has any state, else null (for surgery to carry state over). */
    float[][] get(Var v) {
        return byVar.get(v);
    }

    void put(Var v, float[][] state) {
        byVar.put(v, state);
        lastParams = new Var[0];
    }

    /** Rebuilds one parameter's buffers for a new size, copying old entries by {@code sourceIndex}. */
    void remap(Var v, int[] sourceIndex) {
        float[][] old = byVar.get(v);
        if (old == null) {
            return;
        }
        float[][] fresh = new float[buffers][sourceIndex.length];
        for (int b = 0; b < buffers; b++) {
            for (int e = 0; e < sourceIndex.length; e++) {
                int src = sourceIndex[e];
                if (src >= 0) {
                    if (src >= old[b].length) {
                        throw new IllegalArgumentException("state index " + src + " out of range for a parameter of "
                                + old[b].length + " elements");
                    }
                    fresh[b][e] = old[b][src];
                }
            }
        }
        byVar.put(v, fresh);
        lastParams = new Var[0];
    }

    /** Every named parameter's buffers (copies), for a checkpoint. */
    Map<String, float[][]> export(Map<String, Var> parameters) {
        Map<String, float[][]> out = new LinkedHashMap<>();
        parameters.forEach((name, v) -> {
            float[][] s = byVar.get(v);
            if (s != null) {
                out.put(name, s);
            }
        });
        return out;
    }

    /** Replaces all state by {@code saved}, by name; sizes are checked against the parameters. */
    void load(Map<String, float[][]> saved, Map<String, Var> parameters, String kind) {
        for (Map.Entry<String, float[][]> e : saved.entrySet()) {
            Var v = parameters.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException(kind + " state names parameter '" + e.getKey() + "', which the network lacks");
            }
            float[][] b = e.getValue();
            if (b.length != buffers || Arrays.stream(b).anyMatch(x -> x.length != v.value().numel())) {
                throw new IllegalArgumentException(kind + " state of '" + e.getKey() + "' does not fit its "
                        + v.value().numel() + " elements");
            }
        }
        clear();
        saved.forEach((name, b) -> byVar.put(parameters.get(name), OptimizerState.deepCopy(b)));
    }

    void clear() {
        byVar.clear();
        lastParams = new Var[0];
        lastStates = new float[0][][];
    }

    void remove(Var v) {
        byVar.remove(v);
        lastParams = new Var[0];
    }
}
