package org.relume.grow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.loss.Loss;
import org.relume.nn.Conv2d;
import org.relume.nn.Network;
import org.relume.train.TrainingState;

/**
 * Grows the network between epochs by a {@link GrowthMethod} on a {@link GrowthSchedule}, through
 * the trainer's ordinary listener hook: the trainer knows nothing about growth. Each growth is
 * recorded; the optimizer's state is carried over by {@link Surgery}.
 */
public final class GrowthListener implements Growing {
    /** Samples in the batch whose gradient chooses the new units. */
    public static final int PROBE_SAMPLES = 2048;

    private final GrowthMethod method;
    private final GrowthSchedule schedule;
    private final Growth.Settings settings;
    private final Loss loss;
    private final SplittableRandom random;
    private final List<Event> events = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private int lastGrowthEpoch = -1;
    private Batch probeBatch;

    /** One growth: when, where, and what it did. */
    public record Event(int epoch, long step, int layer, int units, double gradNormGain, double topSingularValue,
                        double lossBefore, String architecture) {}

    public GrowthListener(GrowthMethod method, GrowthSchedule schedule, Growth.Settings settings, Loss loss, long seed) {
        this.method = method;
        this.schedule = schedule;
        this.settings = settings;
        this.loss = loss;
        this.random = new SplittableRandom(seed);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public List<Map<String, Object>> eventRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Event e : events) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("step", e.step());
            row.put("layer", e.layer());
            row.put("units", e.units());
            row.put("grad_norm_gain", e.gradNormGain());
            row.put("top_singular_value", e.topSingularValue());
            row.put("loss_before", e.lossBefore());
            row.put("architecture", e.architecture());
            rows.add(row);
        }
        return rows;
    }

    @Override
    public void onEpochEnd(TrainingState state, double epochLoss) {
        losses.add(epochLoss);
        int done = events.size();
        boolean grow = schedule.due(state.steps(), done);
        if (!grow && schedule.usesPlateau() && done < schedule.times() && state.steps() >= schedule.start()
                && state.epoch() - lastGrowthEpoch >= schedule.plateauWindow() && losses.size() > schedule.plateauWindow()) {
            double then = losses.get(losses.size() - 1 - schedule.plateauWindow());
            grow = then - epochLoss < schedule.plateauFraction() * Math.abs(then);
        }
        if (!grow) {
            return;
        }
        if (probeBatch == null) {
            // The first PROBE_SAMPLES samples estimate the gradient: all of a small data set (the
            // student-teacher experiments), while a full pass of 60,000 images through a CNN would
            // not fit the heap.
            probeBatch = new Batcher(state.train(), Math.min(state.train().size(), PROBE_SAMPLES), false, 0).batch(0);
        }
        Network net = state.network();
        int layer = chooseLayer(net, done);
        Growth.Result r = net.layer(layer) instanceof Conv2d
                ? ConvGrowth.grow(net, layer, schedule.units(), method, probeBatch, loss, settings.scale(), state.optimizer(),
                        random)
                : Growth.grow(net, layer, schedule.units(), method, probeBatch, loss, settings, state.optimizer(), random);
        state.replaceNetwork(r.network());
        lastGrowthEpoch = state.epoch();
        events.add(new Event(state.epoch() + 1, state.steps(), layer, r.units(), r.gradNormGain(), r.topSingularValue(),
                r.lossBefore(), r.network().architecture()));
    }

    @Override
    public void onLog(TrainingState state, Map<String, Double> row) {
        row.put("growths", (double) events.size());
        row.put("parameters", (double) state.network().parameterCount());
    }

    private int chooseLayer(Network net, int done) {
        int hidden = net.hiddenLayerCount();
        return switch (schedule.where()) {
            case FIXED -> {
                if (schedule.fixedLayer() >= hidden) {
                    throw new IllegalArgumentException("cannot grow hidden layer " + schedule.fixedLayer() + " of a network with "
                            + hidden + " hidden layers");
                }
                yield schedule.fixedLayer();
            }
            case ROUND_ROBIN -> done % hidden;
            case LARGEST_SINGULAR_VALUE -> {
                if (net.layer(0) instanceof Conv2d) {
                    throw new IllegalArgumentException("choosing the layer by its largest singular value is for dense layers;"
                            + " give a convolution's index or round-robin");
                }
                int best = 0;
                double bestValue = -1;
                for (int l = 0; l < hidden; l++) {
                    GradientProbe p = GradientProbe.at(net, l, probeBatch, loss);
                    double[][] g = p.auxiliaryGradient(Surgery.dense(net, l).hasBias());
                    double s = SingularVectors.topLeft(g, 1).singularValues()[0];
                    if (s > bestValue) {
                        bestValue = s;
                        best = l;
                    }
                }
                yield best;
            }
        };
    }
}
