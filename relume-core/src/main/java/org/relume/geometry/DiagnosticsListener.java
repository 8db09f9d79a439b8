package org.relume.geometry;

import java.util.Map;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * Logs unit and point states on the training set every N epochs into the training history
 * ({@code dead_units}, {@code linear_units}, {@code nonlinear_units}, {@code dead_points},
 * {@code dead_layers}, {@code linear_layers}).
 */
public final class DiagnosticsListener implements TrainingListener {
    private final int every;

    public DiagnosticsListener(int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("diagnostics interval must be positive, got " + every);
        }
        this.every = every;
    }

    @Override
    public boolean wantsLog(int epoch) {
        return (epoch + 1) % every == 0;
    }

    @Override
    public void onLog(TrainingState state, Map<String, Double> row) {
        if ((state.epoch() + 1) % every == 0 || state.epoch() == state.epochs() - 1) {
            row.putAll(UnitPointStates.analyze(state.network(), state.train().features()).columns());
        }
    }
}
