package org.relume.blocks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Conv2d;
import org.relume.nn.Layer;
import org.relume.nn.NormActivation;
import org.relume.nn.Stage;
import org.relume.nn.StageStates;
import org.relume.tensor.ConcatOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * One layer of a DenseNet dense block (Huang et al. 2017, eq. 2; Li et al., eq. 19):
 * z_{k+1} = T([z_0, ..., z_k]) with T = BN-ReLU-conv of {@code growth} output maps. The stage's
 * state is the concatenation itself, x_k = [z_0, ..., z_k], so it reads only x_k and returns
 * x_{k+1} = [x_k, T(x_k)]; the last layer's state is what the transition reads. Li et al. call
 * this AGD-Net's (eq. 18) special case alpha = 1, beta = 0 (their Table 3).
 */
public final class DenseStage implements Stage {
    private final int position;
    private final NormActivation norm;
    private final Layer conv;

    public DenseStage(int position, Layer norm, Layer conv) {
        if (!(norm instanceof NormActivation n)) {
            throw new IllegalArgumentException("a dense layer starts with batch norm and an activation, got " + norm);
        }
        if (n.outputSize() != conv.inputSize() || conv.outputSize() % n.spatial() != 0) {
            throw new IllegalArgumentException("a dense layer's convolution must read the " + n.outputSize()
                    + " normalized features at the same resolution, got " + conv);
        }
        requireSameResolution(conv);
        this.position = position;
        this.norm = n;
        this.conv = conv;
    }

    /** A dense layer's maps are concatenated with its input's, so its convolution must keep H x W. */
    static void requireSameResolution(Layer conv) {
        if (!(conv instanceof Conv2d c) || c.geometry().outHeight() != c.geometry().height()
                || c.geometry().outWidth() != c.geometry().width()) {
            throw new IllegalArgumentException("a dense layer's T ends in a convolution that keeps the maps' size (stride 1,"
                    + " same padding), got " + conv);
        }
    }

    @Override public String type() { return "dense"; }

    @Override public int position() { return position; }

    @Override public List<Layer> layers() { return List.of(norm, conv); }

    @Override public List<Var> coefficients() { return List.of(); }

    @Override public int inputSize() { return norm.inputSize(); }

    @Override public int outputSize() { return norm.inputSize() + conv.outputSize(); }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        Var x = states.x(states.k());
        return ConcatOps.rows(tape, x, run.apply(tape, 1, run.apply(tape, 0, x)));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.put("position", position);
        return m;
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new DenseStage(position, copiedLayers.get(0), copiedLayers.get(1));
    }

    @Override
    public String toString() {
        return "Dense(k=" + position + ", " + norm + ", " + conv + ")";
    }
}
