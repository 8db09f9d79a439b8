package org.relume.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times Relume's workloads (or any {@link Shape}) each in a fresh JVM, as the peers each run in their own process. In one
 * JVM the order mattered: after a few steps of another workload (thin, tiny or a CNN) the medium
 * MLP's step took 3-20x longer than fresh (94-492 ms against 25-37 ms; the matrix multiply was
 * recompiled with the other shapes' profile). A fresh JVM per workload is what a user training one
 * network sees. When a JVM cannot be started
 * the workload is timed in this one and the report says so.
 */
final class RelumeSide {
    private RelumeSide() {}

    /** A median step time, and whether it came from its own JVM. */
    record Timing(double medianMs, boolean ownJvm, String note) {}

    static Timing time(Shape w, int steps, double warmupSeconds, long timeoutSeconds) {
        Path out = null;
        try {
            out = Files.createTempFile("relume-bench-" + w.id(), ".out");
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--add-modules", "jdk.incubator.vector", "-Xss8m",
                    StepTimer.JIT_TRAP_LIMIT,
                    "-cp", System.getProperty("java.class.path"), Worker.class.getName(), w.id(), Integer.toString(steps),
                    Double.toString(warmupSeconds)));
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return inProcess(w, steps, warmupSeconds, "its JVM timed out after " + timeoutSeconds + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || text.isEmpty()) {
                return inProcess(w, steps, warmupSeconds, "its JVM failed (exit " + p.exitValue() + ")");
            }
            return new Timing(Double.parseDouble(text.substring(text.lastIndexOf('\n') + 1)), true, null);
        } catch (IOException | NumberFormatException e) {
            return inProcess(w, steps, warmupSeconds, "no JVM could be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Timing(Double.NaN, false, "interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    private static Timing inProcess(Shape w, int steps, double warmupSeconds, String why) {
        return new Timing(StepTimer.medianMillis(w, Math.max(steps / 3, 3), warmupSeconds, steps, 1), false,
                "timed in the harness's JVM: " + why);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The child JVM: times one workload and prints its median milliseconds as the last line. */
    static final class Worker {
        private Worker() {}

        public static void main(String[] args) {
            Shape w = Shape.byName(args[0]);
            int steps = Integer.parseInt(args[1]);
            double ms = StepTimer.medianMillis(w, Math.max(steps / 3, 3), Double.parseDouble(args[2]), steps, 1);
            System.out.println(String.format(Locale.ROOT, "%.9g", ms));
        }
    }
}
