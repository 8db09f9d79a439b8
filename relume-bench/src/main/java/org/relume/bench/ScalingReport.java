package org.relume.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.relume.bench.peer.PeerResult;
import org.relume.io.AtomicFiles;
import org.relume.plot.Figures;
import org.relume.plot.RatioFigure;

/**
 * What {@code relume bench --scaling} writes: scaling.csv (one row per shape, every peer's time in
 * its own column), scaling.md (machine and versions, the tables, and where each side wins) and
 * scaling.png / scaling.svg (the ratio fastest peer / Relume against width and depth, log-log, with
 * the break-even line). A crossover is where the ratio passes 1 between two measured points, placed
 * by straight-line interpolation of log ratio against log size, since both axes are logarithmic.
 */
final class ScalingReport {
    private ScalingReport() {}

    /** Everything one scaling run measured. */
    record Run(boolean quick, Scaling.Profile profile, Map<String, Object> machine, List<PeerResult> peers,
               List<Scaling.Result> results, List<String> notes) {
        /** Every peer that was asked, in order, ran or not: each has its column. */
        List<String> peerIds() {
            return peers.stream().map(PeerResult::peer).toList();
        }

        /** The sweeps in order of first appearance ({@code width}, {@code depth-w3}, ...). */
        List<String> sweeps() {
            Set<String> s = new LinkedHashSet<>();
            results.forEach(r -> s.add(r.point().sweep()));
            return List.copyOf(s);
        }

        List<Scaling.Result> of(String sweep) {
            return results.stream().filter(r -> r.point().sweep().equals(sweep)).toList();
        }
    }

    static void write(Run run, Path out) throws IOException {
        AtomicFiles.writeString(out.resolve("scaling.csv"), csv(run));
        AtomicFiles.writeString(out.resolve("scaling.md"), markdown(run));
        plot(run, out.resolve("scaling.png"), out.resolve("scaling.svg"));
    }

    static String csvHeader(List<String> peerIds) {
        StringBuilder sb = new StringBuilder("sweep,shape,width,depth,relume_ms");
        peerIds.forEach(id -> sb.append(',').append(id).append("_ms"));
        return sb.append(",fastest_peer,ratio").toString();
    }

    static String csv(Run run) {
        StringBuilder sb = new StringBuilder(csvHeader(run.peerIds())).append('\n');
        for (Scaling.Result r : run.results()) {
            Shape s = r.point().shape();
            sb.append(String.join(",", r.point().sweep(), s.id(), Integer.toString(s.width()), Integer.toString(s.depth()),
                    num(r.relumeMs())));
            for (String id : run.peerIds()) {
                sb.append(',').append(num(r.peerMs().getOrDefault(id, Double.NaN)));
            }
            String best = r.fastestPeer();
            sb.append(',').append(best == null ? "" : best).append(',').append(num(r.ratio())).append('\n');
        }
        return sb.toString();
    }

    /**
     * Where the ratio passes 1 between neighbouring points of {@code x} (ascending): per crossing
     * the interpolated x, from the line through (log x, log ratio) of the two points.
     */
    static List<Double> crossings(double[] x, double[] ratio) {
        List<Double> at = new ArrayList<>();
        for (int i = 0; i + 1 < x.length; i++) {
            double a = Math.log(ratio[i]);
            double b = Math.log(ratio[i + 1]);
            if (Double.isFinite(a) && Double.isFinite(b) && a != 0 && (a > 0) != (b > 0)) {
                double t = a / (a - b);
                at.add(Math.exp(Math.log(x[i]) + t * (Math.log(x[i + 1]) - Math.log(x[i]))));
            } else if (a == 0) {
                at.add(x[i]);
            }
        }
        return at;
    }

