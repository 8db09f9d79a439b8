package org.relume.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.relume.experiment.Reproduction;

/**
 * Progress over units of work (sweep cells, models) on standard error: a bar on a terminal, and
 * when stderr is a file or a pipe plain lines as {@link ProgressReporter} writes them (one every
 * {@link ProgressReporter#PLAIN_INTERVAL_NANOS} and one at the end), without escape codes.
 */
final class CellProgress implements Reproduction.Progress {
    private final boolean enabled;
    private final PrintStream plain;
    private final LongSupplier clock;
    private ProgressBar bar;
    private String task;
    private int total;
    private long started;
    private long lastLine;
    private boolean wroteLine;

    CellProgress(boolean quiet) {
        this(!quiet, Terminal.stderrIsTerminal() ? null : System.err, System::nanoTime);
    }

    /** {@code plain} null draws a bar; else lines go there. */
    CellProgress(boolean enabled, PrintStream plain, LongSupplier clock) {
        this.enabled = enabled;
        this.plain = plain;
        this.clock = clock;
    }

    @Override
    public synchronized void start(String task, int total) {
        if (!enabled) {
            return;
        }
        this.task = task;
        this.total = total;
        started = clock.getAsLong();
        lastLine = started;
        if (plain == null) {
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
        } else if (enabled && plain != null && task != null) {
            long now = clock.getAsLong();
            boolean last = done >= total;
            if (now - lastLine >= ProgressReporter.PLAIN_INTERVAL_NANOS || (last && wroteLine)) {
                plain.printf(Locale.ROOT, "%s: %d/%d %s (%d s)%n", task, done, total, message,
                        (now - started) / 1_000_000_000L);
                plain.flush();
                lastLine = now;
                wroteLine = true;
            }
        }
    }

    @Override
    public synchronized void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        task = null;
    }
}
