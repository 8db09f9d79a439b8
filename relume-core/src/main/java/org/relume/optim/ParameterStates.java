package org.relume.optim;

import java.util.IdentityHashMap;
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
