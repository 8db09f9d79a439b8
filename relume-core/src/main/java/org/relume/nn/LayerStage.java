package org.relume.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * The plain stage x_{k+1} = T(x_k) (Li et al. eq. 7, the gradient-descent structure): one layer
 * reading only the latest state. It starts a block of its own, so a structured network can put an
 * input projection (stem) and an output layer (head) around its blocks.
 */
public final class LayerStage implements Stage {
    private final Layer layer;

    public LayerStage(Layer layer) {
        this.layer = layer;
    }

    @Override public String type() { return "layer"; }

    @Override public int position() { return 0; }

    @Override public List<Layer> layers() { return List.of(layer); }

    @Override public List<Var> coefficients() { return List.of(); }

    @Override public int inputSize() { return layer.inputSize(); }

    @Override public int outputSize() { return layer.outputSize(); }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        return run.apply(tape, 0, states.x(states.k()));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type());
        return c;
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new LayerStage(copiedLayers.get(0));
    }

    @Override
    public String toString() {
        return "LayerStage(" + layer + ")";
    }
}
