package org.relume.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.bench.peer.PeerResult;

/**
 * Relume's step times beside every peer's: the rows of results.csv (one per workload and peer that
 * ran) and the report's tables. The headline ratio of a workload is its fastest peer's time over
 * Relume's, since that is what a user would otherwise pick; the targets are set on it.
 */
final class Comparison {
    private Comparison() {}

    /** Targets on fastest peer / Relume (issue 13). */
    static final Map<String, Double> TARGETS = Map.of("thin", 25.0, "tiny", 4.0, "moons-jumpstart", 12.0,
            "medium", 1.0, "thin-cnn", 2.0);

    static final String CSV_HEADER = "workload,peer,peer_version,relume_ms,peer_ms,ratio";

    /** One workload and one peer; {@code peer} is empty for a workload no peer ran. */
    record Row(String workload, String peer, String peerVersion, double relumeMs, double peerMs) {
        double ratio() {
            return Double.isNaN(peerMs) ? Double.NaN : peerMs / relumeMs;
        }
    }

    static List<Row> rows(List<Workload> workloads, Map<String, Double> relume, List<PeerResult> peers) {
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            int before = rows.size();
            for (PeerResult p : peers) {
                PeerResult.Timing t = p.workloads().get(w.id());
                if (p.available() && t != null && !Double.isNaN(t.medianMs())) {
                    rows.add(new Row(w.id(), p.peer(), p.version(), relume.get(w.id()), t.medianMs()));
                }
            }
            if (rows.size() == before) {
                rows.add(new Row(w.id(), "", "", relume.get(w.id()), Double.NaN));
            }
        }
        return rows;
    }

    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            sb.append(String.join(",", r.workload(), r.peer(), r.peerVersion(), num(r.relumeMs()), num(r.peerMs()),
                    num(r.ratio()))).append('\n');
        }
        return sb.toString();
    }

    /** The fastest peer's row of a workload, or null when no peer ran it. */
    static Row fastest(List<Row> rows, String workload) {
        Row best = null;
        for (Row r : rows) {
            if (r.workload().equals(workload) && !Double.isNaN(r.peerMs()) && (best == null || r.peerMs() < best.peerMs())) {
                best = r;
            }
        }
        return best;
    }

    /** Per workload: shape, FLOPs, Relume, the fastest peer and the headline ratio against the target. */
    static String summary(List<Workload> workloads, List<Row> rows) {
        StringBuilder sb = new StringBuilder("| workload | shape | GFLOP/step | Relume ms/step | fastest peer | its ms/step "
                + "| fastest peer / Relume | target |\n|---|---|---|---|---|---|---|---|\n");
        for (Workload w : workloads) {
            Row best = fastest(rows, w.id());
            Row any = rows.stream().filter(r -> r.workload().equals(w.id())).findFirst().orElseThrow();
            Double t = TARGETS.get(w.id());
            String target = t == null ? "–" : ">= " + String.format(Locale.ROOT, t >= 2 ? "%.0f" : "%.1f", t) + (best == null ? "" : best.ratio() >= t ? " met" : " **not met**");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %s | %s | %s | %s | %s |%n", w.id(), w.describe(),
                    w.stepFlops() / 1e9, fmt(any.relumeMs()), best == null ? "none ran" : best.peer() + " " + best.peerVersion(),
                    best == null ? "–" : fmt(best.peerMs()), best == null ? "–" : "**" + fmt(best.ratio()) + "**", target));
        }
        return sb.toString();
    }

    /** Every peer on every workload, with its compile time where it compiles. */
    static String perPeer(List<Row> rows, List<PeerResult> peers) {
        StringBuilder sb = new StringBuilder("| workload | peer | version | ms/step | peer / Relume | compile ms |\n"
                + "|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.peer().isEmpty()) {
                continue;
            }
            double compile = peers.stream().filter(p -> p.peer().equals(r.peer())).findFirst()
                    .map(p -> p.workloads().get(r.workload()).compileMs()).orElse(Double.NaN);
            boolean best = fastest(rows, r.workload()) == r;
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.workload(),
                    best ? "**" + r.peer() + "** (fastest)" : r.peer(), r.peerVersion(), fmt(r.peerMs()), fmt(r.ratio()),
                    Double.isNaN(compile) ? "–" : String.format(Locale.ROOT, "%.0f", compile)));
        }
        return sb.toString();
    }

    /**
     * Per workload and round: Relume's time, the fastest peer's in that round and their ratio, then
     * the ratios' range, so a reader sees how far the machine drifted between rounds.
     */
    static String byRound(List<Workload> workloads, Rounds.Result timed) {
        StringBuilder sb = new StringBuilder("Round by round (Relume ms, fastest peer ms, ratio; the tables above take "
                + "each side's median over the rounds):\n\n| workload |");
        int rounds = timed.relumeByRound().values().stream().mapToInt(List::size).max().orElse(0);
        for (int i = 1; i <= rounds; i++) {
            sb.append(" round ").append(i).append(" |");
        }
        sb.append(" ratio range |\n|---|").append("---|".repeat(rounds)).append("---|\n");
        for (Workload w : workloads) {
            List<Double> mine = timed.relumeByRound().getOrDefault(w.id(), List.of());
            sb.append("| ").append(w.id()).append(" |");
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < rounds; i++) {
                double best = Double.NaN;
                for (Map<String, List<Double>> peer : timed.peerByRound().values()) {
                    List<Double> t = peer.get(w.id());
                    if (t != null && i < t.size() && !Double.isNaN(t.get(i)) && (Double.isNaN(best) || t.get(i) < best)) {
                        best = t.get(i);
                    }
                }
                double relume = i < mine.size() ? mine.get(i) : Double.NaN;
                double ratio = best / relume;
                if (!Double.isNaN(ratio)) {
                    lo = Math.min(lo, ratio);
                    hi = Math.max(hi, ratio);
                }
                sb.append(' ').append(fmt(relume)).append(", ").append(Double.isNaN(best) ? "–" : fmt(best)).append(", ")
                        .append(Double.isNaN(ratio) ? "–" : "**" + fmt(ratio) + "**").append(" |");
            }
            sb.append(lo > hi ? " – |" : " " + fmt(lo) + " – " + fmt(hi) + " |").append('\n');
        }
        return sb.toString();
    }

    /** Losses of the agreement check: Relume's, and each peer's largest relative difference from them. */
    static String agreement(List<Workload> workloads, Map<String, List<Double>> relume, List<PeerResult> peers) {
        List<PeerResult> ran = peers.stream().filter(PeerResult::available).toList();
        StringBuilder sb = new StringBuilder("| workload | Relume's losses, steps 1-" + Agreement.STEPS + " |");
        ran.forEach(p -> sb.append(' ').append(p.peer()).append(" |"));
        sb.append("\n|---|---|").append("---|".repeat(ran.size())).append('\n');
        for (Workload w : workloads) {
            List<Double> mine = relume.get(w.id());
            sb.append("| ").append(w.id()).append(" | ").append(mine == null ? "–"
                    : String.join(", ", mine.stream().map(l -> String.format(Locale.ROOT, "%.6g", l)).toList())).append(" |");
            for (PeerResult p : ran) {
                PeerResult.Timing t = p.workloads().get(w.id());
                double d = Agreement.maxRelativeDifference(mine, t == null ? null : t.checkLosses());
                sb.append(Double.isNaN(d) ? " – |" : String.format(Locale.ROOT, " %.1e%s |", d,
                        d > Agreement.TOLERANCE ? " **differs**" : ""));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : v >= 1 ? "%.2f" : "%.3g", v);
    }
}
