package org.relume.blocks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Layer;
import org.relume.nn.NormActivation;
import org.relume.nn.Stage;
import org.relume.nn.StageStates;
import org.relume.tensor.CombinationOps;
import org.relume.tensor.CombinationOps.Combination;
import org.relume.tensor.ConcatOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * One layer of an AGD-Net dense block (Li et al., eq. 21):
 * <pre>
 *   z_{k+1} = sum_{j=0..k} alpha^j_{k+1} T_j(z_j) + beta (z_k - sum_{j=0..k} h^j_{k+1} z_j)
 * </pre>
 * with T_j = BN-ReLU-conv of {@code growth} maps, each computed once by layer j and reused by every
 * later layer (as AGD2 reuses T_j(x_j), eq. 13), learnable alpha (1 at the start: DenseNet's value,
 * Li et al. Table 3), h from eq. 5 and beta = 0.1. h^0_{k+1} = 0 for k >= 1 and the bracket is
 * z_0 - z_0 = 0 for k = 0, so the momentum term never touches z_0, whose channel count differs
 * from the growth rate. As in DenseNet the block's state is the concatenation [z_0, ..., z_k]: the
 * next transition reads every z_j. Both choices are reconstructions (REFERENCES.md §7.3).
 */
public final class AgdDenseStage implements Stage {
    /** The paper's momentum weight (Section 6.2). */
    public static final double BETA = 0.1;

    private final int position;
    private final NormActivation norm;
    private final Layer conv;
    private final Coefficients alpha;
    private final double beta;
    private final float[] momentum;
    private final Combination sum;
    private final int stateSize;

    private AgdDenseStage(int position, int stateSize, Layer norm, Layer conv, Coefficients alpha, double beta) {
        if (!(norm instanceof NormActivation n) || n.outputSize() != conv.inputSize()) {
            throw new IllegalArgumentException("an AGD-Net layer's T is batch norm, an activation and a convolution"
                    + " reading its output, got " + norm + " and " + conv);
        }
        DenseStage.requireSameResolution(conv);
        if (alpha.size() != position + 1) {
            throw new IllegalArgumentException("AGD-Net layer " + position + " needs " + (position + 1)
                    + " coefficients alpha_0..alpha_k, got " + alpha.size());
        }
        if (!Double.isFinite(beta)) {
            throw new IllegalArgumentException("AGD-Net's beta must be finite, got " + beta);
        }
        if (position == 0 ? stateSize != n.inputSize() : stateSize <= n.inputSize() + (position - 1) * conv.outputSize()) {
            throw new IllegalArgumentException("AGD-Net layer " + position + ": a state of " + stateSize
                    + " features cannot hold z_0.." + "z_" + position + " of " + n.inputSize() + " features each after z_0");
        }
        this.position = position;
        this.stateSize = stateSize;
        this.norm = n;
        this.conv = conv;
        this.alpha = alpha;
        this.beta = beta;
        this.momentum = momentumWeights(position, beta);
        this.sum = new Combination(2 * position + 2);
    }

    /**
     * Layer k of a block, alpha starting at 1.
     *
     * @param stateSize the features of x_k = [z_0..z_k] (z_0's count plus k times the growth maps)
     */
    public static AgdDenseStage create(int position, int stateSize, Layer norm, Layer conv, double beta,
                                       boolean learnable) {
        double[] ones = new double[position + 1];
        Arrays.fill(ones, 1.0);
        return new AgdDenseStage(position, stateSize, norm, conv, Coefficients.of(learnable, ones), beta);
    }

    static AgdDenseStage fromConfig(int position, int stateSize, List<Layer> layers, double[] alpha, double beta,
                                    boolean learnable) {
        return new AgdDenseStage(position, stateSize, layers.get(0), layers.get(1), Coefficients.of(learnable, alpha), beta);
    }

    @Override public String type() { return "agdnet"; }

    @Override public int position() { return position; }

    @Override public List<Layer> layers() { return List.of(norm, conv); }

    @Override public List<Var> coefficients() { return alpha.vars(); }

    /** The whole state x_k = [z_0..z_k]; T_k reads only z_k, its last maps. */
    @Override public int inputSize() { return stateSize; }

    @Override public int outputSize() { return inputSize() + conv.outputSize(); }

    public float alpha(int j) {
        return alpha.value(j);
    }

    public double beta() {
        return beta;
    }

    /**
     * The weights of z_1..z_k in the momentum term, beta (delta_jk - h^j_{k+1}), rounded to float
     * once: what the tape and the ONNX export both use. h^0_{k+1} = 0 for k >= 1 (eq. 5), and the
     * whole term vanishes for k = 0, so z_0 never appears.
     */
    public float[] momentumWeights() {
        return momentum.clone();
    }

    private static float[] momentumWeights(int k, double beta) {
        double[] h = ThetaSequence.h(k + 1);
        if (k > 0 && h[0] != 0) {
            throw new IllegalStateException("h^0_" + (k + 1) + " = " + h[0] + " would mix z_0 into the momentum term");
        }
        float[] w = new float[k];
        for (int j = 1; j <= k; j++) {
            w[j - 1] = (float) (beta * ((j == k ? 1 : 0) - h[j]));
        }
        return w;
    }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        Var zk = states.side(k);
        states.setT(k, run.apply(tape, 1, run.apply(tape, 0, zk)));
        alpha.begin(sum);
        for (int j = 0; j <= k; j++) {
            alpha.add(sum, j, states.t(j));
        }
        for (int j = 1; j <= k; j++) {
            sum.add(momentum[j - 1], states.side(j));
        }
        Var next = CombinationOps.combine(tape, sum);
        states.setSide(k + 1, next);
        return ConcatOps.rows(tape, states.x(k), next);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.put("position", position);
        m.put("coefficients", alpha.values());
        m.put("learnable", alpha.learnable());
        m.put("beta", beta);
        m.put("input", stateSize);
        return m;
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new AgdDenseStage(position, stateSize, copiedLayers.get(0), copiedLayers.get(1), alpha.copy(), beta);
    }

    @Override
    public String toString() {
        return "AgdNet(k=" + position + ", beta=" + beta + ", " + norm + ", " + conv + ")";
    }
}
