package org.relume.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Trains every cell of a depth x width grid, one network per core: cells run on a fixed pool of
 * worker threads, each with kernel splitting disabled, so two cores train two networks at once.
 * Each finished cell is appended to {@code results.csv} at once; rerunning with the same file skips
 * the cells already there, so an interrupted sweep resumes where it stopped. Every row records the
 * settings it was trained with, and a file holding rows of other settings is refused rather than
 * resumed. A failed cell is recorded with its error and the sweep goes on.
 */
public final class Sweep {
    private final Settings settings;
    private final int threads;

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
            String ours = settings.describe();
            for (Map<String, String> row : csv.existingRows()) {
                String theirs = row.get("settings");
                if (!ours.equals(theirs)) {
                    // Resuming would mix cells trained two ways under one heatmap and sweep.json.
                    throw new IllegalArgumentException(resultsCsv + " holds cells trained with other settings ("
                            + theirs + "; now: " + ours + "); use another output directory or remove the file");
                }
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
            int resumed = cells.size() - todo.size();
            AtomicInteger done = new AtomicInteger(resumed);
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "relume-sweep");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Outcome>> futures = new ArrayList<>();
                for (Cell c : todo) {
                    futures.add(pool.submit(() -> {
                        Outcome outcome = Parallelism.callSingleThreaded(() -> DepthWidthExperiment.run(c, settings));
                        try {
                            Map<String, Object> row = outcome.row();
                            row.put("settings", settings.describe());
                            csv.append(row);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        if (listener != null) {
                            listener.cellDone(outcome, done.incrementAndGet(), cells.size());
                        }
                        return outcome;
                    }));
                }
                for (Future<Outcome> f : futures) {
                    Outcome o = f.get();
                    byKey.put(o.cell().key(), o);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("sweep interrupted; rerun with the same output to resume", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw new IllegalStateException("a sweep worker failed: " + cause, cause);
            } finally {
                pool.shutdownNow();
            }
            List<Outcome> ordered = new ArrayList<>();
            for (Cell c : cells) {
                ordered.add(byKey.get(c.key()));
            }
            return new Result(ordered, todo.size(), resumed, (System.nanoTime() - start) / 1e9);
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

    public Settings settings() {
        return settings;
    }

    public int threads() {
        return threads;
    }
}
