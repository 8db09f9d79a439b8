package org.relume.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network, batch and loss of one benchmark training step, whatever asked for it: a named
 * {@link Workload} or a point of {@code relume bench --scaling} (a plain MLP of any width and depth,
 * named {@code mlp-wWIDTH-dDEPTH}). The Python peers parse the same names (bench/peer_common.py), so
 * every side builds the same network from the name alone, in its own process.
 *
 * @param width         units (dense) or channels (convolutional) of every hidden layer
 * @param depth         hidden layers
 * @param loss          {@code mse}, {@code ce} (softmax cross-entropy) or {@code bce+jumpstart}
 * @param convolutional 3 x 3 'same' convolutions over {@link #IMAGE} instead of dense layers
 */
public record Shape(String id, int inputs, int width, int depth, int outputs, int batch, String loss,
                   boolean convolutional) {

    /** The convolutional shapes' image (channels, height, width) and kernel side. */
    static final int[] IMAGE = {1, 28, 28};
    static final int KERNEL = 3;

    /** Inputs, outputs and batch of the scaling MLPs: those of the thin workloads. */
    static final int MLP_INPUTS = 2;
    static final int MLP_OUTPUTS = 1;
    static final int MLP_BATCH = 85;

    private static final Pattern MLP_NAME = Pattern.compile("mlp-w([1-9][0-9]*)-d([1-9][0-9]*)");

    /** A thin-workload MLP (2 inputs, 1 output, batch 85, MSE) with {@code depth} hidden layers of {@code width}. */
    public static Shape mlp(int width, int depth) {
        if (width < 1 || depth < 1) {
            throw new IllegalArgumentException("an MLP needs width and depth >= 1, got width " + width + ", depth " + depth);
        }
        return new Shape("mlp-w" + width + "-d" + depth, MLP_INPUTS, width, depth, MLP_OUTPUTS, MLP_BATCH, "mse", false);
    }

    /** A workload's name, or an MLP's {@code mlp-wWIDTH-dDEPTH}. */
    public static Shape byName(String name) {
        Matcher m = MLP_NAME.matcher(name);
        if (m.matches()) {
            return mlp(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return Workload.byName(name).shape();
    }

    /** Like {@code 2 -> 60 x 3 -> 1, batch 85, mse}. */
    public String describe() {
        if (convolutional) {
            return String.format(Locale.ROOT, "%dx%dx%d -> %d x conv%dx%d same (%d ch) -> flatten -> %d, batch %d, softmax CE",
                    IMAGE[0], IMAGE[1], IMAGE[2], depth, KERNEL, KERNEL, width, outputs, batch);
        }
        return String.format(Locale.ROOT, "%d -> %d x %d -> %d, batch %d, %s", inputs, depth, width, outputs, batch,
                loss.equals("bce+jumpstart") ? "BCE + jumpstart l1 (lambda 1e-4)" : loss.equals("ce") ? "softmax CE" : "MSE");
    }

    /**
     * Multiply-add FLOPs (2 per multiply-add) of one training step's matrix products and
     * convolutions: the forward pass, and the backward pass to the weights and to the inputs of every
     * layer but the first. A convolution counts every tap, the zero padding's too, as frameworks do.
     */
    public double stepFlops() {
        double forward = 0;
        double firstLayer = 0;
        int prev = convolutional ? IMAGE[0] : inputs;
        for (int i = 0; i < depth; i++) {
            double layer = convolutional ? 2.0 * batch * IMAGE[1] * IMAGE[2] * width * prev * KERNEL * KERNEL
                    : 2.0 * batch * prev * width;
            firstLayer = i == 0 ? layer : firstLayer;
            forward += layer;
            prev = width;
        }
        int features = convolutional ? prev * IMAGE[1] * IMAGE[2] : prev;
        forward += 2.0 * batch * features * outputs;
        return forward + forward + (forward - firstLayer);
    }
}
