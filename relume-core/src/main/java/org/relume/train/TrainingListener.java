package org.relume.train;

import java.util.Map;

/**
 * Observes (and, for techniques such as growth, may act on) a training run. All methods have empty
 * defaults. Called on the training thread.
 */
public interface TrainingListener {

    default void onStart(TrainingState state) {}

    /**
     * After every optimizer step, with the batch's index within the epoch (0-based), the epoch's
     * number of batches and the batch's total loss: for progress within long epochs (image data).
     */
    default void onBatchEnd(TrainingState state, int batch, int batches, float loss) {}

    /** After every epoch, with the epoch's mean training loss (task loss + penalties). */
    default void onEpochEnd(TrainingState state, double epochLoss) {}

    /** True if this listener wants a history row after the given (0-based) epoch, besides the regular ones. */
    default boolean wantsLog(int epoch) {
        return false;
    }

    /**
     * On logged epochs, with the row about to be recorded; a listener may add columns (e.g. unit
     * diagnostics) to {@code row}.
     */
    default void onLog(TrainingState state, Map<String, Double> row) {}

    /**
     * After the last epoch, or the epoch a stop was requested in, before the final evaluation: e.g.
     * early stopping puts its best weights back here, so that the reported metrics are theirs.
     */
    default void onTrainingEnd(TrainingState state) {}

    default void onEnd(TrainingState state) {}
}
