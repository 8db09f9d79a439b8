package org.relume.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * A progress bar on the terminal, over epochs, or over batches when an epoch has several (image
 * data: one MNIST epoch is hundreds of steps), with the running loss and the latest validation
 * metric, all within 80 columns; silent when the output is not a terminal or when asked to be quiet, so logs and pipes
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

    /**
     * Built at the first step, when it is known whether to count epochs or batches. No speed and
     * no ETA: on an 80-column terminal they pushed the loss and the validation metric off the line.
     */
    private void open(long max, String unit) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(unit, 1).hideEta()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                .build();
    }

    /** The text after the bar: short enough to fit an 80-column line with the bar. */
    static String message(int epoch, int epochs, double loss, String metric) {
        return String.format(Locale.ROOT, "%sloss %.3g%s", epochs > 0 ? "ep " + epoch + "/" + epochs + " " : "", loss, metric);
    }

    @Override
    public void onBatchEnd(TrainingState state, int batch, int batches, float loss) {
        if (bar == null) {
            perBatch = batches >= 2;
            open(perBatch ? (long) state.epochs() * batches : state.epochs(), perBatch ? "" : " epochs");
        }
        if (!perBatch) {
            return;
        }
        bar.stepTo((long) state.epoch() * batches + batch + 1);
        long now = System.nanoTime();
        boolean last = state.epoch() + 1 == state.epochs() && batch + 1 == batches;
        if (now - lastUpdate > 200_000_000L || last) {
            bar.setExtraMessage(message(state.epoch() + 1, state.epochs(), loss, metric));
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
        if (now - lastUpdate > 200_000_000L || state.epoch() + 1 == state.epochs()) {
            bar.setExtraMessage(message(0, 0, epochLoss, metric));
            lastUpdate = now;
        }
    }

    @Override
    public void onLog(TrainingState state, java.util.Map<String, Double> row) {
        Double acc = row.get("validation_accuracy");
        Double mse = row.get("validation_mse");
        metric = acc != null ? String.format(Locale.ROOT, " val acc %.3f", acc)
                : mse != null ? String.format(Locale.ROOT, " val mse %.3g", mse) : "";
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
