package org.relume.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.data.Dataset;
import org.relume.data.Task;
import org.relume.loss.Loss;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;

/**
 * The training loop: epochs of mini-batches, each one {@link TrainingStep} (forward on a reused
 * tape, task loss plus every {@link Regularizer}'s penalty, backward, optimizer step). Logged
 * epochs evaluate on the training and validation sets and record a history row that listeners may
 * extend.
 *
 * <p>Determinism: for a given network, data, configuration and seed, a run on one thread is bit
 * for bit repeatable (the only randomness is the seeded batch order; kernels never split a sum
 * across threads). A NaN or infinite loss stops the run with a {@link DivergenceException}.
 */
public final class Trainer {
    private final TrainConfig config;

    public Trainer(TrainConfig config) {
        this.config = config;
    }

    public TrainConfig config() {
        return config;
    }

    /**
     * Trains {@code network} in place on {@code train}, evaluating on {@code validation} (may be
     * empty). Returns the result; the network in it is the trained one (a listener may have
     * replaced the original, e.g. by growth). With {@link TrainConfig#resumeFrom} it continues a
     * checkpointed run from its position instead of starting at epoch 0.
     */
    public TrainResult train(Network network, Dataset train, Dataset validation) {
        Loss loss = checkedLoss(network, train);
        Optimizer optimizer = config.optimizer;
        double baseLr = optimizer.learningRate();
        List<Regularizer> regularizers = List.copyOf(config.regularizers);
        Batcher batcher = new Batcher(train, config.batchSize, config.shuffle, config.seed);
        batcher.augment(config.augmentation);
        TrainingState state = new TrainingState(network, optimizer, train, validation, config.epochs);
        TrainingProgress resume = config.resumeFrom;
        int first = resume == null ? 0 : resume.epoch();
        if (resume != null) {
            restore(state, resume, regularizers.size());
            for (int e = 0; e < first; e++) {
                batcher.startEpoch(); // replays the batch orders drawn before the checkpoint
            }
        }
        for (TrainingListener l : config.listeners) {
            l.onStart(state);
        }
        Parametrization parametrization = config.parametrization;
        if (parametrization != null) {
            parametrization.build(state.network());
        }
        TrainingStep step = new TrainingStep(state.network(), loss, regularizers, optimizer, parametrization);
        double epochLoss = Double.NaN;
        int done = first;
        for (int epoch = first; epoch < config.epochs; epoch++) {
            state.epoch = epoch;
            optimizer.setLearningRate(config.schedule.rate(baseLr, epoch));
            batcher.startEpoch();
            if (resume == null || epoch != first) {
                startEpoch(state, regularizers.size());
            }
            trainBatches(state, step, batcher, regularizers, epoch);
            epochLoss = endEpoch(state, loss, regularizers, epoch);
            done = epoch + 1;
            if (state.stopRequested) {
                break;
            }
        }
        optimizer.setLearningRate(baseLr);
        for (TrainingListener l : config.listeners) {
            l.onTrainingEnd(state);
        }
        Network trained = state.network();
        Evaluation trainEval = Evaluation.of(trained, train, loss);
        Evaluation valEval = validation != null && validation.size() > 0
                ? Evaluation.of(trained, validation, loss) : null;
        for (TrainingListener l : config.listeners) {
            l.onEnd(state);
        }
        return new TrainResult(trained, state.history, trainEval, valEval, epochLoss, done, state.steps, state.seconds());
    }

