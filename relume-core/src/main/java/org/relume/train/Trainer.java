package org.relume.train;

import java.util.Arrays;
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
     * replaced the original, e.g. by growth).
     */
    public TrainResult train(Network network, Dataset train, Dataset validation) {
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
        Optimizer optimizer = config.optimizer;
        double baseLr = optimizer.learningRate();
        List<Regularizer> regularizers = List.copyOf(config.regularizers);
        double[] penaltySums = new double[regularizers.size()];

        Batcher batcher = new Batcher(train, config.batchSize, config.shuffle, config.seed);
        batcher.augment(config.augmentation);
        TrainingState state = new TrainingState(network, optimizer, train, validation, config.epochs);
        TrainingHistory history = new TrainingHistory();
        long start = System.nanoTime();
        for (TrainingListener l : config.listeners) {
            l.onStart(state);
        }
        Parametrization parametrization = config.parametrization;
        if (parametrization != null) {
            parametrization.build(state.network());
        }
        TrainingStep step = new TrainingStep(state.network(), loss, regularizers, optimizer, parametrization);
        double epochLoss = Double.NaN;
        for (int epoch = 0; epoch < config.epochs; epoch++) {
            state.epoch = epoch;
            optimizer.setLearningRate(config.schedule.rate(baseLr, epoch));
            batcher.startEpoch();
            double lossSum = 0;
            double taskSum = 0;
            Arrays.fill(penaltySums, 0);
            int seen = 0;
            int batches = batcher.batchesPerEpoch();
            for (int b = 0; b < batches; b++) {
                if (state.networkReplaced) {
                    step.setNetwork(state.network());
                    state.networkReplaced = false;
                }
                Batch batch = batcher.batch(b);
                float value = step.forward(batch);
                if (!Float.isFinite(value)) {
                    throw divergence(epoch, b, value, step.taskLoss(), regularizers, history);
                }
                step.update();
                for (int r = 0; r < regularizers.size(); r++) {
                    penaltySums[r] += (double) step.penalty(r) * batch.size();
                }
                state.steps++;
                for (int l = 0; l < config.listeners.size(); l++) {
                    config.listeners.get(l).onBatchEnd(state, b, batches, value);
                }
                lossSum += (double) value * batch.size();
                taskSum += (double) step.taskLoss() * batch.size();
                seen += batch.size();
            }
            epochLoss = lossSum / seen;
            for (TrainingListener l : config.listeners) {
                l.onEpochEnd(state, epochLoss);
            }
            boolean last = epoch == config.epochs - 1;
            if ((epoch + 1) % config.logEvery == 0 || last || anyWantsLog(epoch)) {
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("epoch", (double) (epoch + 1));
                row.put("loss", epochLoss);
                row.put("task_loss", taskSum / seen);
                for (int r = 0; r < regularizers.size(); r++) {
                    row.put(regularizers.get(r).name(), penaltySums[r] / seen);
                }
                addEvaluation(row, "train", Evaluation.of(state.network(), train, loss), train.task());
                if (validation != null && validation.size() > 0) {
                    addEvaluation(row, "validation", Evaluation.of(state.network(), validation, loss), train.task());
                }
                row.put("learning_rate", optimizer.learningRate());
                row.put("seconds", (System.nanoTime() - start) / 1e9);
                for (TrainingListener l : config.listeners) {
                    l.onLog(state, row);
                }
                history.add(row);
            }
        }
        optimizer.setLearningRate(baseLr);
        Network trained = state.network();
        Evaluation trainEval = Evaluation.of(trained, train, loss);
        Evaluation valEval = validation != null && validation.size() > 0
                ? Evaluation.of(trained, validation, loss) : null;
        for (TrainingListener l : config.listeners) {
            l.onEnd(state);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainResult(trained, history, trainEval, valEval, epochLoss, config.epochs, state.steps, seconds);
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
