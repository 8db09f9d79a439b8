package org.relume.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.experiment.DepthWidthExperiment;
import org.relume.experiment.Sweep;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;

/**
 * {@code relume bench}: Relume against PyTorch on the same machine in the same run, as ratios
 * (PyTorch time / Relume time, medians), plus the matrix multiply's GFLOP/s against a measured
 * peak and the sweep's parallel throughput. Each side runs in its own process: Relume in this
 * JVM, PyTorch in a Python child. Warm-up is excluded on both sides.
 */
public final class BenchSuite {
    private BenchSuite() {}

    /** The targets: ratio PyTorch / Relume per workload, and GEMM share of peak. */
    public static final Map<String, Double> TARGETS = Map.of("thin", 25.0, "tiny", 3.0, "medium", 1.0);
    public static final double GEMM_TARGET_SHARE = 0.40;

    public record Profile(int steps, int mediumSteps, double warmupSeconds, int gemmReps, long peakIterations, int sweepEpochs) {
        public static Profile quick() {
            return new Profile(300, 30, 2.0, 30, 150_000_000L, 2000);
        }

        public static Profile full() {
            return new Profile(2000, 100, 5.0, 100, 400_000_000L, 5000);
        }
    }

    public record Row(Workload workload, double relumeMs, double pytorchMs) {
        public double ratio() {
            return Double.isNaN(pytorchMs) ? Double.NaN : pytorchMs / relumeMs;
        }
    }

    public static void run(boolean quick, Path out, PrintWriter log) throws IOException {
        run(quick ? Profile.quick() : Profile.full(), quick, out, log);
    }

    /** Runs with an explicit profile (tests use a tiny one: the plumbing, not the timings). */
    public static void run(Profile p, boolean quick, Path out, PrintWriter log) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> machine = Machine.describe();
        log.printf(Locale.ROOT, "machine  %s%n", machine.get("summary"));
        log.flush();

        List<Row> rows = new ArrayList<>();
        Map<String, Double> relume = new LinkedHashMap<>();
        for (Workload w : Workload.values()) {
            int steps = w == Workload.MEDIUM ? p.mediumSteps() : p.steps();
            double ms = StepTimer.medianMillis(w, Math.max(steps / 3, 10), p.warmupSeconds(), steps, 1);
            relume.put(w.id(), ms);
            log.printf(Locale.ROOT, "relume   %-16s %9.4f ms/step%n", w.id(), ms);
            log.flush();
        }
        PyTorchSide.Result torch = PyTorchSide.run(Workload.all(), p.steps(), Math.max(p.steps() / 5, 10),
                p.warmupSeconds(), 1800);
        if (torch.available()) {
            log.printf(Locale.ROOT, "pytorch  %s via %s, %d threads, BLAS %s%n", torch.torchVersion(), torch.python(),
                    torch.threads(), torch.blas());
        } else {
            log.printf("pytorch  skipped: %s%n", torch.reason());
        }
        for (Workload w : Workload.values()) {
            rows.add(new Row(w, relume.get(w.id()), torch.medianMillis().getOrDefault(w.id(), Double.NaN)));
        }

        int cores = Runtime.getRuntime().availableProcessors();
        double gemm1 = Throughput.gemmGflops(512, 512, 512, 1, p.gemmReps());
        double gemmAll = Throughput.gemmGflops(512, 512, 512, cores, p.gemmReps());
        double gemmMedium = Throughput.gemmGflops(512, 256, 784, cores, p.gemmReps());
        double mediumStep = Workload.MEDIUM.stepGemmFlops() / (relume.get("medium") / 1e3) / 1e9;
        double peak1 = Throughput.peakGflops(1, p.peakIterations());
        double peakAll = Throughput.peakGflops(cores, p.peakIterations());

