package org.relume.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
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
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.Parallelism;
import org.relume.train.TrainingStep;

/**
 * The work of a sweep or a reproduction before it runs, so a user can decide where to run it:
 * floating-point operations counted from every training's network (a dense layer 2 in out per
 * sample, a convolution 2 taps outputs; training about 3 times the forward pass), and core-hours at
 * a speed measured here by timing training steps of the costliest network on one core. Thin
 * networks run far below a CPU's peak, so the measured speed, not a datasheet's, is what turns
 * operations into hours. Evaluations, diagnostics and data loading are not counted: the estimate
 * is a lower bound.
 */
public final class CostEstimate {
    private CostEstimate() {}

    /** What a sweep will cost: its cells, their operations, the speed measured, the core-hours that makes. */
    public record Estimate(int cells, double flops, double flopsPerSecond, double coreHours) {
        public String describe() {
            if (cells == 0) {
                return "no trainings";
            }
            return String.format(Locale.ROOT, "%d trainings, %.3g floating-point operations; at %.3g FLOP/s per core"
                    + " (measured here on the costliest) about %.3g core-hours", cells, flops, flopsPerSecond, coreHours);
        }
    }

    /**
     * One training a reproduction will run: a label for --dry-run, its network (built only to count
     * and time it) and how many samples it passes forward and backward (samples x epochs, or steps x batch).
     */
    public record Training(String label, Supplier<Network> network, double samplePasses, int batch) {}

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

    /** The estimate for {@code cells} of a depth-width sweep; times a few steps (about a second). */
    public static Estimate of(Settings s, List<Cell> cells) {
        if (cells.isEmpty()) {
            return new Estimate(0, 0, Double.NaN, 0);
        }
        return of(trainings(s, cells));
    }

    /** The trainings of a depth-width sweep's cells; loads the training data once. */
    public static List<Training> trainings(Settings s, List<Cell> cells) {
        return trainings(s, cells, DataSources.load(new DataSources.Request(s.data(), 1, Moons.DEFAULT_VALIDATION_FRACTION,
                null, null, s.limit())).split().train());
    }

    /** The trainings of a depth-width sweep's cells on {@code train}. */
    public static List<Training> trainings(Settings s, List<Cell> cells, Dataset train) {
        int batch = s.batchSize() > 0 ? Math.min(s.batchSize(), train.size()) : Math.min(train.size(), 1024);
        List<Training> list = new ArrayList<>(cells.size());
        for (Cell c : cells) {
            list.add(new Training(c.key(), () -> DepthWidthExperiment.network(c, s, train, 1),
                    (double) train.size() * s.epochs(), batch));
        }
        return list;
    }

    /** The estimate for {@code trainings}: counts every network, times the costliest (about a second). */
    public static Estimate of(List<Training> trainings) {
        if (trainings.isEmpty()) {
            return new Estimate(0, 0, Double.NaN, 0);
        }
        double total = 0;
        double worst = -1;
        Training costliest = trainings.get(0);
        for (Training t : trainings) {
            double perSample = forwardFlops(t.network().get());
            total += 3 * perSample * t.samplePasses();
            if (perSample > worst) {
                worst = perSample;
                costliest = t;
            }
        }
        double speed = measure(costliest.network().get(), costliest.batch(), worst);
        return new Estimate(trainings.size(), total, speed, total / speed / 3600);
    }

    /**
     * FLOP/s of Adam steps of {@code net} on one core, after a short warm-up, on a batch of random
     * inputs and targets (the speed does not depend on the data).
     */
    private static double measure(Network net, int batchSize, double perSample) {
        int n = Math.max(1, batchSize);
        SplittableRandom r = new SplittableRandom(1);
        Tensor x = Tensor.zeros(n, net.inputSize());
        Tensor y = Tensor.zeros(n, net.outputSize());
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < y.numel(); i++) {
            y.data()[i] = (float) r.nextGaussian();
        }
        Dataset data = Dataset.regression("timing", x, y);
        Batcher batcher = new Batcher(data, n, false, 1);
        batcher.startEpoch();
        Batch b = batcher.batch(0);
        TrainingStep step = new TrainingStep(net, Loss.MSE, List.of(), new Adam(1e-3), null);
        return Parallelism.callSingleThreaded(() -> {
            // Windows of at least 0.2 s and 3 steps until two in a row agree (the JIT has compiled the
            // kernels; on a busy machine that takes seconds), at most 15 s; the fastest window is the warm speed.
            long begin = System.nanoTime();
            double best = 0;
            double previous = 0;
            while (System.nanoTime() - begin < 15_000_000_000L) {
                long start = System.nanoTime();
                int steps = 0;
                while (steps < 3 || System.nanoTime() - start < 200_000_000L) {
                    step.run(b);
                    steps++;
                }
                double rate = steps / ((System.nanoTime() - start) / 1e9);
                best = Math.max(best, rate);
                if (previous > 0 && Math.abs(rate - previous) < 0.1 * previous) {
                    break;
                }
                previous = rate;
            }
            return 3 * perSample * b.size() * best;
        });
    }
}
