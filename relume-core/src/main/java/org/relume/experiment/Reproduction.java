package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * A paper's headline experiment as a named, parameterized command:
 * {@code relume reproduce NAME [--quick] --out DIR} writes {@code DIR/results.csv} and
 * {@code DIR/report.md} (ours beside the paper's numbers, with seeds, settings and wall time), plus
 * figures where the paper has them. The quick profile finishes in minutes and is what tests run.
 */
public interface Reproduction {

    /** The name on the command line, e.g. {@code jumpstart-moons}. */
    String name();

    /** One line: which paper and which experiment. */
    String title();

    /** Runs the quick or full profile, writing into {@code out}; progress and notes go to {@code log}. */
    void run(Context context) throws IOException;

    /**
     * The trainings {@link #run} does under the context's profile, for the work estimate printed
     * before a run and for {@code reproduce --dry-run}: it may check and read data, never train or
     * write. Empty for an experiment that trains nothing.
     */
    List<CostEstimate.Training> plan(Context context) throws IOException;

    /**
     * What a run gets: profile, output directory, worker threads, a progress sink, a log, and the
     * user's data directory ({@code --data-dir}) for experiments on data Relume cannot ship, or null,
     * and the engine grid sweeps run on ({@code --engine spark}), or null for this machine's threads.
     */
    record Context(boolean quick, Path out, int threads, Progress progress, PrintWriter log, Path dataDir,
                   Sweep.Engine engine) {
        /** Without a data directory (experiments on generated or default data). */
        public Context(boolean quick, Path out, int threads, Progress progress, PrintWriter log) {
            this(quick, out, threads, progress, log, null, null);
        }

        /** On this machine's threads. */
        public Context(boolean quick, Path out, int threads, Progress progress, PrintWriter log, Path dataDir) {
            this(quick, out, threads, progress, log, dataDir, null);
        }

        /** The sweep of a grid reproduction: on the context's engine (e.g. Spark) if it has one, else locally. */
        public Sweep sweep(DepthWidthExperiment.Settings settings) {
            return engine != null ? new Sweep(settings, engine) : new Sweep(settings, threads);
        }
    }

    /** Progress over the units of work (cells, models, ...); the CLI shows it as a bar. */
    interface Progress {
        void start(String task, int total);

        void step(int done, String message);

        void end();

        Progress NONE = new Progress() {
            @Override public void start(String task, int total) {}

            @Override public void step(int done, String message) {}

            @Override public void end() {}
        };
    }
}
