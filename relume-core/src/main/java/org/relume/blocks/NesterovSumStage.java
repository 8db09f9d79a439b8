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
 * The second Nesterov structure, AGD2 (Li et al., eq. 13 and its relaxed form eq. 18):
 * x_{k+1} = sum_j alpha_j T_j(x_j) + sum_j beta_j x_j over j = 0..k. Each T_j(x_j) is computed once,
 * by layer j, and reused by every later layer of the block. Eq. 13 takes alpha_j = h_{k+1,j} of
 * eq. 5 and beta_j = [j = k] - h_{k+1,j}; eq. 18 allows constants or learned values.
 * Coefficient i &lt; k + 1 is alpha_i, coefficient k + 1 + j is beta_j.
 */
public final class NesterovSumStage extends OneOperatorStage {
    private final Combination sum;

    private NesterovSumStage(int position, Layer t, Coefficients c) {
        super("AGD2", position, t, c);
        if (c.size() != 2 * (position + 1)) {
            throw new IllegalArgumentException("AGD2 layer " + position + " needs " + 2 * (position + 1)
                    + " coefficients (alpha_0..alpha_k, beta_0..beta_k), got " + c.size());
        }
        this.sum = new Combination(c.size());
    }

    /** Given alpha_0..alpha_k then beta_0..beta_k. */
    public static NesterovSumStage of(int position, Layer t, double[] coefficients, boolean learnable) {
        return new NesterovSumStage(position, t, Coefficients.of(learnable, coefficients));
    }

    /** Eq. 13: alpha_j = h_{k+1,j}, beta_j = [j = k] - h_{k+1,j}. */
    public static NesterovSumStage fromH(int position, Layer t, boolean learnable) {
        double[] h = ThetaSequence.h(position + 1);
        double[] v = new double[2 * (position + 1)];
        for (int j = 0; j <= position; j++) {
            v[j] = h[j];
            v[position + 1 + j] = (j == position ? 1 : 0) - h[j];
        }
        return of(position, t, v, learnable);
    }

    /** Eq. 18 with constants: alpha_j = alpha for every j, beta_k = beta, the other beta_j = 0. */
    public static NesterovSumStage constant(int position, Layer t, double alpha, double beta, boolean learnable) {
        double[] v = new double[2 * (position + 1)];
        for (int j = 0; j <= position; j++) {
            v[j] = alpha;
        }
        v[2 * position + 1] = beta;
        return of(position, t, v, learnable);
    }

    @Override public String type() { return "agd2"; }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        states.setT(k, run.apply(tape, 0, states.x(k)));
        c.begin(sum);
        for (int j = 0; j <= k; j++) {
            c.add(sum, j, states.t(j));
        }
        for (int j = 0; j <= k; j++) {
            c.add(sum, k + 1 + j, states.x(j));
        }
        return CombinationOps.combine(tape, sum);
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new NesterovSumStage(position, copiedLayers.get(0), c.copy());
    }

    @Override
    public String toString() {
        return "AGD2(k=" + position + ", " + t + ")";
    }
}
