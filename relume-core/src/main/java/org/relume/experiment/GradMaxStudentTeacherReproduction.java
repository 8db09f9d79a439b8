package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.data.Dataset;
import org.relume.data.GrowthData;
import org.relume.grow.Growth;
import org.relume.grow.GrowthListener;
import org.relume.grow.GrowthMethod;
import org.relume.grow.GrowthSchedule;
import org.relume.io.AtomicFiles;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Sgd;
import org.relume.plot.Figures;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

/**
 * GradMax's MLP student-teacher experiment (Evci et al. 2022; REFERENCES.md §4.1): a teacher
 * 10 -> 10 -> 10 (relu, no bias, weights U(-1, 1)) labels 1000 inputs N(0, I); a bias-free
 * student 10 -> 5 -> 10 grows one hidden unit every 200 steps from step 200 (to 10 units) during
 * 1500 full-batch SGD steps (lr 0.1 [R]) on MSE, by gradmax, random, zeros or gradmax-opt.
 * Reports the mean loss after each growth and the gradient-norm gain at each growth.
 */
public final class GradMaxStudentTeacherReproduction implements Reproduction {
    public static final int FULL_SEEDS = 50;
    public static final int QUICK_SEEDS = 5;
    static final int STEPS = 1500;
    static final int EVERY = 200;
    static final int GROWTHS = 5;
    static final double LR = 0.1;

    /** Reference (grow one neuron, then 500 steps at lr 0.05): mean loss after growths 1, 3, 5. */
    static final Map<String, double[]> REFERENCE = Map.of(
            "gradmax", new double[] {0.460, 0.309, 0.236},
            "random", new double[] {0.510, 0.355, 0.261},
            "gradmax-opt", new double[] {0.506, 0.328, 0.257});

    @Override
    public String name() {
        return "gradmax-student-teacher";
    }

    @Override
    public String title() {
        return "GradMax: growing a student MLP against a teacher (Evci et al. 2022, MLP experiment)";
    }

    /** Steps between the points of a run's loss curve (growth.png). */
    static final int CURVE_EVERY = 10;

    /**
     * One run: loss just before each growth and at the end (index g = after growth g, 0 = before
     * any), the gains, and the loss every {@link #CURVE_EVERY} steps.
     */
    public record Run(GrowthMethod method, long seed, double[] lossAfter, double[] gain, double[] curve, double seconds) {}

