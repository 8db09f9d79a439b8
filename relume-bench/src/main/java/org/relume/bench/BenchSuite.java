package org.relume.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.bench.peer.Peer;
import org.relume.bench.peer.PeerResult;
import org.relume.bench.peer.PeerRunner;
import org.relume.bench.peer.PeerScripts;
import org.relume.experiment.DepthWidthExperiment;
import org.relume.experiment.Sweep;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;

/**
 * {@code relume bench}: Relume against its peers (PyTorch 2 eager and JAX with a jitted step from
 * bench/.venv, Debian's PyTorch 1.13) on the same machine in the same run, as ratios of median step
 * times, plus the matrix multiply's GFLOP/s against a measured peak and the sweep's parallel
 * throughput. Relume runs in this JVM, each peer in its own Python process; warm-up (and a peer's
 * compilation) is kept out of the step times. A peer that cannot run is reported and skipped.
 */
public final class BenchSuite {
    private BenchSuite() {}

    /** The 512^3 multiply's target share of the measured all-core peak (issue 13; it was 0.40 against the former peak). */
    public static final double GEMM_TARGET_SHARE = 0.80;

    /**
     * Timed steps per kind of workload, warm-up, rounds of interleaved timing ({@link Rounds}), and
     * the throughput measurements' sizes.
     */
    public record Profile(int steps, int mediumSteps, int cnnSteps, double warmupSeconds, int rounds, int gemmReps,
                          long peakIterations, int sweepEpochs) {
        public static Profile quick() {
            // 3 s of warm-up, not 2: on a 2-core VM the tiny step's kernels were still being compiled
            // after 2 s in about one JVM in three, and its median came out 1.5x too slow.
            return new Profile(300, 30, 10, 3.0, 1, 30, 50_000_000L, 2000);
        }

        public static Profile full() {
            return new Profile(2000, 100, 30, 5.0, 3, 100, 150_000_000L, 5000);
        }

        /** The same with another number of rounds (at least 1). */
        public Profile withRounds(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, got " + n);
            }
            return new Profile(steps, mediumSteps, cnnSteps, warmupSeconds, n, gemmReps, peakIterations, sweepEpochs);
        }

        /** The matrix multiply's least warm-up: a second, or none where the profile has none. */
        double gemmWarmupSeconds() {
            return Math.min(Throughput.GEMM_WARMUP_SECONDS, warmupSeconds);
        }

