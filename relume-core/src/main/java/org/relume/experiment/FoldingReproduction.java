package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.relume.nn.Mlp;
import org.relume.experiment.FoldingExperiment.Outcome;
import org.relume.experiment.FoldingExperiment.Result;
import org.relume.io.AtomicFiles;
import org.relume.plot.Figures;

/**
 * Grow by folding against random initialization (Kang 2024 slides: "utilization of
 * approximatability" 65/1000 for random 2-3-2 vs 360/1000 grown from 2-2-2), on "sine" and
 * "overlap-quadratic", over many seeds.
 *
 * <p><b>Full capacity</b> [R], our precise reading of the slides: a 2-3-2 run uses its full
 * capacity when (a) every hidden unit is nonlinear on the training data (its hyperplane splits
 * the data: neither dead nor linear) and (b) its final training accuracy is within
 * {@link #MARGIN} of the best final accuracy any 2-3-2 run (either method, any seed) reached on
 * that data set.
 */
public final class FoldingReproduction implements Reproduction {
    public static final int FULL_SEEDS = 1000;
    public static final int QUICK_SEEDS = 50;
    public static final double MARGIN = 0.02;
    static final List<String> DATASETS = List.of("sine", "overlap-quadratic");

    @Override
    public String name() {
        return "folding";
    }

    @Override
    public String title() {
        return "Grow by folding: 2-2-2 grown to 2-3-2 vs random 2-3-2 (Kang 2024)";
    }

    /** Per data set: counts and accuracies. */
    public record Summary(String dataset, int runs, double best, int fullRandom, int fullGrown, double meanRandom,
                          double meanGrown, double meanNarrow, int grownBeatsNarrow) {}