        Sweep.Result serial;
        Sweep.Result parallel;
        Path tmp = Files.createTempDirectory("relume-bench-sweep");
        try {
            var cells = Sweep.grid(List.of("baseline", "jumpstart"), List.of(3, 10), List.of(10, 30), List.of(1L));
            var settings = DepthWidthExperiment.Settings.paper().withEpochs(p.sweepEpochs());
            serial = new Sweep(settings, 1).run(cells, tmp.resolve("serial.csv"), null);
            parallel = new Sweep(settings, cores).run(cells, tmp.resolve("parallel.csv"), null);
        } finally {
            for (String f : new String[] {"serial.csv", "parallel.csv"}) {
                Files.deleteIfExists(tmp.resolve(f));
            }
            Files.deleteIfExists(tmp);
        }

        StringBuilder csv = new StringBuilder("workload,relume_ms,pytorch_ms,ratio,relume_steps_per_s,pytorch_steps_per_s,target_ratio\n");
        for (Row r : rows) {
            Double target = TARGETS.get(r.workload().id());
            csv.append(String.join(",", r.workload().id(), fmt(r.relumeMs()), fmt(r.pytorchMs()), fmt(r.ratio()),
                    fmt(1000 / r.relumeMs()), fmt(1000 / r.pytorchMs()), target == null ? "" : fmt(target))).append('\n');
        }
        AtomicFiles.writeString(out.resolve("results.csv"), csv.toString());

