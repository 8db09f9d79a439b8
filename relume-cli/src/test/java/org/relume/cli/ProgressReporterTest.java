package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.optim.Adam;
import org.relume.train.TrainConfig;
import org.relume.train.Trainer;

/**
 * The bar's message, within 80 columns; whether stderr is a terminal; and the plain lines written
 * instead of a bar when it is not (no carriage return, no escape code).
 */
class ProgressReporterTest {
    @TempDir
    Path tmp;

    @Test
    void theMessageFitsBesideTheBar() {
        String m = ProgressReporter.message(262, 5000, 0.0012345678, " val acc 0.987");
        assertEquals("ep 262/5000 loss 0.00123 val acc 0.987", m);
        // "train 100% [====] 254000/254000 " leaves about 45 columns of 80 for the message.
        assertTrue(ProgressReporter.message(4999, 5000, -1.234567e-10, " val mse 1.23e-05").length() <= 45, m);
        assertEquals("loss 0.500 val acc 1.000", ProgressReporter.message(0, 0, 0.5, " val acc 1.000"));
    }

    @Test
    void terminalDevicesAreToldFromFilesAndPipes() {
        for (String t : List.of("/dev/pts/0", "/dev/pts/17", "/dev/tty1", "/dev/ttyS0", "/dev/tty", "/dev/console")) {
            assertTrue(Terminal.isTerminalDevice(t), t);
        }
        for (String t : List.of("pipe:[48213]", "socket:[99]", "/dev/null", "/home/u/train.log", "/tmp/dev/pts/1",
                "anon_inode:[eventfd]")) {
            assertFalse(Terminal.isTerminalDevice(t), t);
        }
    }

    /** Links like those in /proc/self/fd; a link that cannot be read leaves the answer to the fallback. */
    @Test
    void theStderrLinkDecidesAndTheFallbackCoversTheRest() throws IOException {
        Path pts = Files.createSymbolicLink(tmp.resolve("2"), Path.of("/dev/pts/4"));
        Path log = Files.createSymbolicLink(tmp.resolve("2-log"), tmp.resolve("train.log"));
        assertTrue(Terminal.linksToTerminal(pts, () -> false));
        assertFalse(Terminal.linksToTerminal(log, () -> true));
        assertTrue(Terminal.linksToTerminal(tmp.resolve("missing"), () -> true));
        assertFalse(Terminal.linksToTerminal(tmp.resolve("missing"), () -> false));
        Path plainFile = Files.writeString(tmp.resolve("not-a-link"), "");
        assertTrue(Terminal.linksToTerminal(plainFile, () -> true), "not a link: the fallback answers");
    }

    /** A clock that moves {@code stepNanos} at every reading. */
    private static final class SteppingClock implements java.util.function.LongSupplier {
        private final long stepNanos;
        private long now;

        SteppingClock(long stepNanos) {
            this.stepNanos = stepNanos;
        }

        @Override
        public long getAsLong() {
            now += stepNanos;
            return now;
        }
    }

    private static void train(ProgressReporter reporter, int epochs, int batchSize) {
        Dataset.Split split = Moons.generate(100, 0, 1).splitAt(85);
        TrainConfig cfg = TrainConfig.defaults().epochs(epochs).batchSize(batchSize).optimizer(new Adam(0.01)).seed(1)
                .logEvery(1).listener(reporter);
        new Trainer(cfg).train(Mlp.of(2, 4, 1, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1), split.train(),
                split.validation());
        reporter.close();
    }

    private static void assertPlain(String out) {
        assertFalse(out.contains("\r"), "no carriage return: " + out);
        assertFalse(out.contains("\u001b"), "no escape code: " + out);
    }

    @Test
    void offATerminalALongRunWritesPlainLinesAndItsEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // Each clock reading is 3 s later: a line about every 10 s of this fake time.
        train(new ProgressReporter("train", err, new SteppingClock(3_000_000_000L), ProgressReporter.PLAIN_INTERVAL_NANOS),
                20, 0);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertPlain(out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.size() >= 3, out);
        for (String l : lines) {
            assertTrue(l.matches("train: ep \\d+/20 loss \\S+ val acc \\d\\.\\d{3} \\(\\d+ s\\)"), l);
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("train: ep 20/20 "), "the last line is the end: " + out);
    }

    @Test
    void batchesAreCountedWhenAnEpochHasSeveral() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        train(new ProgressReporter("grow", err, new SteppingClock(3_000_000_000L), ProgressReporter.PLAIN_INTERVAL_NANOS),
                3, 17);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertPlain(out);
        assertTrue(out.lines().allMatch(l -> l.matches("grow: ep [1-3]/3 loss \\S+( val acc \\S+)? batch [1-5]/5 \\(\\d+ s\\)")),
                out);
        assertTrue(out.contains("ep 3/3") && out.contains("batch 5/5"), "85 rows in batches of 17; the end: " + out);
    }

    @Test
    void aRunShorterThanTheIntervalPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        train(new ProgressReporter("train", err, new SteppingClock(1_000L), ProgressReporter.PLAIN_INTERVAL_NANOS), 20, 0);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cellProgressOffATerminalIsPlainLinesToo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CellProgress p = new CellProgress(true, err, new SteppingClock(4_000_000_000L));
        p.start("sweep", 6);
        for (int done = 1; done <= 6; done++) {
            p.step(done, "w=" + done);
        }
        p.end();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertPlain(out);
        assertEquals(List.of("sweep: 3/6 w=3 (12 s)", "sweep: 6/6 w=6 (24 s)"), out.lines().toList());
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        CellProgress quiet = new CellProgress(false, new PrintStream(none, true, StandardCharsets.UTF_8),
                new SteppingClock(4_000_000_000L));
        quiet.start("sweep", 2);
        quiet.step(1, "a");
        quiet.step(2, "b");
        quiet.end();
        assertEquals(0, none.size(), "quiet prints nothing");
    }
}