    public static Run run(GrowthMethod method, long seed) {
        long start = System.nanoTime();
        Dataset data = GrowthData.studentTeacher(1000, 10, 10, 10, seed);
        Network student = Mlp.builder().inputs(10).hidden(5).outputs(10).activation(Activations.byName("relu",
                Map.of("grad_at_zero", 1))).init(Initializer.KAIMING_UNIFORM).bias(false).seed(seed + 1000).build();
        GrowthListener growth = new GrowthListener(method, GrowthSchedule.every(EVERY, EVERY, GROWTHS, 0),
                Growth.Settings.defaults(), Loss.MSE, seed);
        double[] lossAfter = new double[GROWTHS + 1];
        double[] curve = new double[STEPS / CURVE_EVERY];
        TrainingListener sampler = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingState state, double epochLoss) {
                // The loss of the step before growth g + 1 (or the last step) closes interval g.
                long step = state.steps();
                if (step % CURVE_EVERY == 0 && step / CURVE_EVERY - 1 < curve.length) {
                    curve[(int) (step / CURVE_EVERY) - 1] = epochLoss;
                }
                if (step % EVERY == 0 && step / EVERY - 1 < GROWTHS && step / EVERY - 1 >= 0) {
                    lossAfter[(int) (step / EVERY) - 1] = epochLoss;
                }
                if (step == STEPS) {
                    lossAfter[GROWTHS] = epochLoss;
                }
            }
        };
        // The sampler runs before growth at the same epoch end: it sees the loss of the step just taken.
        TrainConfig cfg = TrainConfig.defaults().seed(0).epochs(STEPS).optimizer(Sgd.plain(LR)).loss(Loss.MSE)
                .listener(sampler).listener(growth).logEvery(STEPS);
        TrainResult r = new Trainer(cfg).train(student, data, data.range(0, 0, "none"));
        double[] gain = new double[GROWTHS];
        List<GrowthListener.Event> events = growth.events();
        for (int g = 0; g < events.size(); g++) {
            gain[g] = events.get(g).gradNormGain();
        }
        if (r.network().layer(0).outputSize() != 10) {
            throw new IllegalStateException("student should have grown to 10 units, has " + r.network().layer(0).outputSize());
        }
        return new Run(method, seed, lossAfter, gain, curve, (System.nanoTime() - start) / 1e9);
    }

    /** The student at its final width (10 units) for every method and seed: 1500 full-batch steps on 1000 samples. */
    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        int seeds = ctx.quick() ? QUICK_SEEDS : FULL_SEEDS;
        List<CostEstimate.Training> list = new ArrayList<>();
        for (GrowthMethod m : GrowthMethod.values()) {
            for (long seed = 1; seed <= seeds; seed++) {
                list.add(new CostEstimate.Training(m.id() + "/" + seed, () -> Mlp.builder().inputs(10).hidden(10).outputs(10)
                        .bias(false).build(), 1000.0 * STEPS, 1000));
            }
        }
        return list;
    }

    @Override
    public void run(Context ctx) throws IOException {
        int seeds = ctx.quick() ? QUICK_SEEDS : FULL_SEEDS;
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %d seeds x %d methods, %d threads%n", ctx.quick() ? "quick" : "full", seeds,
                GrowthMethod.values().length, ctx.threads());
        log.flush();
        long start = System.nanoTime();
        List<ParallelRuns.Task<Run>> tasks = new ArrayList<>();
        for (GrowthMethod m : GrowthMethod.values()) {
            for (long seed = 1; seed <= seeds; seed++) {
                final long sd = seed;
                tasks.add(new ParallelRuns.Task<>(m.id() + "/" + sd, () -> run(m, sd)));
            }
        }
        List<Run> runs = ParallelRuns.run("gradmax", tasks, ctx);
        double wall = (System.nanoTime() - start) / 1e9;

        StringBuilder csv = new StringBuilder("method,growth,mean_loss,std_loss,grad_norm_gain,std_gain,seeds,reference_loss\n");
        Map<String, double[][]> table = new LinkedHashMap<>();
        for (GrowthMethod m : GrowthMethod.values()) {
            List<Run> rs = runs.stream().filter(r -> r.method() == m).toList();
            double[][] stats = new double[GROWTHS + 1][4];
            for (int g = 0; g <= GROWTHS; g++) {
                final int gg = g;
                double[] losses = rs.stream().mapToDouble(r -> r.lossAfter()[gg]).toArray();
                double[] gains = g == 0 ? new double[0] : rs.stream().mapToDouble(r -> r.gain()[gg - 1]).toArray();
                stats[g] = new double[] {mean(losses), std(losses), g == 0 ? Double.NaN : mean(gains), g == 0 ? Double.NaN : std(gains)};
                double[] ref = REFERENCE.get(m.id());
                String refCell = ref == null ? "" : g == 1 ? fmt(ref[0]) : g == 3 ? fmt(ref[1]) : g == 5 ? fmt(ref[2]) : "";
                csv.append(String.join(",", m.id(), Integer.toString(g), fmt(stats[g][0]), fmt(stats[g][1]), fmt(stats[g][2]),
                        fmt(stats[g][3]), Integer.toString(rs.size()), refCell)).append('\n');
            }
            table.put(m.id(), stats);
        }
        AtomicFiles.writeString(ctx.out().resolve("results.csv"), csv.toString());
        StringBuilder runsCsv = new StringBuilder("method,seed,loss_before_growth1,loss_after_growth1,loss_after_growth2,"
                + "loss_after_growth3,loss_after_growth4,loss_after_growth5,gain1,gain2,gain3,gain4,gain5,seconds\n");
        for (Run r : runs) {
            runsCsv.append(r.method().id()).append(',').append(r.seed());
            for (double v : r.lossAfter()) {
                runsCsv.append(',').append(fmt(v));
            }
            for (double v : r.gain()) {
                runsCsv.append(',').append(fmt(v));
            }
            runsCsv.append(',').append(fmt(r.seconds())).append('\n');
        }
        AtomicFiles.writeString(ctx.out().resolve("runs.csv"), runsCsv.toString());
        writeFigure(ctx, runs, seeds);
        String report = report(ctx, seeds, table, wall);
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report);
        log.print(lossTable(table));
        log.printf(Locale.ROOT, "wall time %.1f s; wrote %s%n", wall, ctx.out());
        log.flush();
    }

    /** growth.png: each method's mean training loss over the steps, with the growths marked. */
    private static void writeFigure(Context ctx, List<Run> runs, int seeds) throws IOException {
        double[] steps = new double[STEPS / CURVE_EVERY];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (i + 1.0) * CURVE_EVERY;
        }
        List<Figures.Series> curves = new ArrayList<>();
        for (GrowthMethod m : GrowthMethod.values()) {
            double[] mean = new double[steps.length];
            List<Run> rs = runs.stream().filter(r -> r.method() == m).toList();
            for (Run r : rs) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += r.curve()[i] / rs.size();
                }
            }
            curves.add(new Figures.Series(m.id(), steps, mean));
        }
        double[] growths = new double[GROWTHS];
        for (int g = 0; g < GROWTHS; g++) {
            growths[g] = (g + 1.0) * EVERY;
        }
        Figures.curvesWithEvents("student-teacher: mean training loss of " + seeds + " seeds per method", "step",
                "training loss (MSE)", curves, growths, "growth", ctx.out().resolve("growth.png"),
                ctx.out().resolve("growth.svg"));
    }

    static String lossTable(Map<String, double[][]> table) {
        StringBuilder sb = new StringBuilder("| method | loss after growth 1 | 3 | 5 | reference 1 / 3 / 5 | gain at growth 1 | 2 | 3 | 4 | 5 |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[][]> e : table.entrySet()) {
            double[][] s = e.getValue();
            double[] ref = REFERENCE.get(e.getKey());
            sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %s | %.4f | %.4f | %.4f | %.4f | %.4f |%n", e.getKey(),
                    s[1][0], s[3][0], s[5][0], ref == null ? "–" : String.format(Locale.ROOT, "%.3f / %.3f / %.3f", ref[0], ref[1], ref[2]),
                    s[1][2], s[2][2], s[3][2], s[4][2], s[5][2]));
        }
        return sb.toString();
    }

    private String report(Context ctx, int seeds, Map<String, double[][]> table, double wall) {
        StringBuilder sb = new StringBuilder("# ").append(title()).append("\n\n");
        sb.append("Command: `relume reproduce ").append(name()).append(ctx.quick() ? " --quick" : "").append(" --out ")
                .append(ctx.out()).append("`  \nProfile: **").append(ctx.quick() ? "quick" : "full").append("**; written ")
                .append(Instant.now()).append("\n\n## Settings\n\n");
        sb.append("- teacher 10 -> 10 relu (no bias) -> 10, weights U(-1, 1); 1000 inputs N(0, I_10); teacher and data from seed s\n");
        sb.append("- student 10 -> 5 -> 10, no biases, Kaiming-uniform weights from seed s + 1000, relu'(0) = 1\n");
        sb.append(String.format(Locale.ROOT, "- %d full-batch SGD steps, lr %s [R], MSE; one unit grown into the hidden layer every %d steps "
                + "from step %d, %d times (5 -> 10 units); incoming weights 0, outgoing norm = mean outgoing norm of the existing units%n",
                STEPS, LR, EVERY, EVERY, GROWTHS));
        sb.append("- seeds 1..").append(seeds).append(String.format(Locale.ROOT, "; wall time **%.1f s** on %d threads%n%n", wall, ctx.threads()));
        sb.append("## Mean loss after growths and gradient-norm gain at each growth\n\n");
        sb.append("\"Loss after growth g\" is the training loss at the last step before growth g + 1 (at step 1500 for g = 5), the mean ")
                .append("over seeds. The gain is ||dL/d(new incoming weights)|| right after the growth (the quantity GradMax maximizes), ")
                .append("the mean over seeds. The reference numbers come from a different protocol (grow one unit, then train 500 steps ")
                .append("at lr 0.05) and another data scale, so compare the methods' order, not the values.\n\n");
        sb.append(lossTable(table)).append('\n');
        double[][] gm = table.get("gradmax");
        double[][] rnd = table.get("random");
        boolean allGains = true;
        for (int g = 1; g <= GROWTHS; g++) {
            allGains &= gm[g][2] > rnd[g][2];
        }
        sb.append(String.format(Locale.ROOT, "GradMax's mean gain exceeds random's at every growth: **%s**. Mean loss after growth 5: "
                + "gradmax %.4f vs random %.4f (no worse: **%s**).%n%n", allGains ? "yes" : "no", gm[5][0], rnd[5][0],
                gm[5][0] <= rnd[5][0] ? "yes" : "no"));
        sb.append("Per-seed rows are in `runs.csv`; `growth.png` draws each method's mean loss over the steps, growths"
                + " marked.\n");
        return sb.toString();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
