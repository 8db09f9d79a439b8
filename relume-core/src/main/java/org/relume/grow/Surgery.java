package org.relume.grow;

import java.util.ArrayList;
import java.util.List;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Function-preserving network surgery for growth (REFERENCES.md §4; GradMax, Evci et al. 2022;
 * grow by folding, Kang 2024): widen a hidden layer, and insert a layer that computes the identity.
 *
 * <p>Parameters that change size keep their {@link Var} identity: their values are replaced by the
 * resized tensors and the optimizer's state is remapped element by element, so existing weights keep
 * their momentum or Adam moments and the new entries start fresh. Untouched parameters are shared
 * with the original network, which should not be used afterwards.
 */
public final class Surgery {
    private Surgery() {}

    /**
     * Adds k units to hidden layer {@code layer}: incoming weights {@code inW} [k, in], biases
     * {@code inB} [k] (null for a bias-free layer) and outgoing weights {@code outW} [out', k] into
     * the next layer. The function is unchanged whenever the new units output zero on the data or
     * their outgoing weights are zero (e.g. zero incoming weights and biases with relu).
     *
     * @param optimizer the optimizer whose state to carry over, or null
     */
    public static Network widen(Network net, int layer, Tensor inW, Tensor inB, Tensor outW, Optimizer optimizer) {
        net.requireChain("growing a layer");
        if (layer < 0 || layer >= net.hiddenLayerCount()) {
            throw new IllegalArgumentException("can only widen a hidden layer (0.." + (net.hiddenLayerCount() - 1)
                    + "), got " + layer);
        }
        Dense here = dense(net, layer);
        Dense next = dense(net, layer + 1);
        int in = here.inputSize();
        int outNext = next.outputSize();
        int k = inW.rows();
        if (inW.rank() != 2 || inW.cols() != in) {
            throw new IllegalArgumentException("incoming weights must be [" + k + ", " + in + "], got " + inW.shapeString());
        }
        if (outW.rank() != 2 || outW.rows() != outNext || outW.cols() != k) {
            throw new IllegalArgumentException("outgoing weights must be [" + outNext + ", " + k + "], got " + outW.shapeString());
        }
        if (here.hasBias() != (inB != null) || (inB != null && inB.numel() != k)) {
            throw new IllegalArgumentException("new biases must be " + (here.hasBias() ? "[" + k + "]" : "absent (bias-free layer)"));
        }
        replaceAppendingRows(here.weight(), inW, optimizer);
        if (here.hasBias()) {
            replaceAppendingRows(here.bias(), inB, optimizer);
        }
        replaceAppendingColumns(next.weight(), outW, optimizer);
        return new Network(net.layers());
    }

    /** How an inserted layer computes the identity. */
    public enum IdentityMode {
        /** W = I, b = 0, relu: the identity on the non-negative outputs of a relu layer. */
        RELU_IDENTITY,
        /** W = [I; -I], b = 0, relu, and the next layer's weight W' becomes [W', -W']: relu(h) - relu(-h) = h. */
        PLUS_MINUS,
        /** RELU_IDENTITY after a relu layer, PLUS_MINUS elsewhere (after the input or another activation). */
        AUTO
    }