        Map<String, Object> gemm = new LinkedHashMap<>();
        gemm.put("gemm_512_1_thread_gflops", gemm1);
        gemm.put("gemm_512_all_threads_gflops", gemmAll);
        gemm.put("gemm_medium_forward_512x256x784_gflops", gemmMedium);
        gemm.put("medium_step_gemm_gflops", mediumStep);
        gemm.put("peak_1_thread_gflops", peak1);
        gemm.put("peak_all_threads_gflops", peakAll);
        gemm.put("gemm_512_share_of_peak", gemmAll / peakAll);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("date", LocalDate.now().toString());
        all.put("profile", quick ? "quick" : "full");
        all.put("machine", machine);
        all.put("pytorch", torch.available() ? Map.of("version", torch.torchVersion(), "python", torch.python(),
                "threads", torch.threads(), "blas", torch.blas()) : Map.of("skipped", torch.reason()));
        all.put("workloads", rows.stream().map(r -> Map.of("workload", r.workload().id(), "relume_ms", r.relumeMs(),
                "pytorch_ms", r.pytorchMs(), "ratio", r.ratio())).toList());
        all.put("gemm", gemm);
        all.put("sweep", Map.of("cells", serial.outcomes().size(), "epochs", p.sweepEpochs(), "serial_seconds", serial.seconds(),
                "parallel_seconds", parallel.seconds(), "threads", cores));
        Json.write(out.resolve("bench.json"), all);
        String report = report(quick, p, machine, torch, rows, gemm, serial, parallel, cores);
        AtomicFiles.writeString(out.resolve("report.md"), report);
        log.println();
        log.print(table(rows));
        log.printf(Locale.ROOT, "%nmatrix multiply 512^3: %.1f GFLOP/s on 1 thread, %.1f on %d (%.0f%% of the measured %.1f GFLOP/s peak)%n",
                gemm1, gemmAll, cores, 100 * gemmAll / peakAll, peakAll);
        log.printf(Locale.ROOT, "sweep of %d cells: %.1f s on 1 thread, %.1f s on %d threads (%.2fx)%n", serial.outcomes().size(),
                serial.seconds(), parallel.seconds(), cores, serial.seconds() / parallel.seconds());
        log.flush();
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| workload | shape | Relume ms/step | PyTorch ms/step | ratio (PyTorch / Relume) | target |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Double t = TARGETS.get(r.workload().id());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %s | %s | %s |%n", r.workload().id(), r.workload().describe(),
                    r.relumeMs(), Double.isNaN(r.pytorchMs()) ? "–" : String.format(Locale.ROOT, "%.3f", r.pytorchMs()),
                    Double.isNaN(r.ratio()) ? "–" : String.format(Locale.ROOT, "%.1f", r.ratio()),
                    t == null ? "–" : (">= " + t.intValue() + (Double.isNaN(r.ratio()) ? "" : r.ratio() >= t ? " met" : " **not met**"))));
        }
        return sb.toString();
    }

    private static String report(boolean quick, Profile p, Map<String, Object> machine, PyTorchSide.Result torch,
                                 List<Row> rows, Map<String, Object> gemm, Sweep.Result serial, Sweep.Result parallel, int cores) {
        StringBuilder sb = new StringBuilder("# Relume benchmark against PyTorch\n\n");
        sb.append("Command: `relume bench").append(quick ? " --quick" : "").append("`; date ").append(LocalDate.now())
                .append("; profile ").append(quick ? "quick" : "full").append(".\n\n## Machine and versions\n\n");
        sb.append("- ").append(machine.get("summary")).append("\n");
        sb.append("- Relume: Java ").append(machine.get("java")).append(", Vector API species ").append(Throughput.lanes())
                .append(" float lanes\n");
        sb.append("- PyTorch: ").append(torch.available() ? torch.torchVersion() + " (" + torch.python() + "), "
                + torch.threads() + " threads, BLAS_INFO=" + torch.blas() + "; system BLAS: " + machine.get("blas")
                : "skipped: " + torch.reason()).append("\n\n");
        sb.append("## Training steps\n\nOne Adam training step (forward, loss, backward, update) on random data, float32, same shapes and ")
                .append("losses on both sides; the median of ").append(p.steps()).append(" timed steps (medium: ").append(p.mediumSteps())
                .append(") after an untimed warm-up of at least ").append(p.warmupSeconds())
                .append(" s, each side in its own process.\n\n");
        sb.append(table(rows)).append('\n');
        double share = (double) gemm.get("gemm_512_share_of_peak");
        sb.append("## Matrix multiply\n\n");
        sb.append(String.format(Locale.ROOT, "| case | GFLOP/s |%n|---|---|%n| 512 x 512 x 512, 1 thread | %.1f |%n"
                + "| 512 x 512 x 512, %d threads | %.1f |%n| medium forward, 512 x 256 x 784, %d threads | %.1f |%n"
                + "| whole medium training step (matrix-multiply FLOPs / step time) | %.1f |%n"
                + "| peak, 1 thread (measured) | %.1f |%n| peak, %d threads (measured) | %.1f |%n%n",
                gemm.get("gemm_512_1_thread_gflops"), cores, gemm.get("gemm_512_all_threads_gflops"), cores,
                gemm.get("gemm_medium_forward_512x256x784_gflops"), gemm.get("medium_step_gemm_gflops"),
                gemm.get("peak_1_thread_gflops"), cores, gemm.get("peak_all_threads_gflops")));
        sb.append(String.format(Locale.ROOT, "512^3 on %d threads reaches **%.0f%%** of the peak (target >= %.0f%%: %s). ", cores,
                100 * share, 100 * GEMM_TARGET_SHARE, share >= GEMM_TARGET_SHARE ? "met" : "not met"));
        sb.append("The peak is measured, not taken from a datasheet: every core runs a loop of twelve independent Vector API ")
                .append("fused multiply-adds on registers (no memory traffic), 2 FLOPs per lane. On this machine it equals ")
                .append("one 512-bit FMA per cycle per core at the boost clock.\n\n");
        sb.append(String.format(Locale.ROOT, "## Sweep throughput%n%nThe same %d-cell sweep (widths 3 and 10, depths 10 and 30, baseline and "
                + "jumpstart, %d epochs): %.1f s on 1 thread, %.1f s on %d threads, a %.2fx speed-up (one network per core).%n",
                serial.outcomes().size(), p.sweepEpochs(), serial.seconds(), parallel.seconds(), cores,
                serial.seconds() / parallel.seconds()));
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
