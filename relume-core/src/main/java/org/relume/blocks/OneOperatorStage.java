package org.relume.blocks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Layer;
import org.relume.nn.Stage;
import org.relume.tensor.Var;

/**
 * What the heavy-ball, Nesterov and AGD2 stages share (Li et al., eqs. 11-13 and 16-18): one
 * operator T of constant width at position k of its block, and one coefficient vector. Subclasses
 * say how T and the earlier states combine.
 */
abstract class OneOperatorStage implements Stage {
    final int position;
    final Layer t;
    final Coefficients c;

    OneOperatorStage(String what, int position, Layer t, Coefficients c) {
        Structures.requireSquare(what, t);
        this.position = position;
        this.t = t;
        this.c = c;
    }

    @Override public int position() { return position; }

    @Override public List<Layer> layers() { return List.of(t); }

    @Override public List<Var> coefficients() { return c.vars(); }

    @Override public int inputSize() { return t.inputSize(); }

    @Override public int outputSize() { return t.outputSize(); }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.put("position", position);
        m.put("coefficients", c.values());
        m.put("learnable", c.learnable());
        return m;
    }
}