    /** Per data set and seed: the narrow 2-2-2, the grown one and the random 2-3-2, full batch. */
    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        FoldingExperiment.Settings s = FoldingExperiment.Settings.defaults();
        int epochs = s.epochsBefore() + s.epochsAfter();
        List<CostEstimate.Training> list = new ArrayList<>();
        for (String d : DATASETS) {
            for (long seed = 1; seed <= (ctx.quick() ? QUICK_SEEDS : FULL_SEEDS); seed++) {
                for (int width : new int[] {2, 2, 3}) {
                    list.add(new CostEstimate.Training(d + "/" + seed + "/2-" + width + "-2", () -> Mlp.builder().inputs(2)
                            .hidden(width).outputs(2).build(), (double) s.points() * epochs, s.points()));
                }
            }
        }
        return list;
    }

    @Override
    public void run(Context ctx) throws IOException {
        int seeds = ctx.quick() ? QUICK_SEEDS : FULL_SEEDS;
        FoldingExperiment.Settings s = FoldingExperiment.Settings.defaults();
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %d seeds x %d data sets (3 networks each), %d threads%n",
                ctx.quick() ? "quick" : "full", seeds, DATASETS.size(), ctx.threads());
        log.flush();
        long start = System.nanoTime();
        List<ParallelRuns.Task<Result>> tasks = new ArrayList<>();
        for (String d : DATASETS) {
            for (long seed = 1; seed <= seeds; seed++) {
                final long sd = seed;
                tasks.add(new ParallelRuns.Task<>(d + "/" + sd, () -> FoldingExperiment.run(d, sd, s)));
            }
        }
        List<Result> results = ParallelRuns.run("folding", tasks, ctx);
        double wall = (System.nanoTime() - start) / 1e9;
        List<Summary> summaries = new ArrayList<>();
        StringBuilder runsCsv = new StringBuilder("dataset,seed,narrow_accuracy,grown_accuracy,random_accuracy,"
                + "grown_all_units_nonlinear,random_all_units_nonlinear,grown_full_capacity,random_full_capacity,"
                + "x_t,x_f,fold_note\n");
        for (String d : DATASETS) {
            List<Result> rs = results.stream().filter(r -> r.dataset().equals(d)).toList();
            double best = rs.stream().flatMapToDouble(r -> Arrays.stream(new double[] {r.grown().accuracy(), r.random().accuracy()}))
                    .max().orElse(Double.NaN);
            int fullRandom = 0;
            int fullGrown = 0;
            int beats = 0;
            for (Result r : rs) {
                boolean g = full(r.grown(), best);
                boolean rnd = full(r.random(), best);
                fullGrown += g ? 1 : 0;
                fullRandom += rnd ? 1 : 0;
                beats += r.grown().accuracy() > r.narrow().accuracy() ? 1 : 0;
                runsCsv.append(String.join(",", d, Long.toString(r.seed()), fmt(r.narrow().accuracy()), fmt(r.grown().accuracy()),
                        fmt(r.random().accuracy()), Boolean.toString(r.grown().allUnitsNonlinear()),
                        Boolean.toString(r.random().allUnitsNonlinear()), Boolean.toString(g), Boolean.toString(rnd),
                        point(r.fold().target()), point(r.fold().foldPoint()), r.fold().note())).append('\n');
            }
            summaries.add(new Summary(d, rs.size(), best, fullRandom, fullGrown,
                    rs.stream().mapToDouble(r -> r.random().accuracy()).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(r -> r.grown().accuracy()).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(r -> r.narrow().accuracy()).average().orElse(Double.NaN), beats));
        }
        AtomicFiles.writeString(ctx.out().resolve("runs.csv"), runsCsv.toString());
        StringBuilder csv = new StringBuilder("dataset,method,runs,full_capacity,share,mean_accuracy,best_accuracy,slides\n");
        for (Summary m : summaries) {
            csv.append(String.join(",", m.dataset(), "random-2-3-2", Integer.toString(m.runs()), Integer.toString(m.fullRandom()),
                    fmt((double) m.fullRandom() / m.runs()), fmt(m.meanRandom()), fmt(m.best()), "65/1000")).append('\n');
            csv.append(String.join(",", m.dataset(), "grown-by-folding", Integer.toString(m.runs()), Integer.toString(m.fullGrown()),
                    fmt((double) m.fullGrown() / m.runs()), fmt(m.meanGrown()), fmt(m.best()), "360/1000")).append('\n');
            csv.append(String.join(",", m.dataset(), "narrow-2-2-2", Integer.toString(m.runs()), "",
                    "", fmt(m.meanNarrow()), fmt(m.best()), "")).append('\n');
        }
        AtomicFiles.writeString(ctx.out().resolve("results.csv"), csv.toString());
        List<Figures.Scene> scenes = new ArrayList<>();
        for (String d : DATASETS) {
            Result first = results.stream().filter(r -> r.dataset().equals(d)).findFirst().orElseThrow();
            scenes.add(FoldingExperiment.scene(first, FoldingExperiment.data(d, s.points(), first.seed())));
        }
        Figures.scenes(scenes, ctx.out().resolve("folds.png"), ctx.out().resolve("folds.svg"));
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report(ctx, s, seeds, summaries, wall));
        log.print(table(summaries));
        log.printf(Locale.ROOT, "wall time %.1f s; wrote %s%n", wall, ctx.out());
        log.flush();
    }

    static boolean full(Outcome o, double best) {
        return o.allUnitsNonlinear() && o.accuracy() >= best - MARGIN;
    }

    static String table(List<Summary> summaries) {
        StringBuilder sb = new StringBuilder("| data | runs | full capacity: random 2-3-2 | grown by folding | slides (random / grown) |"
                + " mean accuracy: 2-2-2 / random 2-3-2 / grown | grown beats its 2-2-2 |\n|---|---|---|---|---|---|---|\n");
        for (Summary m : summaries) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d (%.1f%%) | %d (%.1f%%) | 65/1000 / 360/1000 | %.3f / %.3f / %.3f | %d of %d |%n",
                    m.dataset(), m.runs(), m.fullRandom(), 100.0 * m.fullRandom() / m.runs(), m.fullGrown(),
                    100.0 * m.fullGrown() / m.runs(), m.meanNarrow(), m.meanRandom(), m.meanGrown(), m.grownBeatsNarrow(), m.runs()));
        }
        return sb.toString();
    }

    private String report(Context ctx, FoldingExperiment.Settings s, int seeds, List<Summary> summaries, double wall) {
        StringBuilder sb = new StringBuilder("# ").append(title()).append("\n\n");
        sb.append("Command: `relume reproduce ").append(name()).append(ctx.quick() ? " --quick" : "").append(" --out ")
                .append(ctx.out()).append("`  \nProfile: **").append(ctx.quick() ? "quick" : "full").append("**; written ")
                .append(Instant.now()).append("\n\n## Settings [R]\n\n");
        sb.append(String.format(Locale.ROOT, "- data: %d points per seed; sine: uniform on [-pi, pi] x [-1.5, 1.5], class y > sin(x); "
                + "overlap-quadratic: uniform on [-1, 1]^2, class y > x^2 - 0.5 + N(0, 0.15^2)%n", s.points()));
        sb.append(String.format(Locale.ROOT, "- networks: ReLU, Kaiming-uniform init from the seed, softmax over 2 outputs, full-batch Adam "
                + "lr %s. 2-2-2: %d epochs. Grown: the same 2-2-2 for %d epochs, one fold, then %d epochs (optimizer state carried). "
                + "Random: a 2-3-2 for %d epochs%n", s.lr(), s.epochsBefore() + s.epochsAfter(), s.epochsBefore(), s.epochsAfter(),
                s.epochsBefore() + s.epochsAfter()));
        sb.append("- fold: loss-weighted k-means (k = 3), x_t nearest the centroid of the highest-loss cluster, x_f on the local ")
                .append("boundary of x_t's activated segment, the new unit's direction chosen among 360 angles to maximize the gradient ")
                .append("norm of its outgoing weights with x_t on its active side\n");
        sb.append(String.format(Locale.ROOT, "- seeds 1..%d; wall time **%.1f s** on %d threads%n%n", seeds, wall, ctx.threads()));
        sb.append("## Full capacity\n\nA 2-3-2 run uses its *full capacity* when every hidden unit is nonlinear on the training data ")
                .append("(its hyperplane splits the data) and its final training accuracy is within ").append(MARGIN)
                .append(" of the best final accuracy any 2-3-2 run reached on that data set. The slides report 65/1000 (random) ")
                .append("and 360/1000 (grown) without saying which data set or how they measured it.\n\n");
        sb.append(table(summaries)).append('\n');
        sb.append("![folds](folds.png)\n\nPer-seed rows (accuracies, x_t, x_f) are in `runs.csv`.\n");
        return sb.toString();
    }

    private static String point(double[] p) {
        return String.format(Locale.ROOT, "%.4f %.4f", p[0], p[1]);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
