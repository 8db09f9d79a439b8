package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.relume.blocks.DenseNets;
import org.relume.blocks.ResidualNets;
import org.relume.data.IdxReader;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.io.AtomicFiles;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import org.relume.train.TrainingRecipe;

/**
 * Li et al., Table 4: HB-Net (eq. 16, b1 = 1, b2 = -1) against ResNet at n = 9 and 18, and AGD-Net
 * (eq. 21) against DenseNet at growth rate 12 and L = 40 and 52, each pair trained alike with the
 * DenseNet recipe (Section 7.1, {@link TrainingRecipe#RESNET_CIFAR}). The full profile is the
 * paper's, on CIFAR-10 files the user supplies; the quick profile compares each pair on
 * Fashion-MNIST (a Debian package, see data/fetch-fashion-mnist.sh) with small nets, few epochs and
 * three seeds, and says whether the difference exceeds the seed spread. Column {@code n} is the
 * units (ResNet) or layers (DenseNet) per block, {@code width} the first block's channels or the
 * growth rate.
 */
public final class HbNetAgdNetReproduction implements Reproduction {
    public static final List<String> COLUMNS = List.of("pair", "model", "n", "width", "seed", "test_error",
            "train_accuracy", "epochs", "samples", "parameters", "seconds", "settings");
    /** The default Fashion-MNIST folder of the quick profile (data/fetch-fashion-mnist.sh fills it). */
    public static final Path DEFAULT_FASHION = Path.of("data", "fashion-mnist");

    /** Table 4, CIFAR-10 without augmentation, error %: (ResNet, HB-Net) at n = 9 and n = 18. */
    static final double[][] PAPER_CIFAR10 = {{10.05, 10.17}, {9.17, 8.66}};
    /** Table 4, CIFAR-10 without augmentation, error %: (DenseNet, AGD-Net) at k = 12, L = 40 and 52. */
    static final double[][] PAPER_DENSE_CIFAR10 = {{7.00, 6.44}, {6.05, 5.75}};

    /** The two comparisons of Table 4; each model id is also the {@code model} column. */
    enum Pair {
        RESNET_HBNET("resnet-hbnet", "resnet", "hbnet"), DENSENET_AGDNET("densenet-agdnet", "densenet", "agdnet");

        final String id;
        final String baseline;
        final String ours;

        Pair(String id, String baseline, String ours) {
            this.id = id;
            this.baseline = baseline;
            this.ours = ours;
        }

        static Pair of(String model) {
            for (Pair p : values()) {
                if (p.baseline.equals(model) || p.ours.equals(model)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown model '" + model + "' in results.csv");
        }

        /** Weight layers of a net with n units (layers) per block. */
        int depth(int n) {
            return this == RESNET_HBNET ? ResidualNets.depth(n) : 3 * n + 4;
        }
    }

    /**
     * One pair's settings: the data and how much of it, the sizes (n per block), the width (ResNet)
     * or growth rate (DenseNet), the DenseNet stem, and the training length.
     */
    record Arm(Pair pair, String data, int limit, int[] ns, int width, int stem, int epochs) {
        String describe() {
            String size = pair == Pair.RESNET_HBNET ? "width " + width : "growth " + width + ", stem " + stem;
            return data + " limit " + limit + ", " + size + ", " + epochs + " epochs, "
                    + TrainingRecipe.RESNET_CIFAR.id() + " recipe (lr / 10 at epochs "
                    + java.util.Arrays.toString(TrainingRecipe.RESNET_CIFAR.milestones(epochs)) + "), Kaiming uniform";
        }
    }

    /** Both arms and the seeds. */
    record Profile(List<Arm> arms, List<Long> seeds) {
        Arm arm(Pair pair) {
            return arms.stream().filter(a -> a.pair() == pair).findFirst().orElseThrow();
        }

        String data() {
            return arms.get(0).data();
        }
    }

    /** One trained model. */
    record Run(String model, int n, long seed, double testError, double trainAccuracy, long parameters,
               double seconds) {
        Pair pair() {
            return Pair.of(model);
        }
    }

    @Override
    public String name() {
        return "hbnet-agdnet";
    }

    @Override
    public String title() {
        return "HB-Net and AGD-Net against ResNet and DenseNet (Li et al., Table 4)";
    }

    @Override
    public void run(Context ctx) throws IOException {
        run(ctx, profile(ctx));
    }

    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        Profile p = profile(ctx);
        List<CostEstimate.Training> list = new ArrayList<>();
        for (Arm a : p.arms()) {
            boolean cifar = a.data().startsWith("cifar:");
            int[] image = cifar ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
            // idx and CIFAR validate on their test files: every limited (or every) training image trains.
            double samples = a.limit() > 0 ? a.limit() : cifar ? 50000 : 60000;
            for (int n : a.ns()) {
                for (long seed : p.seeds()) {
                    for (String model : List.of(a.pair().baseline, a.pair().ours)) {
                        list.add(new CostEstimate.Training(key(model, n, seed), () -> network(a, model, n, image, 10, 1),
                                samples * a.epochs(), TrainingRecipe.RESNET_CIFAR.batchSize()));
                    }
                }
            }
        }
        return list;
    }

