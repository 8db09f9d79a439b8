package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.relume.blocks.ResidualNets;
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
 * Li et al., Table 4: HB-Net (eq. 16, b1 = 1, b2 = -1) against ResNet at n = 9 and 18, trained
 * alike with the DenseNet recipe (Section 7.1, {@link TrainingRecipe#RESNET_CIFAR}). The full
 * profile is the paper's, on CIFAR-10 files the user supplies; the quick profile compares the pair
 * on Fashion-MNIST (a Debian package, see data/fetch-fashion-mnist.sh) with small n, few epochs and
 * three seeds, and says whether the difference exceeds the seed spread. The DenseNet / AGD-Net rows
 * (eq. 21) are not built yet; the report says so.
 */
public final class HbNetAgdNetReproduction implements Reproduction {
    public static final List<String> COLUMNS = List.of("pair", "model", "n", "width", "seed", "test_error",
            "train_accuracy", "epochs", "samples", "parameters", "seconds", "settings");
    /** The default Fashion-MNIST folder of the quick profile (data/fetch-fashion-mnist.sh fills it). */
    public static final Path DEFAULT_FASHION = Path.of("data", "fashion-mnist");

    /** Table 4, CIFAR-10 without augmentation, error %: (ResNet, HB-Net) at n = 9 and n = 18. */
    static final double[][] PAPER_CIFAR10 = {{10.05, 10.17}, {9.17, 8.66}};

    /** A profile: the data, how much of it, the sizes, the training length and the seeds. */
    record Profile(String data, int limit, int[] ns, int width, int epochs, List<Long> seeds) {
        String describe() {
            return data + " limit " + limit + ", width " + width + ", " + epochs + " epochs, "
                    + TrainingRecipe.RESNET_CIFAR.id() + " recipe (lr / 10 at epochs "
                    + java.util.Arrays.toString(TrainingRecipe.RESNET_CIFAR.milestones(epochs)) + "), Kaiming uniform";
        }
    }

    /** One trained model. */
    record Run(ResidualNets.Kind kind, int n, long seed, double testError, double trainAccuracy, long parameters,
               double seconds) {}

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

    /** CIFAR-10 when the data folder holds its files; else Fashion-MNIST in idx files (quick only). */
    static Profile profile(Context ctx) {
        Path dir = ctx.dataDir();
        boolean cifar = dir != null && (Files.isRegularFile(dir.resolve("data_batch_1.bin"))
                || Files.isRegularFile(dir.resolve("cifar-10-batches-bin").resolve("data_batch_1.bin")));
        if (!ctx.quick()) {
            if (!cifar) {
                throw new IllegalArgumentException("hbnet-agdnet's full profile is the paper's, on CIFAR-10: give the folder of "
                        + "data_batch_1.bin .. test_batch.bin with --data-dir DIR");
            }
            return new Profile("cifar:" + dir, 0, new int[] {9, 18}, 16, 300, List.of(1L));
        }
        if (cifar) {
            return new Profile("cifar:" + dir, 2000, new int[] {2}, 8, 2, List.of(1L, 2L, 3L));
        }
        Path fashion = dir != null ? dir : DEFAULT_FASHION;
        if (!Files.isRegularFile(fashion.resolve("train-images-idx3-ubyte.gz"))
                && !Files.isRegularFile(fashion.resolve("train-images-idx3-ubyte"))) {
            throw new IllegalArgumentException("hbnet-agdnet --quick needs Fashion-MNIST in " + fashion
                    + " (run data/fetch-fashion-mnist.sh) or CIFAR-10 files given with --data-dir DIR");
        }
        // n = 1 would compare nothing: a block's single unit is its entry, a ResNet unit in both.
        return new Profile("idx:" + fashion, 5000, new int[] {2, 3}, 8, 5, List.of(1L, 2L, 3L));
    }

    void run(Context ctx, Profile p) throws IOException {
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        int total = 2 * p.ns().length * p.seeds().size();
        log.printf(Locale.ROOT, "%s profile: %s; n %s; %d models%n", ctx.quick() ? "quick" : "full", p.describe(),
                java.util.Arrays.toString(p.ns()), total);
        log.flush();
        long start = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        try (ResultsCsv csv = ResultsCsv.open(ctx.out().resolve("results.csv"), COLUMNS)) {
            Set<String> done = new HashSet<>();
            for (Map<String, String> row : csv.existingRows(p.describe())) {
                Run r = fromRow(row);
                runs.add(r);
                done.add(key(r.kind(), r.n(), r.seed()));
            }
            List<ParallelRuns.Task<Run>> tasks = new ArrayList<>();
            for (int n : p.ns()) {
                for (long seed : p.seeds()) {
                    for (ResidualNets.Kind kind : ResidualNets.Kind.values()) {
                        if (done.contains(key(kind, n, seed))) {
                            continue;
                        }
                        tasks.add(new ParallelRuns.Task<>(key(kind, n, seed), () -> {
                            Run r = train(kind, n, seed, p);
                            try {
                                csv.append(row(r, p));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            return r;
                        }));
                    }
                }
            }
            if (!runs.isEmpty()) {
                log.printf(Locale.ROOT, "resuming: %d of %d models already in results.csv%n", runs.size(), total);
                log.flush();
            }
            runs.addAll(ParallelRuns.run(name(), tasks, ctx));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        AtomicFiles.writeString(ctx.out().resolve("report.md"), new HbNetAgdNetReport(title(), p, runs, wall, ctx).markdown());
        log.printf(Locale.ROOT, "wrote %s and %s (%.0f s)%n", ctx.out().resolve("results.csv"),
                ctx.out().resolve("report.md"), wall);
        log.flush();
    }

    private static String key(ResidualNets.Kind kind, int n, long seed) {
        return kind.id() + " n=" + n + " seed " + seed;
    }

    static Run train(ResidualNets.Kind kind, int n, long seed, Profile p) {
        long start = System.nanoTime();
        RunSeeds seeds = RunSeeds.of(seed);
        Dataset.Split split = DataSources.load(new DataSources.Request(p.data(), seeds.data(), 0.15, null, null, p.limit()))
                .split();
        int[] image = split.train().inputs() == 784 ? new int[] {1, 28, 28} : new int[] {3, 32, 32};
        Network net = ResidualNets.build(kind, image, n, p.width(), split.train().outputs(), false,
                Initializer.KAIMING_UNIFORM, seeds.init());
        TrainingRecipe recipe = TrainingRecipe.RESNET_CIFAR;
        TrainConfig cfg = TrainConfig.defaults().epochs(p.epochs()).batchSize(recipe.batchSize()).shuffle(true)
                .optimizer(recipe.optimizer()).schedule(recipe.schedule(p.epochs())).logEvery(p.epochs())
                .seed(seeds.batches());
        TrainResult r = new Trainer(cfg).train(net, split.train(), split.validation());
        return new Run(kind, n, seed, 100 * (1 - r.validation().accuracy()), r.train().accuracy(), net.parameterCount(),
                (System.nanoTime() - start) / 1e9);
    }

    private static Map<String, Object> row(Run r, Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pair", "resnet-hbnet");
        m.put("model", r.kind().id());
        m.put("n", r.n());
        m.put("width", p.width());
        m.put("seed", r.seed());
        m.put("test_error", r.testError());
        m.put("train_accuracy", r.trainAccuracy());
        m.put("epochs", p.epochs());
        m.put("samples", p.limit());
        m.put("parameters", r.parameters());
        m.put("seconds", r.seconds());
        m.put("settings", p.describe());
        return m;
    }

    private static Run fromRow(Map<String, String> row) {
        ResidualNets.Kind kind = "hbnet".equals(row.get("model")) ? ResidualNets.Kind.HBNET : ResidualNets.Kind.RESNET;
        return new Run(kind, Integer.parseInt(row.get("n")), Long.parseLong(row.get("seed")),
                Double.parseDouble(row.get("test_error")), Double.parseDouble(row.get("train_accuracy")),
                Long.parseLong(row.get("parameters")), Double.parseDouble(row.get("seconds")));
    }
}
