package org.relume.bench;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.bench.peer.PeerResult;
import org.relume.experiment.Sweep;

/**
 * What {@code relume bench} writes besides results.csv: report.md for people (machine and versions
 * first, since a ratio means nothing without them) and bench.json for programs.
 */
final class BenchReport {
    private BenchReport() {}

    /** Everything one run measured. */
    record Run(boolean quick, BenchSuite.Profile profile, Map<String, Object> machine, List<Workload> workloads,
               Rounds.Result timed, Map<String, List<Double>> relumeLosses, List<Comparison.Row> rows,
               Map<String, Object> gemm, Sweep.Result serial, Sweep.Result parallel, int cores) {
        Map<String, Double> relumeMs() {
            return timed.relume();
        }

        List<String> relumeNotes() {
            return timed.notes();
        }

        List<PeerResult> peers() {
            return timed.peers();
        }
    }

    static Map<String, Object> json(Run r) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("date", LocalDate.now().toString());
        all.put("profile", r.quick() ? "quick" : "full");
        all.put("machine", r.machine());
        all.put("relume_ms", r.relumeMs());
        all.put("notes", r.relumeNotes());
        all.put("relume_check_losses", r.relumeLosses());
        all.put("peers", r.peers());
        all.put("rounds", r.profile().rounds());
        all.put("relume_ms_by_round", r.timed().relumeByRound());
        all.put("peer_ms_by_round", r.timed().peerByRound());
        all.put("rows", r.rows().stream().map(row -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", row.workload());
            m.put("peer", row.peer());
            m.put("peer_version", row.peerVersion());
            m.put("relume_ms", row.relumeMs());
            m.put("peer_ms", row.peerMs());
            m.put("ratio", row.ratio());
            return m;
        }).toList());
        all.put("gemm", r.gemm());
        all.put("sweep", Map.of("cells", r.serial().outcomes().size(), "epochs", r.profile().sweepEpochs(),
                "serial_seconds", r.serial().seconds(), "parallel_seconds", r.parallel().seconds(), "threads", r.cores()));
        return all;
    }

    static String markdown(Run r) {
        StringBuilder sb = new StringBuilder("# Relume benchmark against its peers\n\n");
        sb.append("Command: `relume bench").append(r.quick() ? " --quick" : "").append("`; date ").append(LocalDate.now())
                .append("; profile ").append(r.quick() ? "quick" : "full").append(".\n\n");
        machine(sb, r);
        steps(sb, r);
        agreement(sb, r);
        gemm(sb, r);
        sb.append(String.format(Locale.ROOT, "## Sweep throughput%n%nThe same %d-cell sweep (widths 3 and 10, depths 10 and 30, "
                + "baseline and jumpstart, %d epochs): %.1f s on 1 thread, %.1f s on %d threads, a %.2fx speed-up (one network "
                + "per core).%n", r.serial().outcomes().size(), r.profile().sweepEpochs(), r.serial().seconds(),
                r.parallel().seconds(), r.cores(), r.serial().seconds() / r.parallel().seconds()));
        return sb.toString();
    }

    @SuppressWarnings("unchecked") // Machine.describe() puts the flags as a List<String>
    private static void machine(StringBuilder sb, Run r) {
        Map<String, Object> m = r.machine();
        sb.append("## Machine and versions\n\n");
        sb.append("- CPU: ").append(m.get("cpu")).append(", ").append(m.get("cores")).append(" cores, flags ")
                .append(String.join(" ", (List<String>) m.get("flags"))).append("\n");
        sb.append("- Vector width: ").append(m.get("vector_bits")).append(" bits (").append(m.get("float_lanes"))
                .append(" float lanes, the Vector API's preferred species)\n");
        sb.append(Machine.isaLimitsLine(m));
        sb.append("- Relume: Java ").append(m.get("java")).append("; system BLAS (Debian's PyTorch uses it): ")
                .append(m.get("blas")).append("\n");
        for (PeerResult p : r.peers()) {
            sb.append("- Peer ").append(p.peer()).append(": ").append(p.available()
                    ? p.version() + " (" + p.details() + "; Python " + p.python() + ")"
                    : "**missing, skipped**: " + p.reason()).append("\n");
        }
        sb.append('\n');
    }

    private static void steps(StringBuilder sb, Run r) {
        BenchSuite.Profile p = r.profile();
        sb.append("## Training steps\n\nOne Adam training step (forward, loss, backward, update) on one batch of fixed random "
                + "data, float32, the same shapes and losses on every side; the median of ").append(p.rounds() > 1
                        ? p.rounds() + " rounds' medians of " : "").append(p.steps())
                .append(" timed steps (medium: ").append(p.mediumSteps()).append(", CNNs: ").append(p.cnnSteps())
                .append(") after ").append(WarmUp.describe(p.warmupSeconds()))
                .append(" (peers: at least ").append(p.warmupSeconds()).append(" s), each side in its own process, and each of Relume's workloads in a fresh JVM (in one JVM the ")
                .append("JIT's kernels keep the profile of whatever ran before: after a few steps of another workload the ")
                .append("medium step took 3-20x longer). PyTorch runs eagerly; JAX runs the whole step as one `jax.jit` ")
                .append("function, whose compilation is timed apart (compile ms) and not counted. GFLOP/step counts the ")
                .append("multiply-adds of the forward pass and of the backward pass to weights and inputs (padded ")
                .append("convolution taps included). Each workload is timed on Relume and then on every peer, back to ")
                .append("back, so that a drift in the machine's speed over minutes falls on both sides of a ratio")
                .append(p.rounds() > 1 ? "; round after round, and each ratio's spread over the rounds is listed below" : "")
                .append(".\n\n");
        for (String note : r.relumeNotes()) {
            sb.append("- ").append(note).append('\n');
        }
        sb.append(r.relumeNotes().isEmpty() ? "" : "\n").append(Comparison.summary(r.workloads(), r.rows())).append('\n');
        sb.append("Every peer (ratio > 1: Relume is faster):\n\n").append(Comparison.perPeer(r.rows(), r.peers())).append('\n');
        if (p.rounds() > 1) {
            sb.append(Comparison.byRound(r.workloads(), r.timed())).append('\n');
        }
    }

    private static void agreement(StringBuilder sb, Run r) {
        sb.append("## Do the peers train the same networks?\n\nBefore timing, every peer loads Relume's initial weights ")
                .append("and data, takes ").append(Agreement.STEPS).append(" Adam steps, and reports its losses. The table ")
                .append("gives Relume's losses and each peer's largest relative difference from them, flagged above 1e-4 (float32 rounding ")
                .append("is about 1e-6 per operation).\n\n");
        sb.append(Comparison.agreement(r.workloads(), r.relumeLosses(), r.peers())).append('\n');
    }

    @SuppressWarnings("unchecked") // BenchSuite puts the peaks by chain count as Map<Integer, Double>
    private static void gemm(StringBuilder sb, Run r) {
        Map<String, Object> g = r.gemm();
        double share = (double) g.get("gemm_512_share_of_peak");
        sb.append("## Matrix multiply against the peak\n\n").append("CPU: ").append(r.machine().get("cpu")).append(", vector width ")
                .append(r.machine().get("vector_bits")).append(" bits.\n\n");
        sb.append(String.format(Locale.ROOT, "| case | GFLOP/s | share of the peak |%n|---|---|---|%n"
                + "| 512 x 512 x 512, 1 thread | %.1f | %.0f%% (of 1 core's) |%n| 512 x 512 x 512, %d threads | %.1f | %.0f%% |%n"
                + "| medium forward, 512 x 256 x 784, %d threads | %.1f | %.0f%% |%n"
                + "| whole medium training step (matrix-multiply FLOPs / step time) | %.1f | %.0f%% |%n"
                + "| **peak, 1 core** (measured) | %.1f | |%n| **peak, %d cores** (measured) | %.1f | |%n%n",
                g.get("gemm_512_1_thread_gflops"), 100 * (double) g.get("gemm_512_1_thread_share_of_peak"), r.cores(),
                g.get("gemm_512_all_threads_gflops"), 100 * share, r.cores(), g.get("gemm_medium_forward_512x256x784_gflops"),
                100 * (double) g.get("gemm_medium_forward_share_of_peak"), g.get("medium_step_gemm_gflops"),
                100 * (double) g.get("medium_step_share_of_peak"), g.get("peak_1_thread_gflops"), r.cores(),
                g.get("peak_all_threads_gflops")));
        sb.append(String.format(Locale.ROOT, "512^3 on %d threads reaches **%.0f%%** of the peak (target >= %.0f%%: %s). ",
                r.cores(), 100 * share, 100 * BenchSuite.GEMM_TARGET_SHARE, share >= BenchSuite.GEMM_TARGET_SHARE ? "met" : "not met"));
        sb.append("Each product's rate is the median of ").append(r.profile().gemmReps()).append(" timed calls after ")
                .append(WarmUp.describe(r.profile().gemmWarmupSeconds())).append(". ");
        sb.append("The peak is measured, not taken from a datasheet: every core runs a loop of independent Vector API fused ")
                .append("multiply-adds on registers (no memory traffic), 2 FLOPs per lane, with 4, 8, 12 and 16 independent chains; ")
                .append("the peak is the best of them (each the best of 3 runs). Two FMA ports with a latency of 4 cycles need at ")
                .append("least 8 chains; fewer measure the latency, so the rate should rise with the chains and then level off:\n\n");
        Map<Integer, Double> one = (Map<Integer, Double>) g.get("peak_1_thread_gflops_by_chains");
        Map<Integer, Double> all = (Map<Integer, Double>) g.get("peak_all_threads_gflops_by_chains");
        sb.append("| chains per core |");
        one.keySet().forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n|---|").append("---|".repeat(one.size())).append("\n| GFLOP/s, 1 core |");
        one.values().forEach(v -> sb.append(String.format(Locale.ROOT, " %.1f |", v)));
        sb.append("\n| GFLOP/s, ").append(r.cores()).append(" cores |");
        all.values().forEach(v -> sb.append(String.format(Locale.ROOT, " %.1f |", v)));
        sb.append("\n\n");
    }
}
