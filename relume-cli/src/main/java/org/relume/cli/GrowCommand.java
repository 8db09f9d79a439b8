package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.experiment.FoldingExperiment;
import org.relume.grow.FoldingListener;
import org.relume.grow.Growing;
import org.relume.grow.GrowthPlan;
import org.relume.grow.GrowthSchedule;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.optim.Optimizer;
import org.relume.optim.Sgd;
import org.relume.plot.Figures;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume grow}: train while adding units, by GradMax, a baseline or folding. */
@Command(name = "grow",
        header = "Train a network while growing it: GradMax, random, zeros, gradmax-opt or grow-by-folding.",
        description = {
            "Starts from DEPTH hidden layers of START-WIDTH units and adds UNITS units every N optimizer steps from"
                + " step S, T times (growth happens between epochs). Every growth leaves the function unchanged; the"
                + " optimizer keeps its state for existing weights. Folding needs one hidden layer and a"
                + " classification task. Prints a table of the growths and writes DIR/model.safetensors, model.json,"
                + " metrics.csv, growth.csv (one row per growth), summary.json, growth.png/.svg (the loss with every"
                + " growth marked) and, for folding on 2-D data,"
                + " folds.png/.svg (data, hyperplanes, x_t, x_f, the new unit).",
            "",
            "Examples:",
            "  relume grow --data student-teacher --method gradmax --start-width 5 \\",
            "      --grow-every 200 --grow-times 5 --optimizer sgd --lr 0.1 \\",
            "      --epochs 1500 --no-bias --out runs/gradmax",
            "  relume grow --data sine --method folding --start-width 2 \\",
            "      --grow-every 2000 --grow-times 1 --epochs 4000 --out runs/fold",
            "  relume grow --data csv:iris.csv --label species --drop id --method gradmax \\",
            "      --start-width 2 --out runs/iris-grown",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class GrowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "student-teacher", paramLabel = "SPEC",
            description = "Data spec as for train (csv:PATH with --label, --features, --drop, --task, --standardize); also"
                    + " student-teacher, teacher:in=10,hidden=10,out=10,seed=1, sine, overlap-quadratic (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--method", defaultValue = "gradmax", paramLabel = "M",
            description = "gradmax, random, zeros, gradmax-opt or folding (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--start-width", defaultValue = "5", paramLabel = "W", description = "Initial hidden width (default: ${DEFAULT-VALUE}).")
    int startWidth;

    @Option(names = "--depth", defaultValue = "1", paramLabel = "L", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--grow-every", defaultValue = "200", paramLabel = "N", description = "Steps between growths (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--grow-start", paramLabel = "S", description = "Step of the first growth (default: --grow-every).")
    Integer start;

    @Option(names = "--grow-times", defaultValue = "5", paramLabel = "T", description = "Number of growths (default: ${DEFAULT-VALUE}).")
    int times;

    @Option(names = "--units", defaultValue = "1", paramLabel = "K", description = "Units per growth (default: ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--layer", defaultValue = "0", paramLabel = "WHERE",
            description = "Hidden layer to grow: an index, round-robin, or largest (GradMax singular value) (default: ${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--plateau-window", defaultValue = "0", paramLabel = "E",
            description = "Grow when the loss improved by less than --plateau-fraction over E epochs (0 = use the step schedule).")
    int plateauWindow;

    @Option(names = "--plateau-fraction", defaultValue = "0.01", paramLabel = "F", description = "Relative improvement threshold (default: ${DEFAULT-VALUE}).")
    double plateauFraction;

    @Option(names = "--scale", defaultValue = "1.0", paramLabel = "S",
            description = "New outgoing weights' norm, times the mean outgoing norm (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--deepen", description = "After the last fold, insert an identity layer (equivalent deepening).")
    boolean deepen;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "sgd|adam", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--epochs", defaultValue = "1500", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "0", paramLabel = "B", description = "0 = full batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--val-split", defaultValue = "0", paramLabel = "F", description = "Held-out share (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--no-bias", description = "Bias-free layers (GradMax's student-teacher setting).")
    boolean noBias;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (a bar on a terminal, else a line every 10 s).")
    boolean quiet;

    @Option(names = "--conv", description = "Grow a thin CNN instead of an MLP: --depth 3x3 same convolutions of --start-width"
            + " channels, then a dense head on the flattened maps; growth adds filters (gradmax, random or zeros).")
    boolean conv;

    @Option(names = "--image", paramLabel = "CxHxW",
            description = "With --conv: the image shape (default: 1x28x28 for 784 features, 3x32x32 for 3072).")
    String image;

    /** What a finished run hands to printing and writing. */
    private record Run(DataOptions.Inputs in, Dataset train, Loss loss, String methodId, GrowthSchedule schedule,
                       FoldingListener fold, List<Map<String, Object>> growths, TrainResult result) {}

    @Override
    public Integer call() throws IOException {
        if (out != null) {
            ModelDirectory.checkOutput(out);
        }
        boolean folding = method.equalsIgnoreCase("folding");
        GrowthSchedule schedule = schedule(folding);
        GrowthPlan plan = new GrowthPlan(method, schedule, scale, folding && deepen);
        RunSeeds seeds = RunSeeds.of(seed);
        DataOptions.Inputs in = dataOptions.load(data, seeds.data(), valSplit, spec);
        Dataset train = in.train();
        int[] widths = new int[depth];
        Arrays.fill(widths, startWidth);
        Network net = conv ? thinCnn(train, widths, seeds.init())
                : Mlp.builder().inputs(train.inputs()).hidden(widths).outputs(train.outputs())
                        .activation(Activations.relu()).init(Initializer.KAIMING_UNIFORM).bias(!noBias).seed(seeds.init()).build();
        Loss loss = Loss.forTask(train.task());
        Optimizer opt = optimizer();
        // Folding draws its folds from the run's seed, the other methods their directions from the batch seed.
        Growing growing = plan.listener(loss, folding ? seed : seeds.batches());
        TrainConfig cfg = TrainConfig.defaults().epochs(epochs).batchSize(batchSize).shuffle(batchSize != 0).optimizer(opt)
                .loss(loss).seed(seeds.batches()).logEvery(Math.max(1, Math.min(every, epochs / 20 + 1)))
                .listener(growing);
        PrintWriter o = spec.commandLine().getOut();
        String methodId = plan.method();
        o.printf(Locale.ROOT, "data     %s%nnetwork  %s at start, %s%ngrowth   %s, %s%n", in.loaded().description(),
                net.architecture(), opt.describe(), methodId, schedule.describe());
        o.flush();
        TrainResult r = train(cfg, net, train, in.validation(), quiet);
        Run run = new Run(in, train, loss, methodId, schedule, growing instanceof FoldingListener f ? f : null,
                growing.eventRows(), r);
        printResult(o, run);
        if (out != null) {
            write(run);
            o.printf("wrote    %s%n", out);
        }
        o.flush();
        return Relume.OK;
    }

    private GrowthSchedule schedule(boolean folding) {
        if (epochs <= 0 || startWidth <= 0 || depth <= 0 || every <= 0 || times < 0 || units <= 0) {
            throw new IllegalArgumentException("--epochs, --start-width, --depth, --grow-every and --units must be positive, --grow-times >= 0");
        }
        if (conv && (folding || noBias)) {
            throw new IllegalArgumentException("--conv grows filters by gradmax, random or zeros, with biases; not "
                    + (folding ? "folding" : "--no-bias"));
        }
        if (image != null && !conv) {
            throw new IllegalArgumentException("--image applies to --conv");
        }
        if (conv && (method.equalsIgnoreCase("gradmax-opt") || layer.toLowerCase(Locale.ROOT).startsWith("largest"))) {
            throw new IllegalArgumentException("--conv grows by gradmax, random or zeros into a given layer or round-robin;"
                    + " not " + (method.equalsIgnoreCase("gradmax-opt") ? "gradmax-opt" : "--layer largest"));
        }
        if (folding && depth != 1) {
            throw new IllegalArgumentException("folding grows networks with one hidden layer (--depth 1)");
        }
        GrowthSchedule schedule = GrowthSchedule.of(start != null ? start : every, every, times, units, layer, plateauWindow,
                plateauFraction);
        if (schedule.where() == GrowthSchedule.Where.FIXED && schedule.fixedLayer() >= depth) {
            throw new IllegalArgumentException("--layer " + schedule.fixedLayer() + " is not a hidden layer (0.." + (depth - 1) + ")");
        }
        return schedule;
    }

    private Optimizer optimizer() {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(lr);
            case "sgd" -> Sgd.plain(lr);
            default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got '" + optimizer + "'");
        };
    }

    private static TrainResult train(TrainConfig cfg, Network net, Dataset train, Dataset validation, boolean quiet) {
        ProgressReporter progress = ProgressReporter.forTerminal("grow", quiet);
        if (progress != null) {
            cfg.listener(progress);
        }
        try {
            return new Trainer(cfg).train(net, train, validation);
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    /** The growths as a table (the columns of growth.csv), then the result line. */
    private static void printResult(PrintWriter o, Run run) {
        if (run.growths().isEmpty()) {
            o.println("grew     nothing: no growth was due within the run");
        } else {
            o.printf("%ngrowths%n%s%n", TextTable.of(run.growths()).render());
        }
        TrainResult r = run.result();
        boolean classification = run.train().task().isClassification();
        o.printf(Locale.ROOT, "result   %s, final loss %.4g, %s %.4f, %.1f s%n", r.network().architecture(), r.finalLoss(),
                classification ? "train accuracy" : "train MSE", classification ? r.train().accuracy() : r.train().mse(),
                r.seconds());
    }

    private void write(Run run) throws IOException {
        TrainResult r = run.result();
        Dataset train = run.train();
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("command", "relume " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        prov.put("seed", seed);
        prov.put("created", Instant.now().toString());
        prov.putAll(BuildInfo.provenance());
        ModelDirectory.replace(out, dir -> {
            DataSources.Loaded loaded = run.in().loaded();
            ModelFiles.write(dir, r.network(), new ModelMetadata(train.task(), train.classes(), run.loss().id(), run.in().mean(),
                    run.in().std(), loaded.featureNames(), prov, train.task().isClassification() ? loaded.classNames() : List.of()));
            AtomicFiles.writeString(dir.resolve("metrics.csv"), r.history().toCsv());
            AtomicFiles.writeString(dir.resolve("growth.csv"), growthCsv(run.growths()));
            Json.write(dir.resolve("summary.json"), summary(run));
            writeGrowthFigure(run, dir);
            if (run.fold() != null && train.inputs() == 2 && !run.fold().events().isEmpty()) {
                List<Figures.Scene> scenes = new ArrayList<>();
                for (FoldingListener.Event e : run.fold().events()) {
                    scenes.add(FoldingExperiment.scene(data + ": fold at epoch " + e.epoch(), train, e.before(), e.fold()));
                }
                Figures.scenes(scenes, dir.resolve("folds.png"), dir.resolve("folds.svg"));
            }
        });
    }

    /** The training loss per logged epoch with every growth marked: what each growth did to the loss. */
    private void writeGrowthFigure(Run run, Path dir) throws IOException {
        List<Map<String, Double>> rows = run.result().history().rows();
        double[] epochs = rows.stream().mapToDouble(r -> r.get("epoch")).toArray();
        double[] loss = rows.stream().mapToDouble(r -> r.get("loss")).toArray();
        double[] events = run.growths().stream().mapToDouble(g -> ((Number) g.get("epoch")).doubleValue()).toArray();
        Figures.curvesWithEvents(data + ": " + run.methodId() + ", " + events.length + " growths", "epoch", "training loss",
                List.of(new Figures.Series("training loss", epochs, loss)), events, "growth", dir.resolve("growth.png"),
                dir.resolve("growth.svg"));
    }

    /** One line per growth; a vector's numbers are separated by spaces inside brackets, so its commas do not split it. */
    private static String growthCsv(List<Map<String, Object>> rows) {
        StringBuilder g = new StringBuilder();
        if (!rows.isEmpty()) {
            g.append(String.join(",", rows.get(0).keySet())).append('\n');
            for (Map<String, Object> row : rows) {
                g.append(String.join(",", row.values().stream().map(v -> (v instanceof double[] a ? Arrays.toString(a)
                        : String.valueOf(v)).replace(',', ' ')).toList())).append('\n');
            }
        }
        return g.toString();
    }

    private Map<String, Object> summary(Run run) {
        TrainResult r = run.result();
        boolean classification = run.train().task().isClassification();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("method", run.methodId());
        summary.put("architecture", r.network().architecture());
        summary.put("growths", run.growths().size());
        summary.put("final_loss", r.finalLoss());
        summary.put(classification ? "train_accuracy" : "train_mse", classification ? r.train().accuracy() : r.train().mse());
        summary.put("epochs", epochs);
        summary.put("seconds", r.seconds());
        summary.put("seed", seed);
        summary.put("schedule", run.schedule().describe());
        summary.put("growth_events", run.growths());
        return summary;
    }

    /** The CNN that --conv grows: 3x3 same convolutions, flatten, a dense head. */
    private Network thinCnn(Dataset train, int[] widths, long seed) {
        int[] img;
        if (image != null) {
            String[] p = image.toLowerCase(Locale.ROOT).split("x");
            try {
                if (p.length != 3) {
                    throw new NumberFormatException();
                }
                img = new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim())};
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--image must be CxHxW (e.g. 1x28x28), got '" + image + "'");
            }
        } else if (train.inputs() == 784) {
            img = new int[] {1, 28, 28};
        } else if (train.inputs() == 3072) {
            img = new int[] {3, 32, 32};
        } else {
            throw new IllegalArgumentException("--conv needs --image CxHxW for " + train.inputs() + " features");
        }
        if ((long) img[0] * img[1] * img[2] != train.inputs() || img[0] <= 0 || img[1] <= 0 || img[2] <= 0) {
            throw new IllegalArgumentException("--image " + image + " does not match the data's " + train.inputs() + " features");
        }
        return Cnn.build(img[0], img[1], img[2], widths, 3, train.outputs(), Activations.relu(), Initializer.KAIMING_UNIFORM,
                seed);
    }
}
