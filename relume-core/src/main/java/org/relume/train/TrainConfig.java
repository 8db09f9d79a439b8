package org.relume.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.relume.data.ImageAugmentation;
import org.relume.loss.Loss;
import org.relume.nn.Defaults;
import org.relume.optim.Adam;
import org.relume.optim.LearningRateSchedule;
import org.relume.optim.Optimizer;

/**
 * The settings of a training run. Defaults: full batch, no shuffling, constant schedule, the
 * task's natural loss, validation every epoch that is logged, logging every 100 epochs (and the
 * last); the epochs (1000), Adam's learning rate (0.01) and the seed (1) are those the command line
 * shares, from {@link Defaults}.
 */
public final class TrainConfig {
    int epochs = Defaults.EPOCHS;
    int batchSize = 0;
    boolean shuffle = false;
    Optimizer optimizer = new Adam(Defaults.LEARNING_RATE);
    LearningRateSchedule schedule = LearningRateSchedule.constant();
    Loss loss;
    int logEvery = 100;
    long seed = Defaults.SEED;
    final List<Regularizer> regularizers = new ArrayList<>();
    final List<TrainingListener> listeners = new ArrayList<>();
    Parametrization parametrization;
    ImageAugmentation augmentation;
    TrainingProgress resumeFrom;

    public static TrainConfig defaults() {
        return new TrainConfig();
    }

    public TrainConfig epochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** 0 = full batch. */
    public TrainConfig batchSize(int batchSize) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 0 (0 = full batch), got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    public TrainConfig shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    public TrainConfig optimizer(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer);
        return this;
    }

    public TrainConfig schedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule);
        return this;
    }

    /** The loss; null (the default) picks {@link Loss#forTask} from the training data. */
    public TrainConfig loss(Loss loss) {
        this.loss = loss;
        return this;
    }

    /** Evaluate on train and validation sets and record a history row every N epochs (and after the last). */
    public TrainConfig logEvery(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("log interval must be positive, got " + n);
        }
        this.logEvery = n;
        return this;
    }

    /** Seeds the batch order (the network's initial weights have their own seed, in its builder). */
    public TrainConfig seed(long seed) {
        this.seed = seed;
        return this;
    }

    public TrainConfig regularizer(Regularizer r) {
        regularizers.add(Objects.requireNonNull(r));
        return this;
    }

    /** Train free parameters mapped to the network's weights instead of the weights themselves. */
    public TrainConfig parametrization(Parametrization p) {
        this.parametrization = p;
        return this;
    }

    public Parametrization parametrization() {
        return parametrization;
    }

    /** Augments every training batch (null: none). */
    public TrainConfig augmentation(ImageAugmentation a) {
        this.augmentation = a;
        return this;
    }

    public ImageAugmentation augmentation() {
        return augmentation;
    }

    /**
     * Continues a run from a checkpoint instead of starting one: the network and optimizer given to
     * {@link Trainer#train} must already hold the checkpoint's weights and optimizer state, and every
     * other setting must be the original run's; then the run ends exactly as the uninterrupted one.
     */
    public TrainConfig resumeFrom(TrainingProgress progress) {
        this.resumeFrom = progress;
        return this;
    }

    public TrainConfig listener(TrainingListener l) {
        listeners.add(Objects.requireNonNull(l));
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    public Loss loss() {
        return loss;
    }

    public int logEvery() {
        return logEvery;
    }

    public long seed() {
        return seed;
    }

    public List<Regularizer> regularizers() {
        return List.copyOf(regularizers);
    }

    /** The settings as typed JSON-ready fields (summary.json): numbers as numbers, the optimizer as an object. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("full_batch", batchSize == 0);
        m.put("shuffle", shuffle);
        m.put("optimizer", optimizer.settings());
        m.put("schedule", schedule.describe());
        m.put("loss", loss == null ? "auto" : loss.id());
        m.put("log_every", logEvery);
        m.put("batch_seed", seed);
        m.put("regularizers", regularizers.stream().map(Regularizer::describe).toList());
        if (parametrization != null) {
            m.put("parametrization", parametrization.describe());
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TrainConfig(epochs=").append(epochs)
                .append(", batch_size=").append(batchSize == 0 ? "full" : Integer.toString(batchSize))
                .append(", shuffle=").append(shuffle)
                .append(", optimizer=").append(optimizer.describe())
                .append(", schedule=").append(schedule.describe())
                .append(", loss=").append(loss == null ? "auto" : loss.id())
                .append(", log_every=").append(logEvery)
                .append(", seed=").append(seed);
        for (Regularizer r : regularizers) {
            sb.append(", ").append(r.describe());
        }
        if (parametrization != null) {
            sb.append(", parametrization=").append(parametrization.describe());
        }
        return sb.append(')').toString();
    }
}
