package org.relume.checkpoint;

/**
 * Thrown out of a training run that was asked to stop (Ctrl-C, SIGTERM) after its checkpoint was
 * written, so that the command can report where it stopped and exit; the run itself is not a
 * failure, it can be resumed.
 */
public final class TrainingInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final int batches;

    public TrainingInterruptedException(int epoch, int batch, int batches) {
        super("training interrupted at epoch " + (epoch + 1) + ", batch " + (batch + 1) + " of " + batches);
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
    }

    /** The 0-based epoch in progress. */
    public int epoch() {
        return epoch;
    }

    /** The 0-based batch just trained. */
    public int batch() {
        return batch;
    }

    public int batches() {
        return batches;
    }
}
