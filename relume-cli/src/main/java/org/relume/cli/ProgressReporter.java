package org.relume.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * Training progress on standard error: over epochs, or over batches when an epoch has several
 * (image data: one MNIST epoch is hundreds of steps), with the running loss and the latest
 * validation metric. On a terminal a bar redrawn in place, within 80 columns; when stderr is a file
 * or a pipe ({@code 2>log}) plain lines, one every {@link #PLAIN_INTERVAL_NANOS} and one at the
 * end, without carriage returns or escape codes, so a log stays readable and greppable.
 */
final class ProgressReporter implements TrainingListener {
    /** Time between plain lines: often enough to see a long run move, rarely enough for a short one to print none. */
    static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

    private final String task;
    /** Where plain lines go; null to draw a bar instead. */
    private final PrintStream plain;
    private final LongSupplier clock;
    private final long interval;
    private ProgressBar bar;
    private boolean opened;
    private long started;
    private long lastUpdate;
    private boolean perBatch;
    private boolean wroteLine;
    private String metric = "";
    private String latest = "";
    /** The text of the last plain line written, so the end is not printed twice. */
    private String printed = "";

    ProgressReporter(String task, PrintStream plain, LongSupplier clock, long interval) {
        this.task = task;
        this.plain = plain;
        this.clock = clock;
        this.interval = interval;
    }

    /** A reporter on standard error (a bar on a terminal, plain lines otherwise), or null when asked to be quiet. */
    static ProgressReporter forTerminal(String task, boolean quiet) {
        if (quiet) {
            return null;
        }
        return Terminal.stderrIsTerminal() ? new ProgressReporter(task, null, System::nanoTime, 200_000_000L)
                : new ProgressReporter(task, System.err, System::nanoTime, PLAIN_INTERVAL_NANOS);
    }

    /**
     * Built at the first step, when it is known whether to count epochs or batches. No speed and
     * no ETA: on an 80-column terminal they pushed the loss and the validation metric off the line.
     */
    private void open(long max, String unit) {
        opened = true;
        started = clock.getAsLong();
        lastUpdate = started;
        if (plain == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(unit, 1).hideEta()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .build();
        }
    }

    /** The text after the bar: short enough to fit an 80-column line with the bar. */
    static String message(int epoch, int epochs, double loss, String metric) {
        return String.format(Locale.ROOT, "%sloss %.3g%s", epochs > 0 ? "ep " + epoch + "/" + epochs + " " : "", loss, metric);
    }

    @Override
    public void onBatchEnd(TrainingState state, int batch, int batches, float loss) {
        if (!opened) {
            perBatch = batches >= 2;
            open(perBatch ? (long) state.epochs() * batches : state.epochs(), perBatch ? "" : " epochs");
        }
        if (!perBatch) {
            return;
        }
        boolean last = state.epoch() + 1 == state.epochs() && batch + 1 == batches;
        if (bar != null) {
            bar.stepTo((long) state.epoch() * batches + batch + 1);
        }
        update(message(state.epoch() + 1, state.epochs(), loss, metric)
                + (plain == null ? "" : " batch " + (batch + 1) + "/" + batches), last);
    }

    @Override
    public void onEpochEnd(TrainingState state, double epochLoss) {
        if (perBatch || !opened) {
            return;
        }
        if (bar != null) {
            bar.stepTo(state.epoch() + 1L);
        }
        boolean last = state.epoch() + 1 == state.epochs();
        update(plain == null ? message(0, 0, epochLoss, metric) : message(state.epoch() + 1, state.epochs(), epochLoss, metric),
                last);
    }

    /** Shows {@code text} when the interval has passed since the last update, or at the last step. */
    private void update(String text, boolean last) {
        latest = text;
        long now = clock.getAsLong();
        if (now - lastUpdate < interval && !last) {
            return;
        }
        lastUpdate = now;
        if (bar != null) {
            bar.setExtraMessage(text);
        } else if (!last || wroteLine) {
            // A run that ends before the first interval prints nothing; a longer one also its end.
            line(now);
        }
    }

    private void line(long now) {
        printed = latest;
        plain.printf(Locale.ROOT, "%s: %s (%d s)%n", task, latest, (now - started) / 1_000_000_000L);
        plain.flush();
        wroteLine = true;
    }

    @Override
    public void onLog(TrainingState state, Map<String, Double> row) {
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
        // A run that stopped before its last epoch (early stopping, an interrupt) still ends its log
        // with where it stopped, once, when it wrote plain lines at all.
        if (plain != null && wroteLine && !latest.equals(printed)) {
            line(clock.getAsLong());
        }
    }
}
