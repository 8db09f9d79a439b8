package org.relume.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.relume.tensor.kernel.Parallelism;

/**
 * Runs a reproduction's independent trainings one network per core: a fixed pool of the context's
 * worker threads, kernel splitting off inside each (so cores are not oversubscribed), progress
 * reported per finished task, results in task order.
 */
final class ParallelRuns {
    private ParallelRuns() {}

    /** One unit of work and the label shown beside the progress bar. */
    record Task<T>(String label, Supplier<T> body) {}

    static <T> List<T> run(String name, List<Task<T>> tasks, Reproduction.Context ctx) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(ctx.threads(), r -> {
            Thread t = new Thread(r, "relume-" + name);
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        ctx.progress().start(name, tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Task<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    T result = Parallelism.callSingleThreaded(task.body());
                    ctx.progress().step(done.incrementAndGet(), task.label());
                    return result;
                }));
            }
            List<T> out = new ArrayList<>(tasks.size());
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": a run failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            ctx.progress().end();
            pool.shutdownNow();
        }
    }
}
