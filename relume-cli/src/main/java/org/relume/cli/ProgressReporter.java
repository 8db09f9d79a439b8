package org.relume.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * A progress bar over epochs on the terminal, with the running loss; silent when the output is not
 * a terminal or when asked to be quiet, so logs and pipes stay clean.
 */
final class ProgressReporter implements TrainingListener {
    private final String task;
    private ProgressBar bar;
    private long lastUpdate;

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

    @Override
    public void onStart(TrainingState state) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(state.epochs())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(" epochs", 1)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                .showSpeed().build();
    }

    @Override
    public void onEpochEnd(TrainingState state, double epochLoss) {
        bar.stepTo(state.epoch() + 1L);
        long now = System.nanoTime();
        if (now - lastUpdate > 200_000_000L) {
            bar.setExtraMessage(String.format(" loss %.4g", epochLoss));
            lastUpdate = now;
        }
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