    /**
     * Inserts a layer before layer {@code position} (0 = right after the input; at most the output
     * layer's index) that computes the identity, so the network's function is unchanged
     * ("equivalent deepening").
     */
    public static Network insertIdentity(Network net, int position, IdentityMode mode, Optimizer optimizer) {
        net.requireChain("inserting an identity layer");
        if (position < 0 || position > net.hiddenLayerCount()) {
            throw new IllegalArgumentException("an identity layer goes before layer 0.." + net.hiddenLayerCount()
                    + ", got " + position);
        }
        int n = position == 0 ? net.inputSize() : net.layer(position - 1).outputSize();
        boolean afterRelu = position > 0 && isRelu(net.layer(position - 1).activation());
        IdentityMode m = mode == IdentityMode.AUTO ? (afterRelu ? IdentityMode.RELU_IDENTITY : IdentityMode.PLUS_MINUS) : mode;
        if (m == IdentityMode.RELU_IDENTITY && !afterRelu) {
            throw new IllegalArgumentException("W = I computes the identity only after a relu layer; use PLUS_MINUS here");
        }
        PointwiseFunction relu = hiddenRelu(net);
        List<Layer> layers = new ArrayList<>(net.layers());
        if (m == IdentityMode.RELU_IDENTITY) {
            Tensor eye = Tensor.zeros(n, n);
            for (int i = 0; i < n; i++) {
                eye.set(i, i, 1f);
            }
            layers.add(position, new Dense(eye, Tensor.zeros(n), relu));
            return new Network(layers);
        }
        Tensor pm = Tensor.zeros(2 * n, n);
        for (int i = 0; i < n; i++) {
            pm.set(i, i, 1f);
            pm.set(n + i, i, -1f);
        }
        Dense next = dense(net, position);
        int outNext = next.outputSize();
        Tensor nw = Tensor.zeros(outNext, 2 * n);
        int[] map = new int[outNext * 2 * n];
        float[] old = next.weight().value().data();
        for (int r = 0; r < outNext; r++) {
            for (int c = 0; c < n; c++) {
                nw.data()[r * 2 * n + c] = old[r * n + c];
                nw.data()[r * 2 * n + n + c] = -old[r * n + c];
                map[r * 2 * n + c] = r * n + c;
                map[r * 2 * n + n + c] = -1;
            }
        }
        replace(next.weight(), nw, map, optimizer);
        layers.add(position, new Dense(pm, Tensor.zeros(2 * n), relu));
        return new Network(layers);
    }

    /** The network with hidden layer {@code layer}'s activation replaced (same parameters). */
    public static Network withActivation(Network net, int layer, PointwiseFunction f) {
        List<Layer> layers = new ArrayList<>(net.layers());
        layers.set(layer, dense(net, layer).withActivation(f));
        return new Network(layers);
    }

    static boolean isRelu(PointwiseFunction f) {
        return f.name().equals("relu");
    }

    /** The relu of the network's first relu layer (keeping its derivative at 0), else relu'(0) = 0. */
    private static PointwiseFunction hiddenRelu(Network net) {
        for (int i = 0; i < net.hiddenLayerCount(); i++) {
            if (isRelu(net.layer(i).activation())) {
                return net.layer(i).activation();
            }
        }
        return PointwiseFunctions.relu(0f);
    }

    static Dense dense(Network net, int layer) {
        Layer l = net.layer(layer);
        if (!(l instanceof Dense d)) {
            throw new IllegalArgumentException("growth works on dense layers; layer " + layer + " is " + l.type());
        }
        return d;
    }

    /**
     * v's value with {@code extra}'s rows appended (a bias: its entries), new entries fresh in the
     * optimizer's state: a layer that gains units.
     */
    static void replaceAppendingRows(Var v, Tensor extra, Optimizer optimizer) {
        Tensor old = v.value();
        int n = old.numel();
        Tensor grown = old.rank() == 1 ? Tensor.zeros(n + extra.numel()) : Tensor.zeros(old.rows() + extra.rows(), old.cols());
        System.arraycopy(old.data(), 0, grown.data(), 0, n);
        System.arraycopy(extra.data(), 0, grown.data(), n, extra.numel());
        int[] map = new int[grown.numel()];
        for (int e = 0; e < map.length; e++) {
            map[e] = e < n ? e : -1;
        }
        replace(v, grown, map, optimizer);
    }

    /** v [r, c] with {@code extra} [r, c'] appended to every row: the layer reading units that were added. */
    static void replaceAppendingColumns(Var v, Tensor extra, Optimizer optimizer) {
        Tensor old = v.value();
        int rows = old.rows();
        int c = old.cols();
        int add = extra.cols();
        Tensor grown = Tensor.zeros(rows, c + add);
        int[] map = new int[rows * (c + add)];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c + add; j++) {
                int e = r * (c + add) + j;
                grown.data()[e] = j < c ? old.data()[r * c + j] : extra.data()[r * add + (j - c)];
                map[e] = j < c ? r * c + j : -1;
            }
        }
        replace(v, grown, map, optimizer);
    }

    private static void replace(Var v, Tensor value, int[] map, Optimizer optimizer) {
        v.setValue(value);
        if (optimizer != null) {
            optimizer.remapState(v, map);
        }
    }
}
