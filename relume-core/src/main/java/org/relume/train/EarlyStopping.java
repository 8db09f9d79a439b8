package org.relume.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.relume.tensor.Var;

/**
 * Stops a run whose validation metric has not improved for {@code patience} epochs and puts the
 * best weights back before the final evaluation (Keras' EarlyStopping with
 * restore_best_weights). The metric is the one the run reports: validation accuracy for
 * classification (ties broken by the lower validation loss, since accuracy on small sets ties
 * often), validation MSE for regression. It is only measured on logged epochs, so the patience is
 * checked there: with {@code --validate-every 10}, a patience of 25 stops at the third logged
 * epoch without improvement.
 */
public final class EarlyStopping implements TrainingListener {
    private final int patience;
    private Snapshot best;

    /**
     * The best epoch so far and its weights, by parameter name; what a checkpoint saves of this
     * listener.
     *
     * @param epoch  0-based epoch of the best validation metric, or -1 before the first
     */
    public record Snapshot(int epoch, double metric, double loss, Map<String, float[]> weights) {
        public Snapshot {
            Map<String, float[]> copy = new LinkedHashMap<>();
            weights.forEach((k, v) -> copy.put(k, v.clone()));
            weights = copy;
        }
    }

    public EarlyStopping(int patience) {
        if (patience <= 0) {
            throw new IllegalArgumentException("early-stopping patience must be a positive number of epochs, got " + patience);
        }
        this.patience = patience;
    }

    /** The best epoch so far, or null before the first logged validation. */
    public Snapshot best() {
        return best;
    }

    /** Continues from a checkpoint's snapshot (null: none yet). */
    public void restore(Snapshot snapshot) {
        this.best = snapshot;
    }

    public int patience() {
        return patience;
    }

    @Override
    public void onLog(TrainingState state, Map<String, Double> row) {
        boolean classification = state.train().task().isClassification();
        Double metric = row.get(classification ? "validation_accuracy" : "validation_mse");
        Double loss = row.get("validation_loss");
        if (metric == null || loss == null || metric.isNaN()) {
            return;
        }
        if (best == null || better(metric, loss, classification)) {
            Map<String, float[]> weights = new LinkedHashMap<>();
            state.network().namedParameters().forEach((name, v) -> weights.put(name, v.value().data()));
            // Batch norm's running statistics belong to the weights they were measured with.
            state.network().namedBuffers().forEach((name, t) -> weights.put(name, t.data()));
            best = new Snapshot(state.epoch(), metric, loss, weights);
        } else if (state.epoch() - best.epoch() >= patience) {
            state.requestStop();
        }
    }

    private boolean better(double metric, double loss, boolean classification) {
        if (classification) {
            return metric > best.metric() || (metric == best.metric() && loss < best.loss());
        }
        return metric < best.metric();
    }

    @Override
    public void onTrainingEnd(TrainingState state) {
        if (best == null) {
            return;
        }
        Map<String, Var> params = state.network().namedParameters();
        Map<String, org.relume.tensor.Tensor> buffers = state.network().namedBuffers();
        for (Map.Entry<String, float[]> e : best.weights().entrySet()) {
            Var v = params.get(e.getKey());
            org.relume.tensor.Tensor t = v != null ? v.value() : buffers.get(e.getKey());
            if (t == null || t.numel() != e.getValue().length) {
                throw new IllegalStateException("early stopping saved '" + e.getKey() + "', which the network no longer has");
            }
            System.arraycopy(e.getValue(), 0, t.data(), 0, e.getValue().length);
        }
    }
}
