package org.relume.blocks;

import java.util.List;
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
public final class HeavyBallStage extends OneOperatorStage {
    private final Combination sum = new Combination(3);

    public HeavyBallStage(int position, Layer t, double b1, double b2, boolean learnable) {
        this(position, t, Coefficients.of(learnable, b1, b2));
    }

    private HeavyBallStage(int position, Layer t, Coefficients c) {
        super("heavy-ball", position, t, c);
    }

    @Override public String type() { return "hb"; }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        Var xk = states.x(k);
        Var tk = run.apply(tape, 0, xk);
        c.begin(sum).add(1f, tk);
        c.add(sum, 0, xk);
        c.add(sum, 1, states.xOrFirst(k - 1));
        return CombinationOps.combine(tape, sum);
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new HeavyBallStage(position, copiedLayers.get(0), c.copy());
    }

    @Override
    public String toString() {
        return "HB(k=" + position + ", b1=" + c.value(0) + ", b2=" + c.value(1) + ", " + t + ")";
    }
}
