package org.relume.experiment;

import java.util.List;
import java.util.Locale;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.loss.Loss;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.kernel.Parallelism;
import org.relume.train.TrainingStep;

/**
 * The work of a sweep before it runs, so a user can decide where to run it: floating-point
 * operations counted from every cell's network (a dense layer 2 in out per sample, a convolution
 * 2 taps outputs; training about 3 times the forward pass), and core-hours at a speed measured here
 * by timing training steps of the costliest cell on one core. Thin networks run far below a CPU's
 * peak, so the measured speed, not a datasheet's, is what turns operations into hours.
 */
public final class CostEstimate {
    private CostEstimate() {}

    /** What a sweep will cost: its cells, their operations, the speed measured, the core-hours that makes. */
    public record Estimate(int cells, double flops, double flopsPerSecond, double coreHours) {
        public String describe() {
            return String.format(Locale.ROOT, "%d cells, %.3g floating-point operations; at %.3g FLOP/s per core (measured"
                    + " here on the costliest cell) about %.3g core-hours", cells, flops, flopsPerSecond, coreHours);
        }
    }

    /** Floating-point operations of one forward pass of one sample. */
    public static double forwardFlops(Network net) {
        double f = 0;
        for (Layer l : net.layers()) {
            if (l instanceof Conv2d c) {
                f += 2.0 * c.geometry().taps() * c.geometry().outSize();
            } else if (l instanceof Dense) {
                f += 2.0 * l.inputSize() * l.outputSize();
            }
        }
        return f;
    }

    /** The estimate for {@code cells}; loads the data once and times a few steps (about a second). */
    public static Estimate of(Settings s, List<Cell> cells) {
        if (cells.isEmpty()) {
            return new Estimate(0, 0, Double.NaN, 0);
        }
        Dataset train = DataSources.load(new DataSources.Request(s.data(), 1, Moons.DEFAULT_VALIDATION_FRACTION, null, null,
                s.limit())).split().train();
        double total = 0;
        double worst = -1;
        Cell costliest = cells.get(0);
        for (Cell c : cells) {
            double perSample = forwardFlops(DepthWidthExperiment.network(c, s, train, 1));
            total += 3 * perSample * train.size() * s.epochs();
            if (perSample > worst) {
                worst = perSample;
                costliest = c;
            }
        }
        double speed = measure(costliest, s, train, worst);
        return new Estimate(cells.size(), total, speed, total / speed / 3600);
    }

    /** FLOP/s of training steps of {@code cell} on one core, after a short warm-up. */
    private static double measure(Cell cell, Settings s, Dataset train, double perSample) {
        Network net = DepthWidthExperiment.network(cell, s, train, 1);
        int batch = s.batchSize() > 0 ? Math.min(s.batchSize(), train.size()) : Math.min(train.size(), 1024);
        Batcher batcher = new Batcher(train, batch, false, 1);
        batcher.startEpoch();
        Batch b = batcher.batch(0);
        TrainingStep step = new TrainingStep(net, Loss.forTask(train.task()), List.of(), new Adam(s.lr()), null);
        return Parallelism.callSingleThreaded(() -> {
            long warm = System.nanoTime();
            while (System.nanoTime() - warm < 300_000_000L) {
                step.run(b);
            }
            long start = System.nanoTime();
            int steps = 0;
            while (steps < 3 || System.nanoTime() - start < 500_000_000L) {
                step.run(b);
                steps++;
            }
            return 3 * perSample * b.size() * steps / ((System.nanoTime() - start) / 1e9);
        });
    }
}
