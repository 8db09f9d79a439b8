package org.relume.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.bench.peer.Peer;
import org.relume.bench.peer.PeerResult;
import org.relume.bench.peer.PeerRunner;

/**
 * The step timings, interleaved: round after round, each workload is timed on Relume and then on
 * every peer, back to back, so a ratio compares times taken within a minute of each other. On a
 * shared VM the speed of the whole machine drifts by up to 50% over minutes (seen on one 2-core
 * VM: the same jar's medium step at 6.7 and 9.8 ms a minute apart); timing all of Relume first and
 * all of a peer afterwards put such a drift into the ratios. Each side's time is the median over
 * the rounds of its per-round medians, and the per-round ratios are kept to show the spread.
 */
final class Rounds {
    private Rounds() {}

    /**
     * What the rounds measured: per workload Relume's median and its per-round times, every peer's
     * merged result, per peer and workload its per-round times, and notes on anything that did not
     * run as planned.
     */
    record Result(Map<String, Double> relume, Map<String, List<Double>> relumeByRound, List<PeerResult> peers,
                  Map<String, Map<String, List<Double>>> peerByRound, List<String> notes) {}

    static Result measure(BenchSuite.Profile p, List<Workload> workloads, List<Peer> peers, PeerRunner runner,
                          Path checkDir, PrintWriter log) {
        Map<String, List<Double>> relume = new LinkedHashMap<>();
        Map<String, List<PeerResult>> byPeer = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        java.util.Set<String> checked = new java.util.HashSet<>();
        peers.forEach(peer -> byPeer.put(peer.id(), new ArrayList<>()));
        for (int round = 1; round <= p.rounds(); round++) {
            for (Workload w : workloads) {
                RelumeSide.Timing t = RelumeSide.time(w.shape(), p.stepsOf(w), p.warmupSeconds(), 1800);
                relume.computeIfAbsent(w.id(), k -> new ArrayList<>()).add(t.medianMs());
                if (!t.ownJvm()) {
                    notes.add(w.id() + ", round " + round + ": " + t.note());
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d/%d %-16s relume %.4g",
                        round, p.rounds(), w.id(), t.medianMs()));
                for (Peer peer : peers) {
                    // The agreement check once per peer and workload: in the first round that runs it.
                    String key = peer.id() + "/" + w.id();
                    PeerResult r = runner.run(peer, Map.of(w.id(), p.stepsOf(w)), p.warmupSeconds(),
                            checked.contains(key) ? null : checkDir);
                    byPeer.get(peer.id()).add(r);
                    PeerResult.Timing pt = r.available() ? r.workloads().get(w.id()) : null;
                    if (pt != null) {
                        checked.add(key);
                    }
                    line.append(pt == null ? String.format(Locale.ROOT, ", %s -", peer.id())
                            : String.format(Locale.ROOT, ", %s %.4g", peer.id(), pt.medianMs()));
                }
                log.println(line.append(" ms/step"));
                log.flush();
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        relume.forEach((id, times) -> medians.put(id, median(times)));
        List<PeerResult> merged = new ArrayList<>();
        Map<String, Map<String, List<Double>>> peerByRound = new LinkedHashMap<>();
        List<String> ids = workloads.stream().map(Workload::id).toList();
        byPeer.forEach((id, results) -> {
            Map<String, List<Double>> times = new LinkedHashMap<>();
            merged.add(merge(id, results, ids, times, notes));
            peerByRound.put(id, times);
        });
        return new Result(medians, relume, merged, peerByRound, notes);
    }

    /**
     * One peer's runs, one per workload (or shape) {@code ids} in order, round after round, as one
     * result: the first successful run's version and setup, per id the median of the rounds' medians
     * and compile times and the first agreement check, and its time in each round (NaN where that
     * round failed) into {@code times}. A peer that never ran is missing with its first reason; an id
     * that failed in some round gets a note.
     */
    static PeerResult merge(String peer, List<PeerResult> runs, List<String> ids, Map<String, List<Double>> times,
                            List<String> notes) {
        PeerResult first = runs.stream().filter(PeerResult::available).findFirst().orElse(null);
        if (first == null) {
            return runs.isEmpty() ? new PeerResult(peer, false, "not run", null, null, null, Map.of()) : runs.get(0);
        }
        Map<String, PeerResult.Timing> out = new LinkedHashMap<>();
        for (int k = 0; k < ids.size(); k++) {
            String id = ids.get(k);
            List<Double> ms = new ArrayList<>();
            List<Double> compile = new ArrayList<>();
            List<Double> check = List.of();
            String failure = null;
            // The runs go id after id, round after round: id k's are k, k + size, ...
            for (int i = k; i < runs.size(); i += ids.size()) {
                PeerResult r = runs.get(i);
                PeerResult.Timing t = r.available() ? r.workloads().get(id) : null;
                if (t != null) {
                    ms.add(t.medianMs());
                    compile.add(t.compileMs());
                    check = check.isEmpty() ? t.checkLosses() : check;
                } else {
                    // A failed round keeps its place (NaN), so the report's round columns stay aligned.
                    ms.add(Double.NaN);
                    failure = r.available() ? "no timing reported" : r.reason();
                }
            }
            if (ms.stream().anyMatch(v -> !Double.isNaN(v))) {
                out.put(id, new PeerResult.Timing(median(ms), median(compile), check));
                times.put(id, ms);
            }
            if (failure != null) {
                notes.add(peer + " " + id + ": a round failed (" + failure + ")");
            }
        }
        return new PeerResult(peer, true, null, first.version(), first.details(), first.python(), out);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
