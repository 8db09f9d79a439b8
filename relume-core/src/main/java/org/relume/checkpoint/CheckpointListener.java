package org.relume.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Predicate;
import org.relume.nn.Network;
import org.relume.train.EarlyStopping;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * Saves a {@link Checkpoint} every N epochs and when the run is asked to stop, then stops it with a
 * {@link TrainingInterruptedException}. Both happen after a batch, the only moments at which the
 * whole state is a few arrays: a periodic checkpoint is taken after the last batch of every Nth
 * epoch (the resumed run redoes that epoch's end, which is deterministic), a stop after whatever
 * batch was running, so that a long epoch need not finish first.
 */
public final class CheckpointListener implements TrainingListener {
    /** Writes a checkpoint of the network (the caller knows the directory and the model's metadata). */
    @FunctionalInterface
    public interface Writer {
        void write(Network network, Checkpoint checkpoint) throws IOException;
    }

    private final int every;
    private final Predicate<TrainingState> stop;
    private final List<String> args;
    private final long batchSeed;
    private final EarlyStopping earlyStopping;
    private final Writer writer;
    private long saved;
    private String fingerprint;

    /**
     * @param every         save after every {@code every}th epoch (0: only when stopped)
     * @param stop          polled after every batch: true to save and stop
     * @param args          the command-line arguments that started the run, for the resume
     * @param batchSeed     the seed of the batch order
     * @param earlyStopping the run's early stopping, whose best weights go into the checkpoint, or null
     */
    public CheckpointListener(int every, Predicate<TrainingState> stop, List<String> args, long batchSeed,
                              EarlyStopping earlyStopping, Writer writer) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 epochs (0 = only when stopped), got " + every);
        }
        this.every = every;
        this.stop = stop;
        this.args = List.copyOf(args);
        this.batchSeed = batchSeed;
        this.earlyStopping = earlyStopping;
        this.writer = writer;
    }

    /** How many checkpoints this run has written. */
    public long saved() {
        return saved;
    }

    @Override
    public void onBatchEnd(TrainingState state, int batch, int batches, float loss) {
        boolean stopping = stop.test(state);
        boolean due = every > 0 && batch == batches - 1 && (state.epoch() + 1) % every == 0
                && state.epoch() < state.epochs() - 1;
        if (stopping || due) {
            save(state);
        }
        if (stopping) {
            throw new TrainingInterruptedException(state.epoch(), batch, batches);
        }
    }

    private void save(TrainingState state) {
        Network net = state.network();
        if (fingerprint == null) {
            fingerprint = state.train().fingerprint();
        }
        Checkpoint c = new Checkpoint(args, state.progress(), state.optimizer().saveState(net.namedParameters()), batchSeed,
                earlyStopping == null ? null : earlyStopping.best(), fingerprint);
        try {
            writer.write(net, c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint: " + e.getMessage(), e);
        }
        saved++;
    }
}