        int stepsOf(Workload w) {
            return w.convolutional() ? cnnSteps : w.heavy() ? mediumSteps : steps;
        }
    }

    public static void run(boolean quick, Path out, PrintWriter log) throws IOException {
        run(quick ? Profile.quick() : Profile.full(), quick, out, log, defaultPeers());
    }

    /** As {@link #run(boolean, Path, PrintWriter)}, with {@code rounds} rounds of interleaved timing (0: the profile's). */
    public static void run(boolean quick, int rounds, Path out, PrintWriter log) throws IOException {
        Profile p = quick ? Profile.quick() : Profile.full();
        run(rounds > 0 ? p.withRounds(rounds) : p, quick, out, log, defaultPeers());
    }

    /** The default peers, with the virtual environment looked for from here and from this jar upwards. */
    public static List<Peer> defaultPeers() {
        List<Path> starts = new ArrayList<>(List.of(Path.of("")));
        try {
            starts.add(Path.of(BenchSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code location: the working directory alone
        }
        return Peer.defaults(Peer.findVenv(System.getenv(Peer.VENV_VARIABLE), starts));
    }

    /** Runs with an explicit profile and peers (tests use a tiny profile and stand-in peers). */
    public static void run(Profile p, boolean quick, Path out, PrintWriter log, List<Peer> peers) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> machine = Machine.describe();
        log.printf(Locale.ROOT, "machine  %s%n", machine.get("summary"));
        log.flush();
        List<Workload> workloads = Workload.all();
        Path scratch = Files.createTempDirectory("relume-bench");
        try {
            Map<String, List<Double>> losses = Agreement.prepare(workloads, scratch, 1);
            PeerRunner runner = new PeerRunner(PeerScripts.extract(), quick ? 900 : 3600);
            Rounds.Result timed = Rounds.measure(p, workloads, peers, runner, scratch, log);
            Map<String, Double> relume = timed.relume();
            List<PeerResult> results = timed.peers();
            describePeers(results, log);
            List<Comparison.Row> rows = Comparison.rows(workloads, relume, results);
            AtomicFiles.writeString(out.resolve("results.csv"), Comparison.csv(rows));
            log.println();
            log.print(Comparison.summary(workloads, rows));
            log.flush();

            int cores = Runtime.getRuntime().availableProcessors();
            Map<String, Object> gemm = throughput(p, cores, relume.get(Workload.MEDIUM.id()));
            Sweep.Result[] sweep = sweep(p, cores);
            BenchReport.Run run = new BenchReport.Run(quick, p, machine, workloads, timed, losses, rows,
                    gemm, sweep[0], sweep[1], cores);
            Json.write(out.resolve("bench.json"), BenchReport.json(run));
            AtomicFiles.writeString(out.resolve("report.md"), BenchReport.markdown(run));
            log.printf(Locale.ROOT, "%nmatrix multiply 512^3: %.1f GFLOP/s on 1 thread, %.1f on %d (%.0f%% of the measured %.1f GFLOP/s peak)%n",
                    gemm.get("gemm_512_1_thread_gflops"), gemm.get("gemm_512_all_threads_gflops"), cores,
                    100 * (double) gemm.get("gemm_512_share_of_peak"), gemm.get("peak_all_threads_gflops"));
            log.printf(Locale.ROOT, "sweep of %d cells: %.1f s on 1 thread, %.1f s on %d threads (%.2fx)%n",
                    sweep[0].outcomes().size(), sweep[0].seconds(), sweep[1].seconds(), cores,
                    sweep[0].seconds() / sweep[1].seconds());
            log.flush();
        } finally {
            deleteTree(scratch);
        }
    }

    private static void describePeers(List<PeerResult> results, PrintWriter log) {
        for (PeerResult r : results) {
            if (r.available()) {
                log.printf(Locale.ROOT, "peer     %-15s %s (%s; Python %s)%n", r.peer(), r.version(), r.details(), r.python());
            } else {
                log.printf("peer     %-15s skipped: %s%n", r.peer(), r.reason());
            }
        }
        log.flush();
    }

    private static Map<String, Object> throughput(Profile p, int cores, double mediumMs) {
        Map<String, Object> gemm = new LinkedHashMap<>();
        Map<Integer, Double> peak1 = Throughput.peakByChains(1, p.peakIterations());
        Map<Integer, Double> peakAll = Throughput.peakByChains(cores, p.peakIterations());
        double one = best(peak1);
        double all = best(peakAll);
        double warm = p.gemmWarmupSeconds();
        double gemm1 = Throughput.gemmGflops(512, 512, 512, 1, p.gemmReps(), warm);
        double gemmAll = Throughput.gemmGflops(512, 512, 512, cores, p.gemmReps(), warm);
        double forward = Throughput.gemmGflops(512, 256, 784, cores, p.gemmReps(), warm);
        double step = Workload.MEDIUM.stepFlops() / (mediumMs / 1e3) / 1e9;
        gemm.put("gemm_512_1_thread_gflops", gemm1);
        gemm.put("gemm_512_all_threads_gflops", gemmAll);
        gemm.put("gemm_medium_forward_512x256x784_gflops", forward);
        gemm.put("medium_step_gemm_gflops", step);
        gemm.put("peak_1_thread_gflops", one);
        gemm.put("peak_all_threads_gflops", all);
        gemm.put("peak_1_thread_gflops_by_chains", peak1);
        gemm.put("peak_all_threads_gflops_by_chains", peakAll);
        gemm.put("gemm_512_1_thread_share_of_peak", gemm1 / one);
        gemm.put("gemm_512_share_of_peak", gemmAll / all);
        gemm.put("gemm_medium_forward_share_of_peak", forward / all);
        gemm.put("medium_step_share_of_peak", step / all);
        return gemm;
    }

    private static double best(Map<Integer, Double> byChains) {
        return byChains.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static Sweep.Result[] sweep(Profile p, int cores) throws IOException {
        Path tmp = Files.createTempDirectory("relume-bench-sweep");
        try {
            var cells = Sweep.grid(List.of("baseline", "jumpstart"), List.of(3, 10), List.of(10, 30), List.of(1L));
            var settings = DepthWidthExperiment.Settings.paper().withEpochs(p.sweepEpochs());
            return new Sweep.Result[] {new Sweep(settings, 1).run(cells, tmp.resolve("serial.csv"), null),
                new Sweep(settings, cores).run(cells, tmp.resolve("parallel.csv"), null)};
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
