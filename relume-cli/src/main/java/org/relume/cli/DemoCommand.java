package org.relume.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.relume.experiment.DepthWidthExperiment;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Outcome;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.tensor.kernel.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume demo}: the headline in seconds, a thin deep net on moons with and without jumpstart. */
@Command(name = "demo",
        header = "The headline: a thin, deep ReLU net on moons, trained with and without jumpstart.",
        description = {
            "Trains the same width-3, depth-30 ReLU MLP twice with the jumpstart paper's settings (Adam lr 0.01, full"
                + " batch, Glorot uniform, 5000 epochs): once plain, once with the jumpstart penalty (l1, lambda 1e-4),"
                + " one run per core. It prints both accuracies and how many units, points and layers are dead on the"
                + " training set.",
            ""},
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--width", defaultValue = "3", paramLabel = "W", description = "Hidden width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--depth", defaultValue = "30", paramLabel = "L", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "5000", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.paper().withEpochs(epochs);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "moons, ReLU MLP 2-%s-1 (width %d, depth %d), %s, seed %d%n", width + "x" + depth,
                width, depth, settings.describe(), seed);
        // Both runs take a few seconds with no output; say so, so that the wait does not look like a hang.
        o.printf(Locale.ROOT, "training plain and with jumpstart, %d epochs each, one run per core...%n", epochs);
        o.flush();
        List<Cell> cells = List.of(new Cell(DepthWidthExperiment.BASELINE, width, depth, seed),
                new Cell(DepthWidthExperiment.JUMPSTART, width, depth, seed));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Outcome[] outcomes = new Outcome[2];
        try {
            List<Future<Outcome>> f = List.of(
                    pool.submit(() -> Parallelism.callSingleThreaded(() -> DepthWidthExperiment.run(cells.get(0), settings))),
                    pool.submit(() -> Parallelism.callSingleThreaded(() -> DepthWidthExperiment.run(cells.get(1), settings))));
            outcomes[0] = f.get(0).get();
            outcomes[1] = f.get(1).get();
        } finally {
            pool.shutdownNow();
        }
        int units = width * depth;
        o.printf(Locale.ROOT, "%n%-10s %9s %9s %12s %12s %11s %8s%n", "method", "train acc", "val acc", "dead units",
                "dead points", "dead layers", "seconds");
        for (Outcome r : outcomes) {
            if (r.failed()) {
                o.printf(Locale.ROOT, "%-10s failed: %s%n", r.cell().method(), r.error());
                continue;
            }
            o.printf(Locale.ROOT, "%-10s %9.4f %9.4f %12s %12s %11d %8.1f%n", r.cell().method(), r.trainAccuracy(),
                    r.validationAccuracy(), r.deadUnits() + "/" + units, r.deadPoints() + "/85", r.deadLayers(), r.seconds());
        }
        o.println();
        if (!outcomes[0].failed() && !outcomes[1].failed()) {
            o.println(outcomes[0].deadLayers() > 0
                    ? "The baseline has a dead layer: its output is constant on the data, so it predicts one class."
                    : "The baseline has no dead layer at this seed and size.");
            o.println(outcomes[1].deadLayers() == 0
                    ? "With jumpstart no layer is dead, and every training point reaches the output."
                    : "With jumpstart a layer is still dead at this seed and size.");
        }
        o.println("See 'relume reproduce jumpstart-moons --quick --out DIR' for the grid of widths and depths.");
        o.flush();
        return Relume.OK;
    }
}
