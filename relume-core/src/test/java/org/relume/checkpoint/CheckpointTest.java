package org.relume.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.data.Task;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.optim.LearningRateSchedule;
import org.relume.train.EarlyStopping;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import org.relume.train.TrainingState;

/**
 * A run stopped after any batch and resumed from its checkpoint ends with the same weights, to the
 * byte, as the run that was never stopped: shuffled mini-batches, Adam, a warm-up schedule, the
 * jumpstart penalty and early stopping's best weights all carry over.
 */
class CheckpointTest {
    private static final long BATCH_SEED = 99;
    private static final int EPOCHS = 12;

    @TempDir
    Path tmp;

    private final Dataset.Split data = Moons.generate(100, 0.1, 4).splitAt(80);
    private final ModelMetadata meta = new ModelMetadata(Task.BINARY, 2, "bce", null, null, List.of("x", "y"), Map.of());

    private static Network network() {
        return Mlp.of(2, 5, 3, 1, Activations.relu(), Initializer.KAIMING_UNIFORM, 3);
    }

    /** 80 samples in batches of 16: 5 steps an epoch, 60 in all. */
    private TrainConfig config(Adam adam, EarlyStopping early) {
        return TrainConfig.defaults().epochs(EPOCHS).batchSize(16).shuffle(true).optimizer(adam).seed(BATCH_SEED)
                .schedule(LearningRateSchedule.parse("warmup:3+cosine", EPOCHS)).logEvery(2)
                .regularizer(new Jumpstart(Aggregation.byName("l1"), 1e-3, false, Jumpstart.Definition.PYTORCH))
                .listener(early);
    }

    private byte[] weights(Network net, String name) throws IOException {
        Path dir = tmp.resolve(name);
        ModelFiles.save(dir, net, meta);
        return Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS));
    }

    /** Trains with checkpoints every {@code every} epochs into {@code dir} until {@code stop}; returns whether it finished. */
    private TrainResult runUntil(Path dir, int every, Predicate<TrainingState> stop) {
        EarlyStopping early = new EarlyStopping(1000);
        TrainConfig cfg = config(new Adam(0.01), early);
        cfg.listener(new CheckpointListener(every, stop, List.of("train", "--test"), BATCH_SEED, early,
                (net, c) -> ModelDirectory.replace(dir, staging -> c.write(staging, net, meta))));
        return new Trainer(cfg).train(network(), data.train(), data.validation());
    }

    private TrainResult resume(Path dir) throws IOException {
        Checkpoint c = Checkpoint.read(dir);
        Network net = network();
        Network saved = ModelFiles.load(dir).network();
        saved.namedParameters().forEach((name, v) -> net.setParameter(name, v.value().copy()));
        Adam adam = new Adam(0.01);
        adam.loadState(c.optimizer(), net.namedParameters());
        EarlyStopping early = new EarlyStopping(1000);
        early.restore(c.earlyStop());
        assertEquals(List.of("train", "--test"), c.args());
        return new Trainer(config(adam, early).resumeFrom(c.progress())).train(net, data.train(), data.validation());
    }

    @Test
    void aRunStoppedMidEpochResumesToTheSameBytes() throws IOException {
        EarlyStopping early = new EarlyStopping(1000);
        TrainResult whole = new Trainer(config(new Adam(0.01), early)).train(network(), data.train(), data.validation());
        byte[] expected = weights(whole.network(), "whole");
        for (long stopAt : new long[] {1, 23, 25, 59}) {
            Path dir = tmp.resolve("run" + stopAt);
            TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                    () -> runUntil(dir, 0, s -> s.steps() == stopAt));
            assertEquals((stopAt - 1) / 5, e.epoch());
            assertTrue(Checkpoint.exists(dir));
            TrainResult resumed = resume(dir);
            assertArrayEquals(expected, weights(resumed.network(), "resumed" + stopAt), "stopped after step " + stopAt);
            assertEquals(whole.steps(), resumed.steps());
            assertEquals(whole.history().rows().size(), resumed.history().rows().size());
            assertEquals(whole.history().last().get("validation_loss"), resumed.history().last().get("validation_loss"));
            assertEquals(whole.finalLoss(), resumed.finalLoss(), 0);
        }
    }

    @Test
    void periodicCheckpointsResumeToTheSameBytesAndAFinishedRunLeavesTheLast() throws IOException {
        byte[] expected = weights(runUntil(tmp.resolve("full"), 0, s -> false).network(), "expected");
        Path dir = tmp.resolve("periodic");
        TrainResult finished = runUntil(dir, 4, s -> false);
        assertArrayEquals(expected, weights(finished.network(), "finished"), "checkpointing does not change the run");
        Checkpoint last = Checkpoint.read(dir);
        assertEquals(7, last.progress().epoch(), "epochs 4 and 8 were saved; 12 is the end");
        assertEquals(5, last.progress().nextBatch(), "after the epoch's last batch, before its end");
        assertArrayEquals(expected, weights(resume(dir).network(), "fromPeriodic"));
    }

    @Test
    void aDirectoryWithoutACheckpointIsRefused() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, network(), meta);
        RuntimeException e = assertThrows(org.relume.io.ModelFormatException.class, () -> Checkpoint.read(dir));
        assertTrue(e.getMessage().contains("holds no checkpoint"), e.getMessage());
        assertFalse(Checkpoint.exists(dir));
    }
}