    private Loss checkedLoss(Network network, Dataset train) {
        if (train.inputs() != network.inputSize()) {
            throw new IllegalArgumentException("the network takes " + network.inputSize() + " inputs but "
                    + train.name() + " has " + train.inputs() + " features");
        }
        if (train.outputs() != network.outputSize()) {
            throw new IllegalArgumentException("the network has " + network.outputSize() + " outputs but "
                    + train.name() + " (" + train.task().id() + ") needs " + train.outputs());
        }
        Loss loss = config.loss != null ? config.loss : Loss.forTask(train.task());
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && train.task() != Task.MULTICLASS) {
            throw new IllegalArgumentException("softmax cross-entropy needs a multiclass task, got " + train.task().id());
        }
        if (loss == Loss.BINARY_CROSS_ENTROPY && train.task() != Task.BINARY) {
            throw new IllegalArgumentException("binary cross-entropy needs a binary task, got " + train.task().id());
        }
        return loss;
    }

    /** Puts a checkpoint's position into the state: the epoch's partial sums, the steps, the history, the clock. */
    private void restore(TrainingState state, TrainingProgress p, int regularizers) {
        if (p.epoch() >= config.epochs) {
            throw new IllegalArgumentException("the checkpoint is at epoch " + (p.epoch() + 1) + " but the run has "
                    + config.epochs + " epochs");
        }
        if (p.penaltySums().length != regularizers) {
            throw new IllegalArgumentException("the checkpoint holds " + p.penaltySums().length + " penalties but the run has "
                    + regularizers + " regularizers");
        }
        state.epoch = p.epoch();
        state.nextBatch = p.nextBatch();
        state.steps = p.steps();
        state.lossSum = p.lossSum();
        state.taskSum = p.taskSum();
        state.penaltySums = p.penaltySums();
        state.seen = p.seen();
        for (Map<String, Double> row : p.history()) {
            state.history.add(row);
        }
        state.secondsBefore = p.seconds();
    }

    private static void startEpoch(TrainingState state, int regularizers) {
        state.nextBatch = 0;
        state.lossSum = 0;
        state.taskSum = 0;
        state.penaltySums = new double[regularizers];
        state.seen = 0;
    }

    private void trainBatches(TrainingState state, TrainingStep step, Batcher batcher, List<Regularizer> regularizers,
                              int epoch) {
        int batches = batcher.batchesPerEpoch();
        if (state.nextBatch > batches) {
            throw new IllegalArgumentException("the checkpoint is at batch " + state.nextBatch + " of an epoch of "
                    + batches + " batches");
        }
        for (int b = state.nextBatch; b < batches; b++) {
            if (state.networkReplaced) {
                step.setNetwork(state.network());
                state.networkReplaced = false;
            }
            Batch batch = batcher.batch(b);
            float value = step.forward(batch);
            if (!Float.isFinite(value)) {
                throw divergence(epoch, b, value, step.taskLoss(), regularizers, state.history);
            }
            step.update();
            for (int r = 0; r < regularizers.size(); r++) {
                state.penaltySums[r] += (double) step.penalty(r) * batch.size();
            }
            state.steps++;
            state.lossSum += (double) value * batch.size();
            state.taskSum += (double) step.taskLoss() * batch.size();
            state.seen += batch.size();
            state.nextBatch = b + 1;
            for (int l = 0; l < config.listeners.size(); l++) {
                config.listeners.get(l).onBatchEnd(state, b, batches, value);
            }
        }
    }

    /** The epoch's listeners and, when due, its logged row; returns the epoch's mean loss. */
    private double endEpoch(TrainingState state, Loss loss, List<Regularizer> regularizers, int epoch) {
        int seen = state.seen;
        double epochLoss = state.lossSum / seen;
        for (TrainingListener l : config.listeners) {
            l.onEpochEnd(state, epochLoss);
        }
        boolean last = epoch == config.epochs - 1;
        if ((epoch + 1) % config.logEvery == 0 || last || anyWantsLog(epoch)) {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("epoch", (double) (epoch + 1));
            row.put("loss", epochLoss);
            row.put("task_loss", state.taskSum / seen);
            for (int r = 0; r < regularizers.size(); r++) {
                row.put(regularizers.get(r).name(), state.penaltySums[r] / seen);
            }
            Dataset train = state.train();
            Dataset validation = state.validation();
            addEvaluation(row, "train", Evaluation.of(state.network(), train, loss), train.task());
            if (validation != null && validation.size() > 0) {
                addEvaluation(row, "validation", Evaluation.of(state.network(), validation, loss), train.task());
            }
            row.put("learning_rate", state.optimizer().learningRate());
            row.put("seconds", state.seconds());
            for (TrainingListener l : config.listeners) {
                l.onLog(state, row);
            }
            state.history.add(row);
        }
        return epochLoss;
    }

    private boolean anyWantsLog(int epoch) {
        for (TrainingListener l : config.listeners) {
            if (l.wantsLog(epoch)) {
                return true;
            }
        }
        return false;
    }

    private static void addEvaluation(Map<String, Double> row, String prefix, Evaluation e, Task task) {
        row.put(prefix + "_loss", e.loss());
        if (task.isClassification()) {
            row.put(prefix + "_accuracy", e.accuracy());
        } else {
            row.put(prefix + "_mse", e.mse());
        }
    }

    private static DivergenceException divergence(int epoch, int batch, float total, float taskLoss,
                                                  List<Regularizer> regs, TrainingHistory history) {
        String what = Float.isFinite(taskLoss)
                ? "the penalty (" + String.join(", ", regs.stream().map(Regularizer::name).toList()) + ")"
                : "the task loss";
        String value = Float.isNaN(total) ? "NaN" : "infinite";
        return new DivergenceException("training diverged: " + what + " became " + value + " at epoch "
                + (epoch + 1) + ", batch " + (batch + 1)
                + "; try a lower learning rate or another initialization", history);
    }
}
