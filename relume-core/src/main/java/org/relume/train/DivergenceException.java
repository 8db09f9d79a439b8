package org.relume.train;

/**
 * Training stopped because the loss (or a penalty) became NaN or infinite. Carries the history
 * logged before the failure so that callers can still write it.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient TrainingHistory history;

    public DivergenceException(String message, TrainingHistory history) {
        super(message);
        this.history = history;
    }

    public TrainingHistory history() {
        return history;
    }
}
