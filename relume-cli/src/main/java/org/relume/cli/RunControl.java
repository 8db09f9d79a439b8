package org.relume.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.relume.checkpoint.Checkpoint;
import org.relume.checkpoint.CheckpointListener;
import org.relume.checkpoint.TrainingInterruptedException;
import org.relume.data.Dataset;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.nn.Network;
import org.relume.train.EarlyStopping;
import org.relume.train.TrainConfig;

/**
 * What lets a {@code relume train} run survive interruption, kept out of TrainCommand: early
 * stopping, checkpoints into {@code --out} (every N epochs and on Ctrl-C or SIGTERM), and the
 * state a resumed run takes from its checkpoint. One instance per run; close it after training
 * to give the signals back.
 */
final class RunControl implements AutoCloseable {
    private final EarlyStopping earlyStopping;
    private final Checkpoint resumed;
    private final ModelFiles.SavedModel resumedModel;
    private StopSignal signal;
    private Path out;

    /**
     * @param earlyStop    patience in epochs, 0 for none
     * @param resumed      the checkpoint this run continues, or null
     * @param resumedModel its weights, or null
     */
    RunControl(int earlyStop, Checkpoint resumed, ModelFiles.SavedModel resumedModel) {
        this.earlyStopping = earlyStop > 0 ? new EarlyStopping(earlyStop) : null;
        this.resumed = resumed;
        this.resumedModel = resumedModel;
    }

    EarlyStopping earlyStopping() {
        return earlyStopping;
    }

    /**
     * Adds early stopping and, with an output directory, the checkpoint listener and the signal
     * handlers to {@code cfg}; on a resumed run, puts the checkpoint's weights, optimizer state and
     * position into {@code net} and {@code cfg}.
     */
    void attach(TrainConfig cfg, Network net, Dataset train, long batchSeed, Path outDir, int checkpointEvery,
                List<String> args, ModelMetadata meta) {
        if (earlyStopping != null) {
            cfg.listener(earlyStopping);
        }
        if (resumed != null) {
            if (!resumed.dataFingerprint().equals(train.fingerprint())) {
                throw new IllegalArgumentException("the training data differ from the checkpoint's (fingerprint "
                        + train.fingerprint() + ", saved " + resumed.dataFingerprint() + "); resume with the same data");
            }
            restore(cfg, net, batchSeed);
        }
        if (outDir != null) {
            out = outDir;
            signal = StopSignal.install();
            StopSignal s = signal;
            cfg.listener(new CheckpointListener(checkpointEvery, state -> s.raised(state.steps()), args, batchSeed,
                    earlyStopping, (n, c) -> ModelDirectory.replace(outDir, dir -> c.write(dir, n, meta))));
        }
    }

    private void restore(TrainConfig cfg, Network net, long batchSeed) {
        Network saved = resumedModel.network();
        if (!saved.architecture().equals(net.architecture()) || resumed.batchSeed() != batchSeed) {
            throw new IllegalArgumentException("the checkpoint's network (" + saved.architecture() + ") or batch seed does"
                    + " not match what its saved settings build (" + net.architecture() + "); was the data file changed?");
        }
        saved.namedParameters().forEach((name, v) -> net.setParameter(name, v.value()));
        // Batch norm's running statistics, which training steps move, continue from the checkpoint too.
        saved.namedBuffers().forEach((name, t) -> System.arraycopy(t.data(), 0, net.namedBuffers().get(name).data(), 0,
                t.numel()));
        cfg.optimizer().loadState(resumed.optimizer(), net.namedParameters());
        if (earlyStopping != null) {
            earlyStopping.restore(resumed.earlyStop());
        }
        cfg.resumeFrom(resumed.progress());
    }

    /** Reports an interrupted run (its checkpoint is written) and gives the exit code. */
    int interrupted(TrainingInterruptedException e, PrintWriter err, int epochs) {
        err.printf(Locale.ROOT, "relume: interrupted at epoch %d of %d, batch %d of %d; saved a checkpoint in %s;"
                + " continue with: relume train --resume %s%n", e.epoch() + 1, epochs, e.batch() + 1, e.batches(), out, out);
        err.flush();
        return Relume.INTERRUPTED;
    }

    @Override
    public void close() {
        if (signal != null) {
            signal.close();
            signal = null;
        }
    }
}
