package org.relume.blocks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.nn.Layer;
import org.relume.nn.Stage;
import org.relume.nn.StageStates;
import org.relume.tensor.CombinationOps;
import org.relume.tensor.CombinationOps.Combination;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * The two interacting paths of the ADMM-inspired structures (Li et al., eqs. 14 and 20), with a
 * side path x' beside the main path x, x'_0 = x_0, and the network's output on the main path.
 * <ul>
 *   <li>{@code admm}, linearized ADMM (eq. 14), with s_k = sum_{t=1..k} (x'_t - x_t):
 *       x'_{k+1} = (T'(x'_k) + x_k - s_k) / 2 and x_{k+1} = (T(x_k) + x'_{k+1} + s_k) / 2;</li>
 *   <li>{@code dmrnet}, eq. 20 with only the latest states (DMRNet: alpha = beta = 1/2):
 *       x'_{k+1} = T'(x'_k) + alpha x'_k + beta x_k and x_{k+1} = T(x_k) + alpha x'_k + beta x_k.</li>
 * </ul>
 * Each path has its own operator (T' is layer 0, T layer 1), as DMRNet's two branches do; eq. 14
 * writes one W for both, which a network with a different W per layer leaves open.
 */
public final class TwoPathStage implements Stage {
    private final boolean admm;
    private final int position;
    private final Layer side;
    private final Layer main;
    private final Coefficients c;
    private final Combination sideSum;
    private final Combination mainSum;
    private final Combination multiplierSum;

    private TwoPathStage(boolean admm, int position, Layer side, Layer main, Coefficients c) {
        Structures.requireSquare("two-path", side);
        Structures.requireSquare("two-path", main);
        if (side.inputSize() != main.inputSize()) {
            throw new IllegalArgumentException("the two paths need the same width, got " + side.inputSize()
                    + " and " + main.inputSize());
        }
        this.admm = admm;
        this.position = position;
        this.side = side;
        this.main = main;
        this.c = c;
        // One combination per path: the tape keeps each until backward, so they cannot be shared.
        this.sideSum = new Combination(3);
        this.mainSum = new Combination(3);
        this.multiplierSum = new Combination(3);
    }

    /** Eq. 14. */
    public static TwoPathStage admm(int position, Layer side, Layer main) {
        return new TwoPathStage(true, position, side, main, Coefficients.of(false, 0.5));
    }

    /** Eq. 20 on the latest states; DMRNet is alpha = beta = 1/2. */
    public static TwoPathStage dmr(int position, Layer side, Layer main, double alpha, double beta, boolean learnable) {
        return new TwoPathStage(false, position, side, main, Coefficients.of(learnable, alpha, beta));
    }

    @Override public String type() { return admm ? "admm" : "dmrnet"; }

    @Override public int position() { return position; }

    @Override public List<Layer> layers() { return List.of(side, main); }

    @Override public List<Var> coefficients() { return c.vars(); }

    @Override public int inputSize() { return main.inputSize(); }

    @Override public int outputSize() { return main.outputSize(); }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        Var sideK = states.side(k);
        Var xk = states.x(k);
        Var tSide = run.apply(tape, 0, sideK);
        Var tMain = run.apply(tape, 1, xk);
        return admm ? admmStep(tape, states, k, xk, tSide, tMain) : dmrStep(tape, states, k, sideK, xk, tSide, tMain);
    }

    private Var admmStep(Tape tape, StageStates states, int k, Var xk, Var tSide, Var tMain) {
        Var s = states.carried(k);
        sideSum.begin(null).add(0.5f, tSide).add(0.5f, xk);
        mainSum.begin(null).add(0.5f, tMain);
        if (s != null) {
            sideSum.add(-0.5f, s);
            mainSum.add(0.5f, s);
        }
        Var sideNext = CombinationOps.combine(tape, sideSum);
        states.setSide(k + 1, sideNext);
        mainSum.add(0.5f, sideNext);
        Var next = CombinationOps.combine(tape, mainSum);
        // s_{k+1} = s_k + x'_{k+1} - x_{k+1}, kept for the next layer.
        multiplierSum.begin(null).add(1f, sideNext).add(-1f, next);
        if (s != null) {
            multiplierSum.add(1f, s);
        }
        states.setCarried(k + 1, CombinationOps.combine(tape, multiplierSum));
        return next;
    }

    private Var dmrStep(Tape tape, StageStates states, int k, Var sideK, Var xk, Var tSide, Var tMain) {
        c.begin(sideSum).add(1f, tSide);
        c.add(sideSum, 0, sideK);
        c.add(sideSum, 1, xk);
        Var sideNext = CombinationOps.combine(tape, sideSum);
        states.setSide(k + 1, sideNext);
        c.begin(mainSum).add(1f, tMain);
        c.add(mainSum, 0, sideK);
        c.add(mainSum, 1, xk);
        return CombinationOps.combine(tape, mainSum);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.put("position", position);
        if (!admm) {
            m.put("coefficients", c.values());
            m.put("learnable", c.learnable());
        }
        return m;
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new TwoPathStage(admm, position, copiedLayers.get(0), copiedLayers.get(1), c.copy());
    }

    @Override
    public String toString() {
        return type().toUpperCase(Locale.ROOT) + "(k=" + position + ", " + main + ")";
    }
}
