package org.relume.blocks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Layer;
import org.relume.nn.Stage;
import org.relume.nn.StageStates;
import org.relume.tensor.CombinationOps;
import org.relume.tensor.CombinationOps.Combination;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * The heavy-ball structure (Li et al., eq. 11 and its relaxed form eq. 16):
 * x_{k+1} = T_k(x_k) + b1 x_k + b2 x_{k-1}, with x_{-1} = x_0. The simulation's HB uses
 * b1 = beta, b2 = -beta (eq. 11); ResNet is b1 = 1, b2 = 0 and HB-Net b1 = 1, b2 = -1 (eq. 16).
 */
public final class HeavyBallStage implements Stage {
    private final int position;
    private final Layer t;
    private final Coefficients b;
    private final Combination sum = new Combination(3);

    public HeavyBallStage(int position, Layer t, double b1, double b2, boolean learnable) {
        this(position, t, Coefficients.of(learnable, b1, b2));
    }

    private HeavyBallStage(int position, Layer t, Coefficients b) {
        Structures.requireSquare("heavy-ball", t);
        this.position = position;
        this.t = t;
        this.b = b;
    }

    @Override public String type() { return "hb"; }

    @Override public int position() { return position; }

    @Override public List<Layer> layers() { return List.of(t); }

    @Override public List<Var> coefficients() { return b.vars(); }

    @Override public int inputSize() { return t.inputSize(); }

    @Override public int outputSize() { return t.outputSize(); }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        Var xk = states.x(k);
        Var tk = run.apply(tape, 0, xk);
        b.begin(sum).add(1f, tk);
        b.add(sum, 0, xk);
        b.add(sum, 1, states.xOrFirst(k - 1));
        return CombinationOps.combine(tape, sum);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type());
        c.put("position", position);
        c.put("coefficients", b.values());
        c.put("learnable", b.learnable());
        return c;
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new HeavyBallStage(position, copiedLayers.get(0), b.copy());
    }

    @Override
    public String toString() {
        return "HB(k=" + position + ", b1=" + b.value(0) + ", b2=" + b.value(1) + ", " + t + ")";
    }
}