    /** One paragraph per sweep: at which sizes Relume is faster, at which the fastest peer, and the crossings. */
    static String wins(Run run) {
        StringBuilder sb = new StringBuilder();
        for (String sweep : run.sweeps()) {
            List<Scaling.Result> rs = run.of(sweep);
            boolean byWidth = sweep.equals("width");
            String size = byWidth ? "width" : "depth";
            if (rs.stream().allMatch(r -> Double.isNaN(r.ratio()))) {
                sb.append("- ").append(title(sweep, run)).append(": no peer ran, so there is no ratio.\n");
                continue;
            }
            List<String> relume = new ArrayList<>();
            List<String> peer = new ArrayList<>();
            for (Scaling.Result r : rs) {
                String v = Integer.toString(byWidth ? r.point().shape().width() : r.point().shape().depth());
                if (r.ratio() >= 1) {
                    relume.add(v);
                } else if (r.ratio() < 1) {
                    peer.add(v);
                }
            }
            sb.append("- ").append(title(sweep, run)).append(": ");
            if (peer.isEmpty() || relume.isEmpty()) {
                sb.append(peer.isEmpty() ? "Relume" : "the fastest peer").append(" faster at every ").append(size).append(" measured (")
                        .append(String.join(", ", peer.isEmpty() ? relume : peer)).append("). ");
            } else {
                sb.append("Relume faster at ").append(size).append(' ').append(String.join(", ", relume))
                        .append("; the fastest peer at ").append(size).append(' ').append(String.join(", ", peer)).append(". ");
            }
            List<Double> cross = crossings(sizes(rs, byWidth), ratios(rs));
            sb.append(cross.isEmpty() ? "The ratio does not cross 1 here.\n" : "The ratio crosses 1 at " + size + " ≈ "
                    + String.join(", ≈ ", cross.stream().map(c -> String.format(Locale.ROOT, "%.0f", c)).toList())
                    + " (log-log interpolation).\n");
        }
        return sb.toString();
    }

    static String title(String sweep, Run run) {
        return sweep.equals("width") ? "over width at depth " + run.profile().widthSweepDepth()
                : "over depth at width " + sweep.substring("depth-w".length());
    }

    static double[] sizes(List<Scaling.Result> rs, boolean byWidth) {
        return rs.stream().mapToDouble(r -> byWidth ? r.point().shape().width() : r.point().shape().depth()).toArray();
    }

    static double[] ratios(List<Scaling.Result> rs) {
        return rs.stream().mapToDouble(Scaling.Result::ratio).toArray();
    }

