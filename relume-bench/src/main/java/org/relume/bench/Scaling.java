package org.relume.bench;

import java.io.IOException;
import java.io.PrintWriter;
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

/**
 * {@code relume bench --scaling}: how the cost of one training step grows with width (at depth 10)
 * and with depth (at widths 3 and 25) for Relume and for every installed peer, and where the ratio
 * fastest peer / Relume crosses 1. The networks are the thin workloads' MLPs (2 inputs, 1 output,
 * batch 85, MSE, Adam, float32) at other sizes. Relume times each shape in a fresh JVM, as
 * {@code relume bench} does, because one JVM's JIT profile from one shape slows the next; each peer
 * times all shapes in one process of its own (PyTorch keeps no such profile, and JAX compiles each
 * shape apart, its compile time left out).
 */
public final class Scaling {
    private Scaling() {}

    /**
     * The points and how long each is timed: {@code steps = stepFlops / flopsPerShape} clamped to
     * [minSteps, maxSteps], so that cheap shapes get many steps and the widest few.
     */
    public record Profile(List<Integer> widths, int widthSweepDepth, List<Integer> depths, List<Integer> depthSweepWidths,
                          double flopsPerShape, int minSteps, int maxSteps, double warmupSeconds, long peerTimeoutSeconds) {
        public static Profile quick() {
            return new Profile(List.of(1, 4, 16, 64, 256, 1024), 10, List.of(1, 10, 50, 150), List.of(3, 25),
                    2e9, 5, 200, 1.0, 900);
        }

        public static Profile full() {
            // At most 500 steps: PyTorch's eager step takes 0.5-20 ms on these shapes, and 2000 steps each
            // (plus its warm-up of a fifth of them) kept it busy for 648 s of a 2-core machine.
            return new Profile(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024), 10, List.of(1, 2, 5, 10, 20, 50, 100, 150),
                    List.of(3, 25), 2e10, 10, 500, 3.0, 3600);
        }

        /** This profile over other points: widths of the width sweep and depths of the depth sweeps (null keeps them). */
        public Profile withPoints(List<Integer> newWidths, List<Integer> newDepths) {
            // Ascending and distinct: the crossovers are found between neighbouring points.
            return new Profile(newWidths == null ? widths : newWidths.stream().distinct().sorted().toList(), widthSweepDepth,
                    newDepths == null ? depths : newDepths.stream().distinct().sorted().toList(), depthSweepWidths, flopsPerShape, minSteps, maxSteps,
                    warmupSeconds, peerTimeoutSeconds);
        }

        int stepsOf(Shape s) {
            return (int) Math.max(minSteps, Math.min(maxSteps, Math.round(flopsPerShape / s.stepFlops())));
        }
    }

    /** One shape of the scaling run; {@code sweep} is {@code width} or {@code depth-wWIDTH}. */
    public record Point(String sweep, Shape shape) {}

    /** One point's times: Relume's and every peer's that ran it (by peer id). */
    public record Result(Point point, double relumeMs, Map<String, Double> peerMs) {
        /** The peer with the smallest time, or null when none ran this shape. */
        public String fastestPeer() {
            String best = null;
            for (Map.Entry<String, Double> e : peerMs.entrySet()) {
                if (!e.getValue().isNaN() && (best == null || e.getValue() < peerMs.get(best))) {
                    best = e.getKey();
                }
            }
            return best;
        }

        /** Fastest peer / Relume (above 1: Relume is faster); NaN when no peer ran. */
        public double ratio() {
            String best = fastestPeer();
            return best == null ? Double.NaN : peerMs.get(best) / relumeMs;
        }
    }

    /** The width sweep, then one depth sweep per width, in order. */
    public static List<Point> points(Profile p) {
        List<Point> points = new ArrayList<>();
        for (int w : p.widths()) {
            points.add(new Point("width", Shape.mlp(w, p.widthSweepDepth())));
        }
        for (int w : p.depthSweepWidths()) {
            for (int d : p.depths()) {
                points.add(new Point("depth-w" + w, Shape.mlp(w, d)));
            }
        }
        return points;
    }

    /** Runs the profile against the default peers ({@link BenchSuite#defaultPeers()}). */
    public static void run(Profile p, boolean quick, Path out, PrintWriter log) throws IOException {
        run(p, quick, out, log, BenchSuite.defaultPeers());
    }

    /** Runs with an explicit profile and peers (tests use two tiny shapes and stand-in peers). */
    public static void run(Profile p, boolean quick, Path out, PrintWriter log, List<Peer> peers) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> machine = Machine.describe();
        log.printf(Locale.ROOT, "machine  %s%n", machine.get("summary"));
        log.flush();
        List<Point> points = points(p);
        List<String> notes = new ArrayList<>();
        Map<Point, Double> relume = new LinkedHashMap<>();
        // Shape by shape, Relume and then every peer, back to back (as relume bench's rounds do): on a
        // VM whose speed drifts over minutes, timing all of Relume first put the drift into the ratios.
        PeerRunner runner = new PeerRunner(PeerScripts.extract(), p.peerTimeoutSeconds());
        Map<String, List<PeerResult>> byPeer = new LinkedHashMap<>();
        peers.forEach(peer -> byPeer.put(peer.id(), new ArrayList<>()));
        for (Point pt : points) {
            String id = pt.shape().id();
            RelumeSide.Timing t = RelumeSide.time(pt.shape(), p.stepsOf(pt.shape()), p.warmupSeconds(), 1800);
            relume.put(pt, t.medianMs());
            if (!t.ownJvm()) {
                notes.add(id + ": " + t.note());
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s relume %.4g", id, t.medianMs()));
            for (Peer peer : peers) {
                PeerResult r = runner.run(peer, Map.of(id, p.stepsOf(pt.shape())), p.warmupSeconds(), null);
                byPeer.get(peer.id()).add(r);
                PeerResult.Timing pt2 = r.available() ? r.workloads().get(id) : null;
                line.append(pt2 == null ? String.format(Locale.ROOT, ", %s -", peer.id())
                        : String.format(Locale.ROOT, ", %s %.4g", peer.id(), pt2.medianMs()));
            }
            log.println(line.append(" ms/step"));
            log.flush();
        }
        List<PeerResult> peerResults = new ArrayList<>();
        List<String> ids = points.stream().map(pt -> pt.shape().id()).toList();
        byPeer.forEach((id, runs) -> peerResults.add(Rounds.merge(id, runs, ids, new LinkedHashMap<>(), notes)));
        for (PeerResult r : peerResults) {
            log.printf(Locale.ROOT, r.available() ? "peer     %-15s %s (%s)%n" : "peer     %-15s skipped: %4$s%n",
                    r.peer(), r.version(), r.details(), r.reason());
        }
        List<Result> results = new ArrayList<>();
        for (Point pt : points) {
            Map<String, Double> ms = new LinkedHashMap<>();
            for (PeerResult r : peerResults) {
                PeerResult.Timing t = r.available() ? r.workloads().get(pt.shape().id()) : null;
                if (t != null && !Double.isNaN(t.medianMs())) {
                    ms.put(r.peer(), t.medianMs());
                }
            }
            results.add(new Result(pt, relume.get(pt), ms));
        }
        ScalingReport.Run run = new ScalingReport.Run(quick, p, machine, peerResults, results, notes);
        ScalingReport.write(run, out);
        log.println();
        log.print(ScalingReport.wins(run));
        log.printf("wrote    %s (scaling.csv, scaling.md, scaling.png, scaling.svg)%n", out);
        log.flush();
    }
}
