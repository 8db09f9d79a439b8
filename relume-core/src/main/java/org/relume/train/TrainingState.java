package org.relume.train;

import org.relume.data.Dataset;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;

/**
 * What a listener may see of a run in progress: the network (which a growth step may replace
 * between epochs), the optimizer, the data, the epoch (0-based, the one just finished in
 * onEpochEnd/onLog), the number of optimizer steps taken, and, for checkpoints, the whole
 * {@link #progress()}. A listener may ask the run to stop after the current epoch.
 */
public final class TrainingState {
    private Network network;
    private final Optimizer optimizer;
    private final Dataset train;
    private final Dataset validation;
    private final int epochs;
    int epoch;
    long steps;
    boolean networkReplaced;
    boolean stopRequested;
    int nextBatch;
    double lossSum;
    double taskSum;
    double[] penaltySums = new double[0];
    int seen;
    TrainingHistory history = new TrainingHistory();
    double secondsBefore;
    long startNanos = System.nanoTime();

    TrainingState(Network network, Optimizer optimizer, Dataset train, Dataset validation, int epochs) {
        this.network = network;
        this.optimizer = optimizer;
        this.train = train;
        this.validation = validation;
        this.epochs = epochs;
    }

    public Network network() {
        return network;
    }

    /** Replaces the network being trained (a growth step); takes effect from the next batch. */
    public void replaceNetwork(Network newNetwork) {
        if (newNetwork.inputSize() != network.inputSize() || newNetwork.outputSize() != network.outputSize()) {
            throw new IllegalArgumentException("a replacement network must keep " + network.inputSize()
                    + " inputs and " + network.outputSize() + " outputs");
        }
        this.network = newNetwork;
        this.networkReplaced = true;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Dataset train() {
        return train;
    }

    /** The validation set, possibly empty. */
    public Dataset validation() {
        return validation;
    }

    public int epoch() {
        return epoch;
    }

    public int epochs() {
        return epochs;
    }

    public long steps() {
        return steps;
    }

    /** The rows logged so far. */
    public TrainingHistory history() {
        return history;
    }

    /** Training time so far, including the time before a resume. */
    public double seconds() {
        return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** Stops the run after the current epoch's end (its listeners and logged row); e.g. early stopping. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Where the run stands now; meaningful between batches (in onBatchEnd, onEpochEnd and onLog). */
    public TrainingProgress progress() {
        return new TrainingProgress(epoch, nextBatch, steps, lossSum, taskSum, penaltySums, seen, history.rows(), seconds());
    }
}