    /** CIFAR-10 when the data folder holds its files; else Fashion-MNIST in idx files (quick only). */
    static Profile profile(Context ctx) {
        Path dir = ctx.dataDir();
        boolean cifar = dir != null && (Files.isRegularFile(dir.resolve("data_batch_1.bin"))
                || Files.isRegularFile(dir.resolve("cifar-10-batches-bin").resolve("data_batch_1.bin")));
        List<Long> three = List.of(1L, 2L, 3L);
        if (!ctx.quick()) {
            if (!cifar) {
                throw new IllegalArgumentException("hbnet-agdnet's full profile is the paper's, on CIFAR-10: give the folder of "
                        + "data_batch_1.bin .. test_batch.bin with --data-dir DIR");
            }
            String data = "cifar:" + dir;
            return new Profile(List.of(new Arm(Pair.RESNET_HBNET, data, 0, new int[] {9, 18}, 16, 0, 300),
                    new Arm(Pair.DENSENET_AGDNET, data, 0, new int[] {12, 16}, 12, 16, 300)), List.of(1L));
        }
        if (cifar) {
            String data = "cifar:" + dir;
            return new Profile(List.of(new Arm(Pair.RESNET_HBNET, data, 2000, new int[] {2}, 8, 0, 2),
                    new Arm(Pair.DENSENET_AGDNET, data, 2000, new int[] {2}, 4, 8, 2)), three);
        }
        Path fashion = dir != null ? dir : DEFAULT_FASHION;
        if (!IdxReader.hasTrainingImages(fashion)) {
            throw new IllegalArgumentException("hbnet-agdnet --quick needs Fashion-MNIST in " + fashion
                    + " (run data/fetch-fashion-mnist.sh) or CIFAR-10 files given with --data-dir DIR");
        }
        String data = "idx:" + fashion;
        // n = 1 would compare nothing: a block's single unit is its entry, a ResNet unit in both; a
        // dense block of one layer has no momentum term. The dense pair costs more per sample, so it
        // sees fewer samples to keep the profile within 15 minutes on two cores.
        return new Profile(List.of(new Arm(Pair.RESNET_HBNET, data, 5000, new int[] {2, 3}, 8, 0, 5),
                new Arm(Pair.DENSENET_AGDNET, data, 3000, new int[] {2}, 8, 8, 5)), three);
    }

