package org.relume.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Outcome;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.tensor.kernel.Parallelism;

/**
 * Trains every cell of a depth x width grid. The default {@link Engine} runs one network per core:
 * cells run on a fixed pool of worker threads, each with kernel splitting disabled, so two cores
 * train two networks at once; another engine (the relume-spark module's) may run them elsewhere,
 * as each cell is a pure function of its settings and seed.
 * Each finished cell is appended to {@code results.csv} at once; rerunning with the same file skips
 * the cells already there, so an interrupted sweep resumes where it stopped. Every row records the
 * settings it was trained with, and a file holding rows of other settings is refused rather than
 * resumed. A failed cell is recorded with its error and the sweep goes on.
 */
public final class Sweep {
    private final Settings settings;
    private final int threads;
    private final Engine engine;

    /**
     * Runs cells and hands each finished one to {@code finished} (from any thread, as the cells
     * finish, so the sweep can record it at once).
     */
    public interface Engine {
        void run(Settings settings, List<Cell> cells, java.util.function.Consumer<Outcome> finished) throws IOException;
    }

    /** Called on a worker thread after each cell; implementations must be thread-safe. */
    public interface Listener {
        void cellDone(Outcome outcome, int done, int total);
    }

    public Sweep(Settings settings, int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.settings = settings;
        this.threads = threads;
        this.engine = (s, cells, finished) -> runLocally(s, cells, finished, threads);
    }

    /** A sweep on another engine (e.g. Spark); {@link #threads()} is then 0. */
    public Sweep(Settings settings, Engine engine) {
        this.settings = settings;
        this.threads = 0;
        this.engine = engine;
    }

    /** Every combination, in the order methods x widths x depths x seeds. */
    public static List<Cell> grid(List<String> methods, List<Integer> widths, List<Integer> depths, List<Long> seeds) {
        List<Cell> cells = new ArrayList<>();
        for (String m : methods) {
            for (int w : widths) {
                for (int d : depths) {
                    for (long s : seeds) {
                        cells.add(new Cell(m, w, d, s));
                    }
                }
            }
        }
        return cells;
    }

    /** The outcome of a sweep: every cell's result (earlier and new) and the cells run now. */
    public record Result(List<Outcome> outcomes, int ran, int resumed, double seconds) {}

    /**
     * Runs the cells not yet in {@code resultsCsv} and returns all outcomes (including earlier ones)
     * in grid order.
     */
    public Result run(List<Cell> cells, Path resultsCsv, Listener listener) throws IOException {
        long start = System.nanoTime();
        Map<String, Outcome> byKey = new LinkedHashMap<>();
        try (ResultsCsv csv = ResultsCsv.open(resultsCsv, DepthWidthExperiment.COLUMNS)) {
            Set<String> wanted = new HashSet<>();
            for (Cell c : cells) {
                wanted.add(c.key());
            }
            // Resuming would mix cells trained two ways under one heatmap and sweep.json.
            for (Map<String, String> row : csv.existingRows(settings.describe())) {
                try {
                    Outcome o = Outcome.fromRow(row);
                    if (wanted.contains(o.cell().key())) {
                        byKey.put(o.cell().key(), o);
                    }
                } catch (RuntimeException e) {
                    // A row we cannot read is treated as not done; the cell runs again.
                }
            }
            List<Cell> todo = new ArrayList<>();
            for (Cell c : cells) {
                if (!byKey.containsKey(c.key())) {
                    todo.add(c);
                }
            }
            // Costliest first, so that the last cells to finish are small ones and no worker idles
            // long at the end (in grid order the full MOONS grid ended on its two 12 s cells).
            todo.sort(java.util.Comparator.comparingLong(Sweep::relativeCost).reversed());
            csv.requireCanAdd(todo.size());
            int resumed = cells.size() - todo.size();
            AtomicInteger done = new AtomicInteger(resumed);
            List<IOException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            engine.run(settings, todo, outcome -> {
                try {
                    Map<String, Object> row = outcome.row();
                    row.put("settings", settings.describe());
                    csv.append(row);
                } catch (IOException e) {
                    failures.add(e);
                }
                synchronized (byKey) {
                    byKey.put(outcome.cell().key(), outcome);
                }
                if (listener != null) {
                    listener.cellDone(outcome, done.incrementAndGet(), cells.size());
                }
            });
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            List<Outcome> ordered = new ArrayList<>();
            for (Cell c : cells) {
                ordered.add(byKey.get(c.key()));
            }
            return new Result(ordered, todo.size(), resumed, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * A cell's work relative to the others: depth x width^2 multiply-adds per example, with five
     * units' worth of per-layer overhead (on MOONS a width-1 cell takes about 1/25 of a width-25 one).
     */
    static long relativeCost(Cell c) {
        long w = c.width() + 5L;
        return c.depth() * w * w;
    }

    /** The local engine: a fixed pool of {@code threads} workers, one network per core. */
    private static void runLocally(Settings settings, List<Cell> cells, java.util.function.Consumer<Outcome> finished,
                                   int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "relume-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Cell c : cells) {
                futures.add(pool.submit(() -> finished.accept(
                        Parallelism.callSingleThreaded(() -> DepthWidthExperiment.run(c, settings)))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sweep interrupted; rerun with the same output to resume", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the cells into the context's {@code results.csv} (resuming what is there), showing the
     * reproduction's progress: the common body of the grid reproductions.
     */
    public Result runInto(Reproduction.Context ctx, String task, List<Cell> cells) throws IOException {
        ctx.progress().start(task, cells.size());
        try {
            return run(cells, ctx.out().resolve("results.csv"), (o, done, total) -> ctx.progress().step(done, o.cell().key()));
        } finally {
            ctx.progress().end();
        }
    }

    /**
     * True when {@code resultsCsv} already holds a row for every cell, made with these settings: a
     * rerun then trains nothing and needs no data, it only writes the report and figures again.
     */
    public boolean holdsEvery(List<Cell> cells, Path resultsCsv) throws IOException {
        if (!Files.isRegularFile(resultsCsv)) {
            return false;
        }
        Set<String> have = new HashSet<>();
        try (ResultsCsv csv = ResultsCsv.open(resultsCsv, DepthWidthExperiment.COLUMNS)) {
            for (Map<String, String> row : csv.existingRows(settings.describe())) {
                try {
                    have.add(Outcome.fromRow(row).cell().key());
                } catch (RuntimeException e) {
                    // An unreadable row is a cell still to run, as in run().
                }
            }
        }
        return cells.stream().allMatch(c -> have.contains(c.key()));
    }

    public Settings settings() {
        return settings;
    }

    public int threads() {
        return threads;
    }
}
