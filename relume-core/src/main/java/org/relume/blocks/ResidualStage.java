package org.relume.blocks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Activations;
import org.relume.nn.Layer;
import org.relume.nn.Stage;
import org.relume.nn.StageStates;
import org.relume.tensor.CombinationOps;
import org.relume.tensor.CombinationOps.Combination;
import org.relume.tensor.PointwiseOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * A convolutional unit of ResNet and HB-Net (Li et al., eq. 16 and Section 6.1; He et al. 2016 for
 * the unit): T = conv-BN-ReLU then conv-BN, two ordinary layers, and
 * <pre>
 *   entry (position 0):  x_1     = relu(T(x_0) + P(x_0))
 *   k >= 1:              x_{k+1} = relu(T(x_k) + b1 x_k + b2 x_{k-1})
 * </pre>
 * ResNet is b1 = 1, b2 = 0 and HB-Net b1 = 1, b2 = -1. The entry unit of each block downsamples
 * (stride 2 in T's first convolution) and P is then a 1x1 stride-2 convolution with BN (ResNet's
 * projection shortcut), else the identity. Inside a block the heavy-ball recursion starts at the
 * entry's output, the first state of the block's resolution: x_{k-1} for k = 1 is x_1, so the
 * first HB-Net unit after the entry is x_2 = relu(T(x_1)), as x_{-1} = x_0 gives the heavy ball
 * its zero initial momentum. The ReLU after the sum follows ResNet; the paper does not say where
 * HB-Net's activation goes (REFERENCES.md lists this among our reconstructions).
 */
public final class ResidualStage implements Stage {
    private final int position;
    private final Layer first;
    private final Layer second;
    private final Layer projection;
    private final Coefficients c;
    private final PointwiseFunction relu = Activations.relu();
    private final Combination sum = new Combination(3);

    /**
     * @param projection the shortcut's 1x1 convolution of an entry unit whose shape changes, or null
     * @param b1, b2     the weights of x_k and x_{k-1} for k >= 1 (the entry unit ignores them)
     */
    public ResidualStage(int position, Layer first, Layer second, Layer projection, double b1, double b2,
                         boolean learnable) {
        this(position, first, second, projection, Coefficients.of(learnable, b1, b2));
    }

    private ResidualStage(int position, Layer first, Layer second, Layer projection, Coefficients c) {
        if (first.outputSize() != second.inputSize()) {
            throw new IllegalArgumentException("a residual unit's second layer expects " + second.inputSize()
                    + " inputs but its first produces " + first.outputSize());
        }
        if (projection == null && first.inputSize() != second.outputSize()) {
            throw new IllegalArgumentException("a residual unit that changes the size (" + first.inputSize() + " -> "
                    + second.outputSize() + ") needs a projection shortcut");
        }
        if (projection != null && (position != 0 || projection.inputSize() != first.inputSize()
                || projection.outputSize() != second.outputSize())) {
            throw new IllegalArgumentException("only a block's entry unit (position 0) has a projection, mapping "
                    + first.inputSize() + " to " + second.outputSize());
        }
        if (position > 0 && first.inputSize() != second.outputSize()) {
            throw new IllegalArgumentException("a residual unit inside a block keeps the size, got " + first.inputSize()
                    + " -> " + second.outputSize());
        }
        this.position = position;
        this.first = first;
        this.second = second;
        this.projection = projection;
        this.c = c;
    }

    @Override public String type() { return "residual"; }

    @Override public int position() { return position; }

    @Override
    public List<Layer> layers() {
        return projection == null ? List.of(first, second) : List.of(first, second, projection);
    }

    @Override public List<Var> coefficients() { return c.vars(); }

    @Override public int inputSize() { return first.inputSize(); }

    @Override public int outputSize() { return second.outputSize(); }

    /** The shortcut weights for k >= 1: (b1, b2). */
    public float coefficient(int i) {
        return c.value(i);
    }

    @Override
    public Var forward(Tape tape, StageStates states, LayerRunner run) {
        int k = states.k();
        Var xk = states.x(k);
        Var t = run.apply(tape, 1, run.apply(tape, 0, xk));
        if (k == 0) {
            Var skip = projection == null ? xk : run.apply(tape, 2, xk);
            sum.begin(null).add(1f, t).add(1f, skip);
        } else {
            c.begin(sum).add(1f, t);
            c.add(sum, 0, xk);
            c.add(sum, 1, states.x(Math.max(1, k - 1)));
        }
        return PointwiseOps.apply(tape, CombinationOps.combine(tape, sum), relu);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.put("position", position);
        m.put("coefficients", c.values());
        m.put("learnable", c.learnable());
        m.put("projection", projection != null);
        return m;
    }

    @Override
    public Stage copy(List<Layer> copiedLayers) {
        return new ResidualStage(position, copiedLayers.get(0), copiedLayers.get(1),
                projection == null ? null : copiedLayers.get(2), c.copy());
    }

    /** Rebuilds a unit from its model-file config; {@code coefficients} are (b1, b2). */
    static ResidualStage fromConfig(int position, List<Layer> layers, double[] coefficients, boolean learnable) {
        List<Layer> l = new ArrayList<>(layers);
        return new ResidualStage(position, l.get(0), l.get(1), l.size() > 2 ? l.get(2) : null, coefficients[0],
                coefficients[1], learnable);
    }

    @Override
    public String toString() {
        return "Residual(k=" + position + ", b1=" + c.value(0) + ", b2=" + c.value(1)
                + (projection != null ? ", projection" : "") + ")";
    }
}
