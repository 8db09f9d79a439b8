package org.relume.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark workloads, identical on both sides of {@code relume bench} (bench/pytorch_bench.py
 * defines the same): input, hidden widths, outputs, batch and loss of one Adam training step.
 */
public enum Workload {
    THIN("thin", 2, 3, 60, 1, 85, "mse"),
    TINY("tiny", 2, 25, 50, 1, 85, "mse"),
    MOONS_JUMPSTART("moons-jumpstart", 2, 3, 30, 1, 85, "bce+jumpstart"),
    MEDIUM("medium", 784, 512, 4, 10, 256, "ce");

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

    /** Like {@code 2 -> 60 x 3 -> 1, batch 85, mse}. */
    public String describe() {
        return String.format(Locale.ROOT, "%d -> %d x %d -> %d, batch %d, %s", inputs, depth, width, outputs, batch,
                loss.equals("bce+jumpstart") ? "BCE + jumpstart l1 (lambda 1e-4)" : loss.equals("ce") ? "softmax CE" : "MSE");
    }

    /** Matrix-multiply FLOPs of one training step (forward, and backward to weights and inputs but the first layer's input). */
    public double stepGemmFlops() {
        double forward = 0;
        int prev = inputs;
        for (int i = 0; i < depth; i++) {
            forward += 2.0 * batch * prev * width;
            prev = width;
        }
        forward += 2.0 * batch * prev * outputs;
        double firstLayer = 2.0 * batch * inputs * width;
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
