package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.relume.data.DataSources;
import org.relume.experiment.CostEstimate;
import org.relume.experiment.DepthWidthAnalysis;
import org.relume.experiment.DepthWidthExperiment;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.experiment.Sweep;
import org.relume.io.Json;
import org.relume.jumpstart.Aggregation;
import org.relume.nn.Initializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume sweep}: a depth x width grid, baseline vs jumpstart, one network per core, resumable. */
@Command(name = "sweep",
        header = "Train a depth x width grid of ReLU MLPs with and without jumpstart, in parallel and resumable.",
        description = {
            "Every (method, width, depth, seed) cell is a ReLU MLP trained with Adam, full batch, no shuffling. Cells"
                + " run in parallel, one network per core. Each finished cell is appended to DIR/results.csv, so running"
                + " again with the same --out resumes where it stopped. A failed cell is recorded with its error and the"
                + " sweep goes on. At the end DIR/heatmap.png and .svg show the validation accuracy per cell, one panel"
                + " per method, and the trainable depth per width is printed.",
            "",
            "Example:",
            "  relume sweep --data moons --widths 1,2,3 --depths 5,10,20 \\",
            "      --methods baseline,jumpstart --seeds 1,2 --out runs/sweep",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "moons", paramLabel = "SPEC", description = "Data spec as for train (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--widths", required = true, split = ",", paramLabel = "W1,W2,...", description = "Hidden widths.")
    List<Integer> widths;

    @Option(names = "--depths", required = true, split = ",", paramLabel = "L1,L2,...", description = "Numbers of hidden layers.")
    List<Integer> depths;

    @Option(names = "--methods", defaultValue = "baseline,jumpstart", split = ",", paramLabel = "M,...",
            description = "baseline and/or jumpstart (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--seeds", defaultValue = "1", split = ",", paramLabel = "S,...", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--lambda", defaultValue = "1e-4", paramLabel = "X", description = "Jumpstart weight (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--jumpstart", defaultValue = "l1", paramLabel = "AGG",
            description = "Jumpstart aggregation: mean, l1, l2, l2sq-balanced, balanced (default: ${DEFAULT-VALUE}).")
    String aggregation;

    @Option(names = "--epochs", defaultValue = "5000", paramLabel = "N", description = "Epochs per cell (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--init", defaultValue = "glorot_uniform", paramLabel = "NAME", description = "Initializer (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--threads", paramLabel = "N", description = "Networks trained at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (results.csv, heatmap.png/.svg, sweep.json); required unless --dry-run.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
            description = "Where the cells train: this machine's threads, or Apache Spark (needs relume-spark and Spark on the"
                    + " class path, e.g. through spark-submit; see the README) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--dry-run",
            description = "Print the cells and the estimated work (floating-point operations, and core-hours at a speed"
                    + " measured here) and stop, training nothing and writing nothing.")
    boolean dryRun;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master, e.g. local[2] (default: the one spark-submit gives).")
    String master;

    private static void requireDistinct(String flag, List<?> values) {
        if (new java.util.HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException(flag + " lists a value twice (" + values + "); each cell would be trained and recorded twice");
        }
    }

    @Override
    public Integer call() throws IOException {
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("--lr must be positive, got " + lr);
        }
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("--threads must be positive, got " + threads);
        }
        Sweep.Engine remote = Engines.byName(engine, master);
        requireDistinct("--widths", widths);
        requireDistinct("--depths", depths);
        requireDistinct("--methods", methods);
        requireDistinct("--seeds", seeds);
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Settings settings = new Settings(data, epochs, lr, Initializer.byName(init), 0, Aggregation.byName(aggregation), lambda);
        List<Cell> cells = Sweep.grid(methods, widths, depths, seeds);
        // A bad data spec or file fails here, once, rather than in every cell after the output exists.
        DataSources.load(DataSources.Request.of(data, 1));
        CostEstimate.Estimate estimate = CostEstimate.of(settings, cells);
        if (dryRun) {
            PrintWriter o = spec.commandLine().getOut();
            for (Cell c : cells) {
                o.println("cell     " + c.key());
            }
            o.printf(Locale.ROOT, "estimate %s%n", estimate.describe());
            o.flush();
            return Relume.OK;
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required (or --dry-run to see the cells and the estimate)");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a directory");
        }
        PrintWriter o = spec.commandLine().getOut();
        boolean spark = remote != null;
        Sweep sweep = spark ? new Sweep(settings, remote) : new Sweep(settings, workers);
        o.printf(Locale.ROOT, "sweep    %d cells: methods %s, widths %s, depths %s, seeds %s; %s%n",
                cells.size(), methods, widths, depths, seeds, spark ? "on Spark" + (master == null ? "" : " " + master)
                        : workers + " threads");
        o.printf(Locale.ROOT, "settings %s%n", settings.describe());
        o.printf(Locale.ROOT, "estimate %s%n", estimate.describe());
        o.flush();
        Files.createDirectories(out);
        Json.write(out.resolve("sweep.json"), java.util.Map.of("settings", settings.describe(), "methods", methods,
                "widths", widths, "depths", depths, "seeds", seeds, "threads", workers));
        CellProgress progress = new CellProgress(quiet);
        progress.start("sweep", cells.size());
        Sweep.Result r;
        try {
            r = sweep.run(cells, out.resolve("results.csv"),
                    (outcome, done, total) -> progress.step(done, outcome.cell().key()));
        } finally {
            progress.end();
        }
        DepthWidthAnalysis a = new DepthWidthAnalysis(r.outcomes());
        if (a.failedRuns() == r.outcomes().size()) {
            Object error = r.outcomes().get(0).error();
            throw new IllegalStateException("every cell failed (the first: " + error + "); see " + out.resolve("results.csv"));
        }
        a.writeHeatmaps(out.resolve("heatmap.png"), out.resolve("heatmap.svg"));
        o.println();
        o.print(a.trainableDepthTable());
        o.printf(Locale.ROOT, "%nwall time %.1f s on %d threads for %d new cells (%d resumed); sum of their own times %.1f s%n",
                r.seconds(), workers, r.ran(), r.resumed(), r.outcomes().stream().skip(0)
                        .filter(x -> x != null).mapToDouble(DepthWidthExperiment.Outcome::seconds).sum());
        if (a.failedRuns() > 0) {
            o.printf(Locale.ROOT, "%d cell(s) failed; see the error column of %s%n", a.failedRuns(), out.resolve("results.csv"));
        }
        o.printf("wrote    %s (results.csv, heatmap.png, heatmap.svg, sweep.json)%n", out);
        o.flush();
        return Relume.OK;
    }
}
