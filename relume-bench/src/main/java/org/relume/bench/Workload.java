package org.relume.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The benchmark workloads, identical on every side of {@code relume bench} (bench/peer_common.py
 * defines the same for the Python peers): input, hidden widths, outputs, batch and loss of one Adam
 * training step. The CNN workloads take 1 x 28 x 28 images through 3 x 3 'same' convolutions of
 * {@code width} channels, then flatten into the dense output layer (see {@link Shape}).
 */
public enum Workload {
    THIN("thin", 2, 3, 60, 1, 85, "mse"),
    TINY("tiny", 2, 25, 50, 1, 85, "mse"),
    MOONS_JUMPSTART("moons-jumpstart", 2, 3, 30, 1, 85, "bce+jumpstart"),
    MEDIUM("medium", 784, 512, 4, 10, 256, "ce"),
    THIN_CNN("thin-cnn", 784, 4, 20, 10, 128, "ce"),
    WIDE_CNN("wide-cnn", 784, 16, 8, 10, 128, "ce");

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

    /** The network, batch and loss this workload trains. */
    public Shape shape() {
        return new Shape(id, inputs, width, depth, outputs, batch, loss, convolutional());
    }

    /** Like {@code 2 -> 60 x 3 -> 1, batch 85, mse}. */
    public String describe() {
        return shape().describe();
    }

    /** See {@link Shape#stepFlops()}. */
    public double stepFlops() {
        return shape().stepFlops();
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