    static String markdown(Run run) {
        StringBuilder sb = new StringBuilder("# How the cost of a training step grows: Relume against its peers\n\n");
        sb.append("Command: `relume bench --scaling").append(run.quick() ? " --quick" : "").append("`; date ")
                .append(LocalDate.now()).append("; profile ").append(run.quick() ? "quick" : "full").append(".\n\n");
        machine(sb, run);
        Scaling.Profile p = run.profile();
        sb.append("One Adam training step (lr 1e-3, float32, MSE) of an MLP 2 -> depth x width -> 1 with ReLU, on one batch")
                .append(" of 85 fixed random points: the median of ").append(p.minSteps()).append("-").append(p.maxSteps())
                .append(" timed steps (fewer for costlier shapes) after ")
                .append(WarmUp.describe(p.warmupSeconds())).append(" (peers: at least ").append(p.warmupSeconds())
                .append(" s); Relume in a fresh JVM per shape, each peer in its own process, shape by shape and back to back")
                .append(" (JAX: the whole step jitted, compilation not counted). Ratio = fastest peer / Relume: above 1")
                .append(" Relume is faster.\n\n");
        for (String note : run.notes()) {
            sb.append("- ").append(note).append('\n');
        }
        sb.append("## Where each side wins\n\n").append(wins(run)).append('\n');
        sb.append("![fastest peer / Relume against width and depth](scaling.png)\n\n");
        for (String sweep : run.sweeps()) {
            sb.append("## ").append(Character.toUpperCase(title(sweep, run).charAt(0))).append(title(sweep, run).substring(1))
                    .append("\n\n").append(table(run, run.of(sweep))).append('\n');
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked") // Machine.describe() puts the flags as a List<String>
    private static void machine(StringBuilder sb, Run run) {
        Map<String, Object> m = run.machine();
        sb.append("- CPU: ").append(m.get("cpu")).append(", ").append(m.get("cores")).append(" cores, flags ")
                .append(String.join(" ", (List<String>) m.get("flags"))).append("\n- Vector width: ").append(m.get("vector_bits"))
                .append(" bits (").append(m.get("float_lanes")).append(" float lanes)\n").append(Machine.isaLimitsLine(m))
                .append("- Relume: Java ").append(m.get("java")).append('\n');
        for (PeerResult r : run.peers()) {
            sb.append("- Peer ").append(r.peer()).append(": ").append(r.available() ? r.version() + " (" + r.details() + ")"
                    : "**missing, skipped**: " + r.reason()).append('\n');
        }
        sb.append('\n');
    }

    private static String table(Run run, List<Scaling.Result> rs) {
        StringBuilder sb = new StringBuilder("| width | depth | GFLOP/step | Relume ms |");
        run.peerIds().forEach(id -> sb.append(' ').append(id).append(" ms |"));
        sb.append(" fastest peer / Relume | faster |\n|---|---|---|---|").append("---|".repeat(run.peerIds().size()))
                .append("---|---|\n");
        for (Scaling.Result r : rs) {
            Shape s = r.point().shape();
            sb.append(String.format(Locale.ROOT, "| %d | %d | %.3g | %s |", s.width(), s.depth(), s.stepFlops() / 1e9,
                    Comparison.fmt(r.relumeMs())));
            run.peerIds().forEach(id -> sb.append(' ').append(Comparison.fmt(r.peerMs().getOrDefault(id, Double.NaN))).append(" |"));
            double ratio = r.ratio();
            sb.append(Double.isNaN(ratio) ? " – | – |\n" : " **" + Comparison.fmt(ratio) + "** (" + r.fastestPeer() + ") | "
                    + (ratio >= 1 ? "Relume" : r.fastestPeer()) + " |\n");
        }
        return sb.toString();
    }

    /**
     * Ratio against width, and against depth with one line per width. Without any peer there is no
     * ratio, and the figure shows Relume's own milliseconds per step instead, saying so.
     */
    private static void plot(Run run, Path png, Path svg) throws IOException {
        boolean ratios = run.results().stream().anyMatch(r -> r.ratio() > 0);
        List<RatioFigure.Panel> panels = new ArrayList<>();
        List<Figures.Series> depthLines = new ArrayList<>();
        List<Double> depthCrossings = new ArrayList<>();
        for (String sweep : run.sweeps()) {
            List<Scaling.Result> rs = run.of(sweep).stream().filter(r -> ratios ? r.ratio() > 0 : r.relumeMs() > 0).toList();
            boolean byWidth = sweep.equals("width");
            double[] y = ratios ? ratios(rs) : rs.stream().mapToDouble(Scaling.Result::relumeMs).toArray();
            String name = byWidth ? (ratios ? "fastest peer / Relume" : "Relume") : "width " + sweep.substring("depth-w".length());
            Figures.Series line = new Figures.Series(name, sizes(rs, byWidth), y);
            List<Double> cross = ratios ? crossings(line.x(), line.y()) : List.of();
            if (byWidth) {
                panels.add(new RatioFigure.Panel("over width, depth " + run.profile().widthSweepDepth(), "width", List.of(line), cross));
            } else {
                depthLines.add(line);
                depthCrossings.addAll(cross);
            }
        }
        if (!depthLines.isEmpty()) {
            panels.add(new RatioFigure.Panel("over depth", "depth", depthLines, depthCrossings));
        }
        if (ratios) {
            RatioFigure.draw("Training step: fastest peer / Relume (above 1: Relume faster)", "fastest peer / Relume",
                    "Relume faster", "peer faster", panels, png, svg);
        } else {
            RatioFigure.draw("Relume's training step (no peer ran: no ratio)", "Relume ms per step", null, null, panels, png, svg);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
