package org.relume.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * A progress bar on the terminal, over epochs, or over batches when an epoch has several (image
 * data: one MNIST epoch is hundreds of steps), with the running loss and the latest validation
 * metric; silent when the output is not a terminal or when asked to be quiet, so logs and pipes
 * stay clean.
 */
final class ProgressReporter implements TrainingListener {
    private final String task;
    private ProgressBar bar;
    private long lastUpdate;
    private boolean perBatch;
    private String metric = "";

    private ProgressReporter(String task) {
        this.task = task;
    }

    /** A reporter if progress should be shown, else null. */
    static ProgressReporter forTerminal(String task, boolean quiet) {
        return quiet || !isTerminal() ? null : new ProgressReporter(task);
    }

    static boolean isTerminal() {
        return System.console() != null;
    }

    /** Built at the first step, when it is known whether to count epochs or batches. */
    private void open(long max, String unit) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(unit, 1)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                .showSpeed().build();
    }

    @Override
    public void onBatchEnd(TrainingState state, int batch, int batches, float loss) {
        if (bar == null) {
            perBatch = batches >= 2;
            open(perBatch ? (long) state.epochs() * batches : state.epochs(), perBatch ? " batches" : " epochs");
        }
        if (!perBatch) {
            return;
        }
        bar.stepTo((long) state.epoch() * batches + batch + 1);
        long now = System.nanoTime();
        if (now - lastUpdate > 200_000_000L) {
            bar.setExtraMessage(String.format(" epoch %d/%d, loss %.4g%s", state.epoch() + 1, state.epochs(), loss, metric));
            lastUpdate = now;
        }
    }

    @Override
    public void onEpochEnd(TrainingState state, double epochLoss) {
        if (perBatch || bar == null) {
            return;
        }
        bar.stepTo(state.epoch() + 1L);
        long now = System.nanoTime();
        if (now - lastUpdate > 200_000_000L) {
            bar.setExtraMessage(String.format(" loss %.4g%s", epochLoss, metric));
            lastUpdate = now;
        }
    }

    @Override
    public void onLog(TrainingState state, java.util.Map<String, Double> row) {
        Double acc = row.get("validation_accuracy");
        Double mse = row.get("validation_mse");
        metric = acc != null ? String.format(", val acc %.4f", acc) : mse != null ? String.format(", val mse %.4g", mse) : "";
    }

    @Override
    public void onEnd(TrainingState state) {
        close();
    }

    void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
