package org.relume.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark workloads, identical on every side of {@code relume bench} (bench/peer_common.py
 * defines the same for the Python peers): input, hidden widths, outputs, batch and loss of one Adam
 * training step. The CNN workloads take 1 x 28 x 28 images through 3 x 3 'same' convolutions of
 * {@code width} channels, then flatten into the dense output layer.
 */
public enum Workload {
    THIN("thin", 2, 3, 60, 1, 85, "mse"),
    TINY("tiny", 2, 25, 50, 1, 85, "mse"),
    MOONS_JUMPSTART("moons-jumpstart", 2, 3, 30, 1, 85, "bce+jumpstart"),
    MEDIUM("medium", 784, 512, 4, 10, 256, "ce"),
    THIN_CNN("thin-cnn", 784, 4, 20, 10, 128, "ce"),
    WIDE_CNN("wide-cnn", 784, 16, 8, 10, 128, "ce");

    /** The CNN workloads' image (channels, height, width) and kernel side. */
    static final int[] IMAGE = {1, 28, 28};
    static final int KERNEL = 3;

    private final String id;
    final int inputs;
    final int width;
    final int depth;
    final int outputs;
    final int batch;
    final String loss;

    Workload(String id, int inputs, int width, int depth, int outputs, int batch, String loss) {
        this.id = id;
        this.inputs = inputs;
        this.width = width;
        this.depth = depth;
        this.outputs = outputs;
        this.batch = batch;
        this.loss = loss;
    }

    public String id() {
        return id;
    }

    public int batch() {
        return batch;
    }

    public boolean convolutional() {
        return this == THIN_CNN || this == WIDE_CNN;
    }

    /** Steps that cost tens of milliseconds or more, which a profile times fewer of. */
    public boolean heavy() {
        return this == MEDIUM || convolutional();
    }

    /** Like {@code 2 -> 60 x 3 -> 1, batch 85, mse}. */
    public String describe() {
        if (convolutional()) {
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
        int prev = convolutional() ? IMAGE[0] : inputs;
        for (int i = 0; i < depth; i++) {
            double layer = convolutional() ? 2.0 * batch * IMAGE[1] * IMAGE[2] * width * prev * KERNEL * KERNEL
                    : 2.0 * batch * prev * width;
            firstLayer = i == 0 ? layer : firstLayer;
            forward += layer;
            prev = width;
        }
        int features = convolutional() ? prev * IMAGE[1] * IMAGE[2] : prev;
        forward += 2.0 * batch * features * outputs;
        return forward + forward + (forward - firstLayer);
    }

    public static Workload byName(String name) {
        for (Workload w : values()) {
            if (w.id.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Workload::id).toList()));
    }

    public static List<Workload> all() {
        return List.of(values());
    }
}
