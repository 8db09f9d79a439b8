package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.relume.data.IdxReader;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.grow.Growth;
import org.relume.grow.GrowthListener;
import org.relume.grow.GrowthMethod;
import org.relume.grow.GrowthSchedule;
import org.relume.io.AtomicFiles;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * GradMax on convolutions (Evci et al. 2022, the convolutional experiments' protocol in small):
 * a thin CNN on Fashion-MNIST starts at a quarter of its final width and grows filters in steps,
 * one convolution after another, by GradMax or at random (new incoming kernels zero, outgoing
 * kernels at 0.5 x the existing filters' mean norm, the reference's CIFAR scale); the same CNN at
 * its final width trained from scratch is the third method. The report gives test accuracy per
 * method over seeds and the gradient-norm gain of each growth, GradMax beside random.
 */
public final class GradMaxCnnReproduction implements Reproduction {
    public static final List<String> COLUMNS = List.of("method", "seed", "test_accuracy", "train_accuracy", "final_loss",
            "parameters", "architecture", "gains", "seconds", "settings");
    static final List<String> METHODS = List.of("gradmax", "random", "scratch");

    /** One profile: data, sizes and schedule. Growth adds {@code units} filters at the end of each of the first epochs. */
    record Profile(String data, int limit, int depth, int startWidth, int finalWidth, int units, int epochs, int batch,
                   List<Long> seeds) {
        int growths() {
            return depth * (finalWidth - startWidth) / units;
        }

        String describe() {
            return data + " limit " + limit + ", " + depth + " convolutions " + startWidth + " -> " + finalWidth + " channels, "
                    + units + " filters per growth, " + epochs + " epochs, batch " + batch + ", Adam 1e-3, scale 0.5";
        }
    }

    /** One trained net; {@code gains} lists the gradient-norm gain of each growth (empty for scratch). */
    record Run(String method, long seed, double testAccuracy, double trainAccuracy, double finalLoss, long parameters,
               String architecture, double[] gains, double seconds) {}

    @Override
    public String name() {
        return "gradmax-cnn";
    }

    @Override
    public String title() {
        return "GradMax on convolutions: a thin CNN grown on Fashion-MNIST (Evci et al.)";
    }

    @Override
    public void run(Context ctx) throws IOException {
        run(ctx, profile(ctx));
    }

    /** Every method and seed, counted at the final width (growth trains narrower nets at first: an upper bound). */
    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        Profile p = profile(ctx);
        // idx data validate on the t10k file: every limited (or every) training image trains.
        double samples = p.limit() > 0 ? p.limit() : 60000;
        int[] widths = new int[p.depth()];
        Arrays.fill(widths, p.finalWidth());
        List<CostEstimate.Training> list = new ArrayList<>();
        for (long seed : p.seeds()) {
            for (String method : METHODS) {
                list.add(new CostEstimate.Training(method + " seed " + seed, () -> Cnn.build(1, 28, 28, widths, 3, 10,
                        Activations.relu(), Initializer.KAIMING_UNIFORM, 1), samples * p.epochs(), p.batch()));
            }
        }
        return list;
    }

    private static Profile profile(Context ctx) {
        Path dir = ctx.dataDir() != null ? ctx.dataDir() : HbNetAgdNetReproduction.DEFAULT_FASHION;
        if (!IdxReader.hasTrainingImages(dir)) {
            throw new IllegalArgumentException("gradmax-cnn needs Fashion-MNIST (or MNIST) idx files in " + dir
                    + " (run data/fetch-fashion-mnist.sh, or give the folder with --data-dir DIR)");
        }
        return ctx.quick()
                ? new Profile("idx:" + dir, 5000, 3, 2, 8, 2, 12, 128, List.of(1L, 2L, 3L))
                : new Profile("idx:" + dir, 0, 3, 2, 8, 2, 20, 128, List.of(1L, 2L, 3L, 4L, 5L));
    }

    void run(Context ctx, Profile p) throws IOException {
        if (p.growths() >= p.epochs()) {
            throw new IllegalArgumentException("the profile grows " + p.growths() + " times but trains " + p.epochs() + " epochs");
        }
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %s; %d growths; seeds %s%n", ctx.quick() ? "quick" : "full", p.describe(),
                p.growths(), p.seeds());
        log.flush();
        long start = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        try (ResultsCsv csv = ResultsCsv.open(ctx.out().resolve("results.csv"), COLUMNS)) {
            Set<String> done = new HashSet<>();
            for (Map<String, String> row : csv.existingRows(p.describe())) {
                Run r = fromRow(row);
                runs.add(r);
                done.add(r.method() + "/" + r.seed());
            }
            List<ParallelRuns.Task<Run>> tasks = new ArrayList<>();
            for (long seed : p.seeds()) {
                for (String method : METHODS) {
                    if (!done.contains(method + "/" + seed)) {
                        tasks.add(new ParallelRuns.Task<>(method + " seed " + seed, () -> append(csv, train(method, seed, p), p)));
                    }
                }
            }
            csv.requireCanAdd(tasks.size());
            runs.addAll(ParallelRuns.run(name(), tasks, ctx));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report(p, runs, wall, ctx));
        log.printf(Locale.ROOT, "wrote %s and %s (%.0f s)%n", ctx.out().resolve("results.csv"),
                ctx.out().resolve("report.md"), wall);
        log.flush();
    }

    static Run train(String method, long seed, Profile p) {
        long start = System.nanoTime();
        RunSeeds seeds = RunSeeds.of(seed);
        Dataset.Split split = DataSources.load(new DataSources.Request(p.data(), seeds.data(), 0.15, null, null, p.limit()))
                .split();
        boolean grows = !method.equals("scratch");
        int[] widths = new int[p.depth()];
        Arrays.fill(widths, grows ? p.startWidth() : p.finalWidth());
        Network net = Cnn.build(1, 28, 28, widths, 3, split.train().outputs(), Activations.relu(), Initializer.KAIMING_UNIFORM,
                seeds.init());
        int stepsPerEpoch = (split.train().size() + p.batch() - 1) / p.batch();
        TrainConfig cfg = TrainConfig.defaults().epochs(p.epochs()).batchSize(p.batch()).shuffle(true).optimizer(new Adam(1e-3))
                .logEvery(p.epochs()).seed(seeds.batches());
        GrowthListener growth = null;
        if (grows) {
            GrowthSchedule schedule = new GrowthSchedule(stepsPerEpoch, stepsPerEpoch, p.growths(), p.units(),
                    GrowthSchedule.Where.ROUND_ROBIN, 0, 0, 0.01);
            growth = new GrowthListener(GrowthMethod.byName(method), schedule, new Growth.Settings(0.5, 0, 10),
                    Loss.forTask(split.train().task()), seeds.batches());
            cfg.listener(growth);
        }
        TrainResult r = new Trainer(cfg).train(net, split.train(), split.validation());
        double[] gains = growth == null ? new double[0]
                : growth.events().stream().mapToDouble(GrowthListener.Event::gradNormGain).toArray();
        return new Run(method, seed, r.validation().accuracy(), r.train().accuracy(), r.finalLoss(),
                r.network().parameterCount(), r.network().architecture(), gains, (System.nanoTime() - start) / 1e9);
    }

    private static Run append(ResultsCsv csv, Run r, Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("seed", r.seed());
        m.put("test_accuracy", r.testAccuracy());
        m.put("train_accuracy", r.trainAccuracy());
        m.put("final_loss", r.finalLoss());
        m.put("parameters", r.parameters());
        m.put("architecture", r.architecture());
        m.put("gains", Arrays.stream(r.gains()).mapToObj(g -> String.format(Locale.ROOT, "%.6g", g))
                .collect(Collectors.joining(" ")));
        m.put("seconds", r.seconds());
        m.put("settings", p.describe());
        try {
            csv.append(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    private static Run fromRow(Map<String, String> row) {
        String g = row.get("gains").trim();
        double[] gains = g.isEmpty() ? new double[0] : Arrays.stream(g.split(" ")).mapToDouble(Double::parseDouble).toArray();
        return new Run(row.get("method"), Long.parseLong(row.get("seed")), Double.parseDouble(row.get("test_accuracy")),
                Double.parseDouble(row.get("train_accuracy")), Double.parseDouble(row.get("final_loss")),
                Long.parseLong(row.get("parameters")), row.get("architecture"), gains, Double.parseDouble(row.get("seconds")));
    }

    private static String report(Profile p, List<Run> runs, double wall, Context ctx) {
        StringBuilder sb = new StringBuilder("# GradMax on convolutions: a thin CNN grown on Fashion-MNIST\n\n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now()).append("\n\n");
        sb.append("- ").append(p.describe()).append("; seeds ").append(p.seeds()).append('\n');
        sb.append("- growth at the end of each of the first ").append(p.growths()).append(" epochs, one convolution after"
                + " another; new incoming kernels zero, outgoing kernels by GradMax (top singular vectors) or random;"
                + " scratch = the final width from the start, no growth\n");
        sb.append(String.format(Locale.ROOT, "- wall time of this invocation %.0f s on %d threads; the runs' own times,"
                + " including any resumed from an earlier invocation, sum to %.0f s%n%n", wall, ctx.threads(),
                runs.stream().mapToDouble(Run::seconds).sum()));
        sb.append("## Test accuracy (mean ± sd over seeds)\n\n| method | test accuracy | final architecture | parameters |\n"
                + "|---|---|---|---|\n");
        for (String m : METHODS) {
            List<Run> rs = runs.stream().filter(r -> r.method().equals(m)).toList();
            Spread s = Spread.of(rs.stream().map(Run::testAccuracy).toList());
            sb.append(String.format(Locale.ROOT, "| %s | %.4f ± %.4f | %s | %d |%n", m, s.mean(), s.sd(),
                    rs.isEmpty() ? "-" : rs.get(0).architecture(), rs.isEmpty() ? 0 : rs.get(0).parameters()));
        }
        sb.append("\n## Gradient-norm gain at each growth (mean over seeds)\n\n| growth | gradmax | random | ratio |\n"
                + "|---|---|---|---|\n");
        for (int g = 0; g < p.growths(); g++) {
            double gm = meanGain(runs, "gradmax", g);
            double rd = meanGain(runs, "random", g);
            sb.append(String.format(Locale.ROOT, "| %d | %.4g | %.4g | %.1f |%n", g + 1, gm, rd, gm / rd));
        }
        sb.append("\n## Every run\n\n| method | seed | test accuracy | train accuracy | final loss | seconds |\n"
                + "|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.1f |%n", r.method(), r.seed(),
                    r.testAccuracy(), r.trainAccuracy(), r.finalLoss(), r.seconds()));
        }
        return sb.toString();
    }

    private static double meanGain(List<Run> runs, String method, int growth) {
        return runs.stream().filter(r -> r.method().equals(method) && r.gains().length > growth)
                .mapToDouble(r -> r.gains()[growth]).average().orElse(Double.NaN);
    }
}
