package org.relume.loss;

import java.util.Locale;
import org.relume.data.Batch;
import org.relume.data.Task;
import org.relume.tensor.LossOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * The task losses, applied to a network's raw outputs (logits) for a feature-major batch:
 * mean squared error, binary cross-entropy on logits, softmax cross-entropy. Each is the mean over
 * the batch (see {@link LossOps} for the formulas and gradients).
 */
public enum Loss {
    MSE("mse"),
    BINARY_CROSS_ENTROPY("bce"),
    SOFTMAX_CROSS_ENTROPY("softmax_ce");

    private final String id;

    Loss(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The natural loss for a task: BCE for binary, softmax CE for multiclass, MSE for regression. */
    public static Loss forTask(Task task) {
        return switch (task) {
            case BINARY -> BINARY_CROSS_ENTROPY;
            case MULTICLASS -> SOFTMAX_CROSS_ENTROPY;
            case REGRESSION -> MSE;
        };
    }

    public static Loss byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Loss l : values()) {
            if (l.id.equals(n) || l.name().toLowerCase(Locale.ROOT).equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; known: mse, bce, softmax_ce");
    }

    /** The loss of {@code output} ([outputs, batch]) on {@code batch}, as a scalar on the tape. */
    public Var apply(Tape tape, Var output, Batch batch) {
        return switch (this) {
            case MSE -> LossOps.mse(tape, output, batch.y());
            case BINARY_CROSS_ENTROPY -> LossOps.bceWithLogits(tape, output, batch.y());
            case SOFTMAX_CROSS_ENTROPY -> LossOps.softmaxCrossEntropy(tape, output, batch.labels());
        };
    }
}
