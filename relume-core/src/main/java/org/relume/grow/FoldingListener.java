package org.relume.grow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.nn.Network;
import org.relume.train.TrainingState;

/**
 * Grows a one-hidden-layer network by folding (Kang 2024) between epochs on a {@link GrowthSchedule}
 * (its step schedule; layer choice does not apply: folding always grows the hidden layer), and
 * optionally deepens it equivalently after the last fold.
 */
public final class FoldingListener implements Growing {
    private final GrowthSchedule schedule;
    private final boolean deepen;
    private final long seed;
    private final List<Event> events = new ArrayList<>();

    /** One fold: when, and what it did (x_t, x_f, the new unit). */
    public record Event(int epoch, long step, Folding.Step fold, Network before, String architecture) {}

    public FoldingListener(GrowthSchedule schedule, boolean deepen, long seed) {
        this.schedule = schedule;
        this.deepen = deepen;
        this.seed = seed;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** One row per fold; vectors stay arrays, so summary.json holds them as JSON arrays. */
    @Override
    public List<Map<String, Object>> eventRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Event e : events) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("step", e.step());
            row.put("x_t", e.fold().target());
            row.put("x_f", e.fold().foldPoint());
            row.put("new_weights", e.fold().newWeights());
            row.put("new_bias", e.fold().newBias());
            row.put("grad_norm_gain", e.fold().gradNormGain());
            row.put("architecture", e.architecture());
            rows.add(row);
        }
        return rows;
    }

    @Override
    public void onEpochEnd(TrainingState state, double epochLoss) {
        if (!schedule.due(state.steps(), events.size())) {
            return;
        }
        Network before = state.network().copy();
        Folding.Result r = Folding.grow(state.network(), state.train(), Folding.Settings.defaults(seed + events.size()),
                state.optimizer());
        Network next = r.network();
        boolean last = events.size() + 1 == schedule.times();
        if (deepen && last) {
            next = Surgery.insertIdentity(next, 1, Surgery.IdentityMode.AUTO, state.optimizer());
        }
        state.replaceNetwork(next);
        events.add(new Event(state.epoch() + 1, state.steps(), r.step(), before, next.architecture()));
    }

    @Override
    public void onLog(TrainingState state, Map<String, Double> row) {
        row.put("growths", (double) events.size());
        row.put("parameters", (double) state.network().parameterCount());
    }
}
