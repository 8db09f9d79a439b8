package org.relume.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's state between two steps, by parameter name: its kind ("adam", "sgd"), its step
 * count (Adam's bias correction depends on it) and each parameter's buffers (Adam's two moments,
 * SGD's momentum). A checkpoint saves it so that a resumed run steps exactly as the uninterrupted
 * one would; parameters without state yet are absent.
 */
public record OptimizerState(String kind, long steps, Map<String, float[][]> buffers) {
    public OptimizerState {
        Map<String, float[][]> copy = new LinkedHashMap<>();
        buffers.forEach((name, b) -> copy.put(name, deepCopy(b)));
        buffers = copy;
    }

    static float[][] deepCopy(float[][] b) {
        float[][] c = new float[b.length][];
        for (int i = 0; i < b.length; i++) {
            c[i] = b[i].clone();
        }
        return c;
    }
}
