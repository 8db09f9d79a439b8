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
 * The Nesterov (AGD) structure (Li et al., eq. 12 and its relaxed form eq. 17):
 * x_{k+1} = T_k(b1 x_k + b2 x_{k-1}), with x_{-1} = x_0. Eq. 12 takes b1 = 1 + beta_k and
 * b2 = -beta_k from the theta sequence ({@link ThetaSequence#beta}); eq. 17 allows any constants.
 */
public final class NesterovStage extends OneOperatorStage {
    private final Combination sum = new Combination(2);

    public NesterovStage(int position, Layer t, double b1, double b2, boolean learnable) {
        this(position, t, Coefficients.of(learnable, b1, b2));
    }

    /** Eq. 12: the momentum beta_k of Nesterov's iteration (3) at layer k. */
    public static NesterovStage theta(int position, Layer t, boolean learnable) {
        double beta = ThetaSequence.beta(position);
        return new NesterovStage(position, t, 1 + beta, -beta, learnable);
    }

    private NesterovStage(int position, Layer t, Coefficients c) {
        super("Nesterov", position, t, c);
    }

    @Override public String type() { return "agd"; }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        Var xk = states.x(k);
        Var input;
        if (!c.learnable() && c.value(0) == 1f && c.value(1) == 0f) {
            input = xk;
        } else {
            c.begin(sum);
            c.add(sum, 0, xk);
            c.add(sum, 1, states.xOrFirst(k - 1));
            input = CombinationOps.combine(tape, sum);
        }
        return run.apply(tape, 0, input);
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new NesterovStage(position, copiedLayers.get(0), c.copy());
    }

    @Override
    public String toString() {
        return "AGD(k=" + position + ", b1=" + c.value(0) + ", b2=" + c.value(1) + ", " + t + ")";
    }
}