    void run(Context ctx, Profile p) throws IOException {
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        int total = 0;
        for (Arm a : p.arms()) {
            total += 2 * a.ns().length * p.seeds().size();
            log.printf(Locale.ROOT, "%s profile, %s: %s; n %s%n", ctx.quick() ? "quick" : "full", a.pair().id, a.describe(),
                    java.util.Arrays.toString(a.ns()));
        }
        log.printf(Locale.ROOT, "%d models, seeds %s%n", total, p.seeds());
        log.flush();
        long start = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        try (ResultsCsv csv = ResultsCsv.open(ctx.out().resolve("results.csv"), COLUMNS)) {
            Set<String> done = new HashSet<>();
            for (Map<String, String> row : csv.existingRows()) {
                Run r = fromRow(row);
                String settings = p.arm(r.pair()).describe();
                // A file from before rows kept their settings is only read (requireCanAdd below).
                if (row.get("settings") != null && !settings.equals(row.get("settings"))) {
                    throw new IllegalArgumentException(csv.file() + " holds runs made with other settings ("
                            + row.get("settings") + "; now: " + settings + "); use another output directory or remove the file");
                }
                runs.add(r);
                done.add(key(r.model(), r.n(), r.seed()));
            }
            List<ParallelRuns.Task<Run>> tasks = new ArrayList<>();
            for (Arm a : p.arms()) {
                for (int n : a.ns()) {
                    for (long seed : p.seeds()) {
                        for (String model : List.of(a.pair().baseline, a.pair().ours)) {
                            if (!done.contains(key(model, n, seed))) {
                                tasks.add(task(csv, a, model, n, seed));
                            }
                        }
                    }
                }
            }
            if (!runs.isEmpty()) {
                log.printf(Locale.ROOT, "resuming: %d of %d models already in results.csv%n", runs.size(), total);
                log.flush();
            }
            csv.requireCanAdd(tasks.size());
            runs.addAll(ParallelRuns.run(name(), tasks, ctx));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        AtomicFiles.writeString(ctx.out().resolve("report.md"), new HbNetAgdNetReport(title(), p, runs, wall, ctx).markdown());
        log.printf(Locale.ROOT, "wrote %s and %s (%.0f s)%n", ctx.out().resolve("results.csv"),
                ctx.out().resolve("report.md"), wall);
        log.flush();
    }

    private static ParallelRuns.Task<Run> task(ResultsCsv csv, Arm a, String model, int n, long seed) {
        return new ParallelRuns.Task<>(key(model, n, seed), () -> {
            Run r = train(a, model, n, seed);
            try {
                csv.append(row(r, a));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return r;
        });
    }

    private static String key(String model, int n, long seed) {
        return model + " n=" + n + " seed " + seed;
    }

    static Run train(Arm a, String model, int n, long seed) {
        long start = System.nanoTime();
        RunSeeds seeds = RunSeeds.of(seed);
        Dataset.Split split = DataSources.load(new DataSources.Request(a.data(), seeds.data(), 0.15, null, null, a.limit()))
                .split();
        int[] image = split.train().inputs() == 784 ? new int[] {1, 28, 28} : new int[] {3, 32, 32};
        Network net = network(a, model, n, image, split.train().outputs(), seeds.init());
        TrainingRecipe recipe = TrainingRecipe.RESNET_CIFAR;
        TrainConfig cfg = TrainConfig.defaults().epochs(a.epochs()).batchSize(recipe.batchSize()).shuffle(true)
                .optimizer(recipe.optimizer()).schedule(recipe.schedule(a.epochs())).logEvery(a.epochs())
                .seed(seeds.batches());
        TrainResult r = new Trainer(cfg).train(net, split.train(), split.validation());
        return new Run(model, n, seed, 100 * (1 - r.validation().accuracy()), r.train().accuracy(), net.parameterCount(),
                (System.nanoTime() - start) / 1e9);
    }

    private static Network network(Arm a, String model, int n, int[] image, int outputs, long seed) {
        return switch (model) {
            case "resnet", "hbnet" -> ResidualNets.build("hbnet".equals(model) ? ResidualNets.Kind.HBNET
                    : ResidualNets.Kind.RESNET, image, n, a.width(), outputs, false, Initializer.KAIMING_UNIFORM, seed);
            default -> DenseNets.build("agdnet".equals(model) ? DenseNets.Kind.AGDNET : DenseNets.Kind.DENSENET, image,
                    a.pair().depth(n), a.width(), a.stem(), outputs, Initializer.KAIMING_UNIFORM, seed);
        };
    }

    private static Map<String, Object> row(Run r, Arm a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pair", a.pair().id);
        m.put("model", r.model());
        m.put("n", r.n());
        m.put("width", a.width());
        m.put("seed", r.seed());
        m.put("test_error", r.testError());
        m.put("train_accuracy", r.trainAccuracy());
        m.put("epochs", a.epochs());
        m.put("samples", a.limit());
        m.put("parameters", r.parameters());
        m.put("seconds", r.seconds());
        m.put("settings", a.describe());
        return m;
    }

    private static Run fromRow(Map<String, String> row) {
        return new Run(row.get("model"), Integer.parseInt(row.get("n")), Long.parseLong(row.get("seed")),
                Double.parseDouble(row.get("test_error")), Double.parseDouble(row.get("train_accuracy")),
                Long.parseLong(row.get("parameters")), Double.parseDouble(row.get("seconds")));
    }
}
