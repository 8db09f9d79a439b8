package org.relume.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.relume.experiment.Reproduction;

/** A progress bar over units of work (sweep cells, models) on the terminal; silent otherwise. */
final class CellProgress implements Reproduction.Progress {
    private final boolean enabled;
    private ProgressBar bar;

    CellProgress(boolean quiet) {
        this.enabled = !quiet && ProgressReporter.isTerminal();
    }

    @Override
    public synchronized void start(String task, int total) {
        if (enabled) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setUnit(" cells", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true))).build();
        }
    }

    @Override
    public synchronized void step(int done, String message) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + message);
        }
    }

    @Override
    public synchronized void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
