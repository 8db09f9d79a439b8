package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.relume.experiment.CostEstimate;
import org.relume.experiment.Reproduction;
import org.relume.experiment.Reproductions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code relume reproduce NAME [--quick] --out DIR}: a paper's headline experiment with a report. */
@Command(name = "reproduce",
        header = "Reproduce a paper's headline experiment: DIR/results.csv and DIR/report.md beside the paper's numbers.",
        description = {
            "Runs the full profile (the paper's setup) or, with --quick, a subset that finishes in minutes."
                + " Interrupted runs resume from DIR/results.csv where the experiment supports it. Use --list to see"
                + " the available experiments.",
            "",
            "Example:",
            "  relume reproduce jumpstart-moons --quick --out runs/jumpstart-quick",
            ""},
        mixinStandardHelpOptions = true)
final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The experiment, e.g. jumpstart-moons.")
    String name;

    @Option(names = "--list", description = "List the experiments and exit.")
    boolean list;

    @Option(names = "--quick", description = "The quick profile.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data for experiments on files Relume cannot ship (jumpstart-cifar: the CIFAR binary files).")
    Path dataDir;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
            description = "Where the grid reproductions (jumpstart-moons, -mnist, -cifar) train their cells: this machine's"
                    + " threads or Apache Spark (see the README's \"Sweeps on Apache Spark\") (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master, e.g. local[2].")
    String master;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--dry-run",
            description = "List the trainings the experiment would run and estimate their work (floating-point operations,"
                    + " and core-hours at the speed measured here); trains nothing and writes nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (list || name == null) {
            for (Reproduction r : Reproductions.all()) {
                o.printf("%-26s %s%n", r.name(), r.title());
            }
            o.flush();
            if (name == null && !list) {
                throw new IllegalArgumentException("name an experiment (see the list above), e.g. relume reproduce jumpstart-moons --quick --out DIR");
            }
            return Relume.OK;
        }
        if (out == null && !dryRun) {
            throw new IllegalArgumentException("--out DIR is required (or --dry-run to see the trainings and the estimate)");
        }
        if (out != null && java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a directory");
        }
        Reproduction r = Reproductions.byName(name);
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers <= 0) {
            throw new IllegalArgumentException("--threads must be positive, got " + workers);
        }
        o.println(r.title());
        o.flush();
        Reproduction.Context ctx = new Reproduction.Context(quick, out, workers, new CellProgress(quiet), o, dataDir,
                dryRun ? null : Engines.byName(engine, master));
        if (dryRun) {
            List<CostEstimate.Training> plan = r.plan(ctx);
            for (CostEstimate.Training t : plan) {
                o.printf("  %s%n", t.label());
            }
            o.printf("estimated work: %s%n", CostEstimate.of(plan).describe());
            o.flush();
            return Relume.OK;
        }
        o.printf("estimated work: %s%n", estimate(r, ctx));
        o.flush();
        r.run(ctx);
        o.printf("wrote    %s (results.csv, report.md)%n", out);
        o.flush();
        return Relume.OK;
    }

    /**
     * The estimate of all the reproduction's trainings (resumed ones included), or why there is
     * none: a finished grid redraws from its results.csv without the data the estimate would read,
     * and a run that does need them fails in run() with the same line.
     */
    private static String estimate(Reproduction r, Reproduction.Context ctx) throws IOException {
        try {
            return CostEstimate.of(r.plan(ctx)).describe();
        } catch (IllegalArgumentException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
