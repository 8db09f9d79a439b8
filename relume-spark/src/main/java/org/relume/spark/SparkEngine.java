package org.relume.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.relume.experiment.DepthWidthExperiment;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Outcome;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.experiment.Sweep;
import org.relume.tensor.kernel.Parallelism;

/**
 * A {@link Sweep.Engine} on Apache Spark: every cell of a sweep is one Spark job of one task, so a
 * cluster trains as many networks at once as it has executor cores, and a task that is retried
 * recomputes the same cell (a cell is a pure function of its settings and seed). Each job is
 * submitted and awaited by its own driver thread, so a cell reaches the sweep (and
 * {@code results.csv}) as soon as it finishes, and an interrupted sweep keeps what finished.
 * Inside a task the kernels run on one thread, as the local engine's workers do.
 */
public final class SparkEngine implements Sweep.Engine {
    private final String master;

    /** @param master a Spark master URL such as {@code local[2]}, or null to take spark-submit's */
    public SparkEngine(String master) {
        this.master = master;
    }

    @Override
    public void run(Settings settings, List<Cell> cells, Consumer<Outcome> finished) throws IOException {
        if (cells.isEmpty()) {
            return;
        }
        SparkConf conf = new SparkConf().setAppName("relume sweep").set("spark.ui.enabled", "false");
        if (master != null) {
            conf.setMaster(master);
        }
        ExecutorService driver = Executors.newFixedThreadPool(Math.min(cells.size(), 256), r -> {
            Thread t = new Thread(r, "relume-spark-driver");
            t.setDaemon(true);
            return t;
        });
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            List<Future<?>> jobs = new ArrayList<>();
            for (Cell cell : cells) {
                jobs.add(driver.submit(() -> finished.accept(train(sc, settings, cell))));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sweep interrupted; rerun with the same output to resume", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a Spark job failed: " + e.getCause(), e.getCause());
        } finally {
            driver.shutdownNow();
        }
    }

    private static Outcome train(JavaSparkContext sc, Settings settings, Cell cell) {
        return sc.parallelize(List.of(cell), 1)
                .map(c -> Parallelism.callSingleThreaded(() -> DepthWidthExperiment.run(c, settings)))
                .collect().get(0);
    }
}
