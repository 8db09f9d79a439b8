package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.relume.blocks.Structure;
import org.relume.checkpoint.Checkpoint;
import org.relume.checkpoint.TrainingInterruptedException;
import org.relume.blocks.Structures;
import org.relume.data.ChannelStandardizer;
import org.relume.data.DataSources;
import org.relume.data.ImageAugmentation;
import org.relume.data.Dataset;
import org.relume.data.Standardizer;
import org.relume.data.Task;
import org.relume.geometry.BalancePenalty;
import org.relume.geometry.DiagnosticsListener;
import org.relume.geometry.RedundancyBarrier;
import org.relume.geometry.UnitPointStates;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelFormatException;
import org.relume.io.ModelMetadata;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Defaults;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.LearningRateSchedule;
import org.relume.plot.Figures;
import org.relume.tensor.Memory;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.train.EarlyStopping;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume train}: one network on one data set, with a summary and (with --out) its files. */
@Command(name = "train",
        header = "Train a multilayer perceptron or a structured network on built-in, CSV or idx data.",
        description = {
            "Builds an MLP (inputs, DEPTH hidden layers of WIDTH units, outputs), trains it and prints a summary. With"
                + " --structure it builds one of the optimization-inspired structures instead (HB, AGD, ADMM, ...), with"
                + " --conv a thin CNN and with --arch a residual CNN. With --out DIR it writes DIR/model.safetensors,"
                + " DIR/model.json, DIR/metrics.csv and DIR/summary.json; nothing is written when training fails.",
            "",
            "Data (--data):",
            "  moons[:n=100,noise=0]           the jumpstart paper's two moons",
            "  curve:NAME[:n=500,lo=0,hi=1]    1-D regression: x3, x11, tanh3, sin, x2",
            "  csv:PATH                        a CSV table; --label names the label",
            "                                  column (default: last), which may hold",
            "                                  words; --features or --drop choose the",
            "                                  feature columns",
            "  idx:DIR                         MNIST-layout idx files (raw or .gz);",
            "                                  t10k is the validation set",
            "  cifar:DIR[:labels=fine|coarse]  CIFAR-10/100 binary files; the test",
            "                                  file is the validation set",
            "",
            "Examples:",
            "  relume train --data moons --width 8 --depth 3 --epochs 2000 --seed 1 \\",
            "      --out runs/moons",
            "  relume train --data curve:x3 --width 8 --depth 2 --epochs 3000 --out runs/x3",
            "  relume train --data csv:iris.csv --label species --drop id --out runs/iris",
            "  relume train --data moons --structure hb --width 8 --depth 20 \\",
            "      --epochs 2000 --out runs/hb",
            "  relume train --data moons --width 3 --depth 30 --init glorot_uniform \\",
            "      --jumpstart l1 --grow gradmax:every=500,times=3,layer=round-robin \\",
            "      --epochs 2000 --diagnostics-every 250 --out runs/js-gm",
            "  relume train --data idx:data/mnist --limit 10000 --conv 8x4 --epochs 3 \\",
            "      --batch-size 128 --lr 0.001 --init glorot_uniform --validate-every 1",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "moons", paramLabel = "SPEC",
            description = "Data: moons, curve:NAME, csv:PATH or idx:DIR (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--label", paramLabel = "COL", description = "CSV label column, by header name or 0-based index (default: last column).")
    String label;

    @Option(names = "--task", paramLabel = "TASK", description = "Force the CSV task: classification or regression (default: inferred).")
    String task;

    @Option(names = "--features", split = ",", paramLabel = "COLS",
            description = "CSV only: the feature columns, by header name or 0-based index, in this order (default: all but the label).")
    List<String> features;

    @Option(names = "--drop", split = ",", paramLabel = "COLS",
            description = "CSV only: columns to leave out, e.g. an id (not with --features).")
    List<String> drop;

    @Option(names = "--val-split", defaultValue = "0.15", paramLabel = "F",
            description = "Share of samples held out for validation (default: ${DEFAULT-VALUE}; idx data uses its t10k files).")
    double valSplit;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N samples: csv: N rows; idx: N images of each file (train and t10k); cifar:"
                    + " N training and N test images (0 = all; generated data take n= in the spec instead).")
    int limit;

    @Option(names = "--standardize", defaultValue = "auto", paramLabel = "auto|on|off|channels",
            description = "Standardize inputs with the training set's mean and std; auto = on for CSV, off otherwise;"
                    + " channels = one mean and std per image channel (for --conv and --arch) (default: ${DEFAULT-VALUE}).")
    String standardize;

    @Option(names = "--width", defaultValue = "8", paramLabel = "W", description = "Units per hidden layer (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--depth", defaultValue = "3", paramLabel = "L", description = "Number of hidden layers (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--widths", split = ",", paramLabel = "W1,W2,...", description = "Hidden widths layer by layer (overrides --width/--depth).")
    int[] widths;

    @Mixin
    ImageNetworkOptions images;

    @Mixin
    TechniqueOptions techniques;

    @Mixin
    OptimizerOptions optim;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = "With --conv or --arch: augment every training batch: crop-flip[:pad=P] (zero-pad P pixels, default 4,"
                    + " crop back at a random offset, flip left-right half the time; the CIFAR standard) or crop[:pad=P].")
    String augment;

    @Option(names = "--structure", paramLabel = "NAME",
            description = "Optimization-inspired structure (Li et al.): gd, hb, agd, agd2, admm, resnet, hbnet, dmrnet."
                    + " The first hidden layer maps the inputs to WIDTH (x_0); the other DEPTH-1 are structured layers;"
                    + " then a linear output layer (default: a plain MLP).")
    String structure;

    @Option(names = "--beta", paramLabel = "B",
            description = "Momentum of the hb structure (default 0.3), or a constant beta for agd instead of the theta sequence.")
    Double beta;

    @Option(names = "--learnable-coefficients",
            description = "Train the structure's coefficients (b1, b2; alpha, beta) with the weights.")
    boolean learnableCoefficients;

    @Option(names = "--activation", defaultValue = Defaults.ACTIVATION, paramLabel = "NAME",
            description = "Hidden activation: relu, leaky_relu, sigmoid, tanh, softplus, softsign, elu, swish, identity (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--relu-grad-at-zero", defaultValue = "0", paramLabel = "0|1", description = "relu'(0) (default: ${DEFAULT-VALUE}).")
    float reluGradAtZero;

    @Option(names = "--init", defaultValue = Defaults.INITIALIZER, paramLabel = "NAME",
            description = "Initializer: glorot_uniform, glorot_normal, kaiming_uniform, kaiming_normal, torch_default, rai, raai (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--epochs", defaultValue = "" + Defaults.EPOCHS, paramLabel = "N", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "0", paramLabel = "B",
            description = "Mini-batch size; 0 = full batch up to 1024 samples, else 128 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-shuffle", description = "Keep the sample order in every epoch (mini-batches are shuffled otherwise).")
    boolean noShuffle;

    @Option(names = "--seed", defaultValue = "" + Defaults.SEED, paramLabel = "S",
            description = "Seed for the data split, the initial weights and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validate-every", defaultValue = "0", paramLabel = "N",
            description = "Evaluate on the train and validation data and log a metrics row every N epochs, and after the"
                    + " last; 0 = auto, max(1, epochs / 100): every epoch on runs shorter than 200 epochs, 100 to 199"
                    + " rows on longer ones, so that --plot draws a curve either way (default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--jumpstart", paramLabel = "AGG",
            description = "Add the jumpstart penalty, aggregated by mean, l1, l2, l2sq-balanced or balanced.")
    String jumpstart;

    @Option(names = "--lambda", defaultValue = "1e-4", paramLabel = "X", description = "Jumpstart weight lambda (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--jumpstart-definition", defaultValue = "pytorch", paramLabel = "pytorch|keras",
            description = "On convolutions: a unit is a channel and a point a sample (pytorch, the default), or a unit each"
                    + " (h, w, c) and a point each (n, h, w) (keras), as the two reference implementations define them.")
    String jumpstartDefinition;

    @Option(names = "--jumpstart-output-layer", description = "Penalize the output layer's preactivations too.")
    boolean jumpstartOutputLayer;

    @Option(names = "--balance-penalty", defaultValue = "0", paramLabel = "X",
            description = "Add X * sum over hidden units of (||c_i||_2 - ||(a_i, b_i)||_2)^2, keeping neurons balanced (0 = off).")
    double balancePenalty;

    @Option(names = "--redundancy-penalty", defaultValue = "0", paramLabel = "X",
            description = "Add X * sum over pairs of hidden units of relu(cos - 0.9)^2, keeping incoming vectors from aligning (0 = off).")
    double redundancyPenalty;

    @Option(names = "--diagnostics-every", defaultValue = "0", paramLabel = "N",
            description = "Log dead/linear units and points on the training set every N epochs into metrics.csv (0 = off).")
    int diagnosticsEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the model, metrics and summary here.")
    Path out;

    @Option(names = "--plot", description = "With --out, also draw the training curves (curves.png, curves.svg).")
    boolean plot;

    @Option(names = "--early-stop", defaultValue = "0", paramLabel = "PATIENCE",
            description = "Stop when the validation metric (accuracy, or MSE) has not improved for PATIENCE epochs, checked"
                    + " at each logged epoch (--validate-every), and keep the best epoch's weights (0 = off).")
    int earlyStop;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
            description = "With --out: save a checkpoint there every N epochs (0 = only on Ctrl-C or SIGTERM, which save one"
                    + " whenever --out is given, and exit 130).")
    int checkpointEvery;

    @Option(names = "--init-from", paramLabel = "DIR",
            description = "Start from a saved model's architecture, weights and input standardization (a Relume model"
                    + " directory, e.g. from relume import) instead of a new network, to fine-tune it with any training"
                    + " option; the data must have its inputs, outputs and task.")
    Path initFrom;

    /** The model --init-from names, loaded after the flags were checked. */
    private InitialModel start;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run whose checkpoint is in DIR with its saved settings (give no others), to the same"
                    + " weights as if it had never stopped; the result is written into DIR.")
    Path resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    /** The learning-rate schedule: --schedule, or the recipe's (set by {@link OptimizerOptions#applyRecipe}). */
    private LearningRateSchedule lrSchedule;

    /** The checkpoint and model this command continues (set by --resume on the command it builds). */
    Checkpoint resumed;
    ModelFiles.SavedModel resumedModel;

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            return resumeRun();
        }
        validateFlags();
        start = initFrom == null ? null : InitialModel.load(initFrom, spec.commandLine().getParseResult());
        lrSchedule = optim.applyRecipe(spec.commandLine().getParseResult(), epochs);
        batchSize = optim.batchSize(spec.commandLine().getParseResult(), batchSize);
        checkOutputDirectory();
        Inputs in = loadInputs();
        PointwiseFunction act = activationFunction();
        Initializer initializer = Initializer.byName(init);
        RunSeeds seeds = RunSeeds.of(seed);
        if (start != null) {
            start.requireSameNames(in.loaded().featureNames(), in.train().task().isClassification()
                    ? in.loaded().classNames() : List.of());
        }
        Network net = start != null ? start.network(in.train())
                : techniques.pretrains() ? techniques.start(in.train(), depth, seeds.init())
                : buildNetwork(in.train(), act, initializer, seeds.init());
        int batch = batchSize > 0 ? batchSize : (in.train().size() <= 1024 ? 0 : 128);
        Loss loss = Loss.forTask(in.train().task());
        TrainConfig cfg = buildConfig(batch, loss, seeds.batches());
        techniques.attach(cfg, net, in.train().task(), loss, seed, seeds.batches());
        if (augment != null) {
            cfg.augmentation(ImageAugmentation.parse(augment, images.imageShape(in.train().inputs())));
        }
        ModelMetadata meta = metadata(in, loss, cfg);
        RunControl control = new RunControl(earlyStop, resumed, resumedModel);
        control.attach(cfg, net, in.train(), seeds.batches(), out, checkpointEvery, ownArgs(), meta);
        ProgressReporter progress = ProgressReporter.forTerminal("train", quiet);
        if (progress != null) {
            cfg.listener(progress);
        }
        printHeader(in, net, act, initializer, cfg, batch, loss);
        TrainResult result;
        try {
            result = new Trainer(cfg).train(net, in.train(), in.validation());
        } catch (TrainingInterruptedException e) {
            return control.interrupted(e, spec.commandLine().getErr(), epochs);
        } finally {
            if (progress != null) {
                progress.close();
            }
            control.close();
        }
        report(result, in, net, cfg, meta, control.earlyStopping());
        return Relume.OK;
    }

    /** The data as the network sees it: split, and standardized with the training statistics when asked. */
    private record Inputs(DataSources.Loaded loaded, Dataset train, Dataset validation, Standardizer standardizer) {}

    private Inputs loadInputs() {
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request(data, seed, valSplit, label, DataOptions.taskOverride(task), limit,
                features, drop));
        Relume.warn(spec, loaded.warnings());
        Dataset train = loaded.split().train();
        Dataset validation = loaded.split().validation();
        if (earlyStop > 0 && validation.size() == 0) {
            throw new IllegalArgumentException("--early-stop watches the validation metric, but there is no validation data"
                    + " (--val-split 0)");
        }
        if (start != null) {
            Standardizer own = start.standardizer();
            return own == null ? new Inputs(loaded, train, validation, null)
                    : new Inputs(loaded, own.apply(train), own.apply(validation), own);
        }
        if (standardize.equals("on") || (standardize.equals("auto") && data.startsWith("csv:"))) {
            Standardizer standardizer = Standardizer.fit(train);
            return new Inputs(loaded, standardizer.apply(train), standardizer.apply(validation), standardizer);
        }
        if (standardize.equals("channels")) {
            Standardizer standardizer = perChannel(train);
            return new Inputs(loaded, standardizer.apply(train), standardizer.apply(validation), standardizer);
        }
        return new Inputs(loaded, train, validation, null);
    }

    /**
     * Per-channel statistics written out per feature (each pixel gets its channel's mean and std),
     * so the model file stores them like any standardization and predict applies them.
     */
    private Standardizer perChannel(Dataset train) {
        if (!images.builds()) {
            throw new IllegalArgumentException("--standardize channels applies to image networks (--conv or --arch)");
        }
        int channels = images.imageShape(train.inputs())[0];
        ChannelStandardizer cs = ChannelStandardizer.fit(train, channels);
        int pixels = train.inputs() / channels;
        float[] mean = new float[train.inputs()];
        float[] std = new float[train.inputs()];
        for (int f = 0; f < mean.length; f++) {
            mean[f] = cs.mean()[f / pixels];
            std[f] = cs.std()[f / pixels];
        }
        return Standardizer.of(mean, std);
    }

    private void checkOutputDirectory() {
        if (out == null) {
            return;
        }
        ModelDirectory.checkOutput(out);
        if (resumed == null && Checkpoint.exists(out)) {
            Relume.warn(spec, List.of(out + " holds the checkpoint of an unfinished run; this run replaces it (to"
                    + " continue that one instead: relume train --resume " + out + ")"));
        }
    }

    private TrainConfig buildConfig(int batch, Loss loss, long batchSeed) {
        TrainConfig cfg = TrainConfig.defaults().epochs(epochs).batchSize(batch)
                .shuffle(!noShuffle && batch != 0).optimizer(optim.build())
                .schedule(lrSchedule).loss(loss)
                .logEvery(logEvery(validateEvery, epochs)).seed(batchSeed);
        if (jumpstart != null) {
            cfg.regularizer(new Jumpstart(Aggregation.byName(jumpstart), lambda, jumpstartOutputLayer,
                    Jumpstart.Definition.byName(jumpstartDefinition)));
        }
        if (balancePenalty != 0) {
            cfg.regularizer(new BalancePenalty(balancePenalty));
        }
        if (redundancyPenalty != 0) {
            cfg.regularizer(new RedundancyBarrier(redundancyPenalty));
        }
        if (diagnosticsEvery > 0) {
            cfg.listener(new DiagnosticsListener(diagnosticsEvery));
        }
        return cfg;
    }

    private ModelMetadata metadata(Inputs in, Loss loss, TrainConfig cfg) {
        Dataset train = in.train();
        Standardizer st = in.standardizer();
        return new ModelMetadata(train.task(), train.classes(), loss.id(), st == null ? null : st.mean(),
                st == null ? null : st.std(), in.loaded().featureNames(), provenance(cfg),
                train.task().isClassification() ? in.loaded().classNames() : List.of());
    }

    private void printHeader(Inputs in, Network net, PointwiseFunction act, Initializer initializer, TrainConfig cfg,
                             int batch, Loss loss) {
        PrintWriter o = spec.commandLine().getOut();
        Dataset train = in.train();
        o.printf(Locale.ROOT, "data     %s: %s, %d train / %d validation samples, %d inputs%n", data,
                train.task().id(), train.size(), in.validation().size(), train.inputs());
        o.printf(Locale.ROOT, "network  %s%s, %s hidden, %s, %d parameters%n", net.architecture(),
                net.isChain() ? "" : ", " + net.structure() + " structure",
                start != null ? "saved" : Activations.describe(act),
                start != null ? start.describe() : techniques.startText(initializer.id()), net.parameterCount());
        o.printf(Locale.ROOT, "training %s, %s%s, %s%s, %d epochs, seed %d%n", cfg.optimizer().describe(),
                batch == 0 ? "full batch" : "batch " + batch,
                cfg.augmentation() == null ? "" : ", augmented " + cfg.augmentation().describe(), loss.id(),
                cfg.regularizers().stream().map(r -> " + " + r.describe()).collect(Collectors.joining()), epochs, seed);
        techniques.printHeader(o);
        if (resumed != null) {
            o.printf(Locale.ROOT, "resume   from %s: epoch %d, after its batch %d (step %d)%n", out,
                    resumed.progress().epoch() + 1, resumed.progress().nextBatch(), resumed.progress().steps());
        }
        o.flush();
    }

    /** Prints the result and, with --out, writes the model directory. */
    private void report(TrainResult result, Inputs in, Network net, TrainConfig cfg, ModelMetadata meta,
                        EarlyStopping early) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Dataset train = in.train();
        Map<String, Object> summary = summary(result, train, in.validation(), net, cfg, in.loaded().description());
        UnitPointStates.Report states = UnitPointStates.analyze(result.network(), train.features());
        summary.put("unit_point_states", states.describe());
        techniques.report(o, summary, result.history());
        printResult(o, result, train.task());
        if (early != null && early.best() != null) {
            EarlyStopping.Snapshot best = early.best();
            summary.put("stopped_early", result.epochs() < epochs);
            summary.put("best_epoch", best.epoch() + 1);
            o.printf(Locale.ROOT, "early    %s after %d epochs; kept epoch %d, the best validation %s (%.4g)%n",
                    result.epochs() < epochs ? "stopped" : "never stopped", result.epochs(), best.epoch() + 1,
                    train.task().isClassification() ? "accuracy" : "MSE", best.metric());
        }
        o.printf(Locale.ROOT, "states   %s (training set)%n", states.summary());
        if (out != null) {
            ModelDirectory.replace(out, dir -> {
                ModelFiles.write(dir, result.network(), meta);
                AtomicFiles.writeString(dir.resolve("metrics.csv"), result.history().toCsv());
                Json.write(dir.resolve("summary.json"), summary);
                if (plot) {
                    Figures.trainingCurves(result.history(), data + " " + net.architecture(),
                            dir.resolve("curves.png"), dir.resolve("curves.svg"));
                }
            });
            o.printf("wrote    %s (model.safetensors, model.json, metrics.csv, summary.json%s)%n", out,
                    plot ? ", curves.png, curves.svg" : "");
        }
        o.flush();
    }

    /** This command's arguments, without the ones before its name ("train"), for a resume to parse again. */
    private List<String> ownArgs() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return at >= 0 && resumed == null ? all.subList(at + 1, all.size()) : all;
    }

    /**
     * Continues the checkpoint in {@link #resume}: parses the run's saved arguments into a new
     * command, hands it the checkpoint and runs it, writing into the checkpoint's directory.
     */
    private Integer resumeRun() throws IOException {
        for (CommandLine.Model.OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!List.of("--resume", "--quiet", "--verbose").contains(option.longestName())) {
                throw new IllegalArgumentException("--resume continues a run with the settings it was started with; give no"
                        + " other options (found " + option.longestName() + ")");
            }
        }
        Checkpoint checkpoint = Checkpoint.read(resume);
        ModelFiles.SavedModel saved = ModelFiles.load(resume);
        TrainCommand again = new TrainCommand();
        CommandLine cl = new CommandLine(again);
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        try {
            cl.parseArgs(checkpoint.args().toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new ModelFormatException(resume.resolve(Checkpoint.FILE), "the saved arguments no longer parse: "
                    + e.getMessage().replace('\n', ' '));
        }
        if (again.techniques.active()) {
            throw new IllegalArgumentException("the run in " + resume + " used --grow or --pretrain, which cannot be resumed"
                    + " yet (its growths and its start are not in the checkpoint); start it again");
        }
        again.out = resume;
        again.quiet |= quiet;
        again.resumed = checkpoint;
        again.resumedModel = saved;
        return again.call();
    }

    private Network buildNetwork(Dataset train, PointwiseFunction act, Initializer initializer, long initSeed) {
        requireMemory(train);
        Network image = images.build(train, act, initializer, initSeed, learnableCoefficients);
        if (image != null) {
            return image;
        }
        if (structure == null) {
            int[] hidden = widths != null ? widths : filled(depth, width);
            return Mlp.builder().inputs(train.inputs()).hidden(hidden).outputs(train.outputs())
                    .activation(act).init(initializer).seed(initSeed).build();
        }
        Structure s = Structure.parse(structure);
        Structures.Options options = new Structures.Options(beta == null ? Double.NaN : beta, learnableCoefficients);
        return Structures.forTask(s, options, train.inputs(), width, depth, train.outputs(), act, initializer, initSeed);
    }

    /**
     * Refuses, before allocating, a network whose weights, gradients, Adam moments and per-batch
     * activations cannot fit in the heap (a 20000-wide layer needs 6 GB).
     */
    private void requireMemory(Dataset train) {
        if (images.requireMemory(train, batchSize > 0 ? Math.min(batchSize, train.size()) : Math.min(train.size(), 1024))) {
            return;
        }
        int[] hidden = widths != null ? widths : filled(depth, width);
        long perLayer = structure == null ? 1 : Structure.parse(structure).layersPerStep();
        long params = 0;
        long units = 0;
        int previous = train.inputs();
        for (int i = 0; i < hidden.length; i++) {
            long copies = i == 0 ? 1 : perLayer;
            params = saturatingAdd(params, Memory.product(copies, previous + 1L, hidden[i]));
            units = saturatingAdd(units, Memory.product(copies, hidden[i]));
            previous = hidden[i];
        }
        params = saturatingAdd(params, Memory.product(previous + 1L, train.outputs()));
        long rows = batchSize > 0 ? Math.min(batchSize, train.size()) : Math.min(train.size(), 1024);
        long bytes = saturatingAdd(Memory.product(params, 4, 4), Memory.product(units, rows, 4, 4));
        Memory.require("a network of " + (params < 0 ? "more than 2^63" : params) + " parameters", bytes);
    }

    private static long saturatingAdd(long a, long b) {
        return a < 0 || b < 0 || a > Long.MAX_VALUE - b ? -1 : a + b;
    }

    /** Far beyond the papers' networks (depth 150, width 25 thin; 4x512 wide): a typo, not a network. */
    private static final int MAX_DEPTH = 100_000;
    private static final int MAX_WIDTH = 1_000_000;

    private void validateFlags() {
        if (depth > MAX_DEPTH || width > MAX_WIDTH) {
            throw new IllegalArgumentException("--depth is at most " + MAX_DEPTH + " and --width at most " + MAX_WIDTH
                    + ", got depth " + depth + ", width " + width);
        }
        images.validate(spec.commandLine().getParseResult(), jumpstart != null, structure != null || widths != null,
                balancePenalty != 0 || redundancyPenalty != 0);
        if (structure != null) {
            Structure s = Structure.parse(structure);
            if (widths != null) {
                throw new IllegalArgumentException("--widths does not apply to --structure: structured layers keep one width");
            }
            if (depth < 1) {
                throw new IllegalArgumentException("--structure needs --depth >= 1 (the input layer is the first), got " + depth);
            }
            if (learnableCoefficients && !s.hasCoefficients()) {
                throw new IllegalArgumentException("--learnable-coefficients: the " + s.id() + " structure has no coefficients");
            }
            if (beta != null && s != Structure.HB && s != Structure.AGD) {
                throw new IllegalArgumentException("--beta applies to --structure hb or agd, not " + s.id());
            }
            if (balancePenalty != 0 || redundancyPenalty != 0) {
                throw new IllegalArgumentException("--balance-penalty and --redundancy-penalty work on plain MLPs only, not with --structure");
            }
        } else if (beta != null || (learnableCoefficients && images.arch == null)) {
            throw new IllegalArgumentException("--beta needs --structure, and --learnable-coefficients --structure or --arch");
        }
        if (learnableCoefficients && images.dense()) {
            throw new IllegalArgumentException("--learnable-coefficients: densenet has no coefficients and agdnet always"
                    + " learns its alphas (Li et al. Section 6.2)");
        }
        if (beta != null && !Double.isFinite(beta)) {
            throw new IllegalArgumentException("--beta must be a finite number, got " + beta);
        }
        if (width <= 0 || depth < 0) {
            throw new IllegalArgumentException("--width must be positive and --depth >= 0, got width " + width + ", depth " + depth);
        }
        validateTrainingFlags();
        if (widths != null && techniques.pretrains()) {
            throw new IllegalArgumentException("--pretrain compositional builds 1-[4 x --depth]-1; give --depth, not --widths");
        }
        techniques.validate(new TechniqueOptions.Others(structure != null, images.builds(), initFrom != null ? null
                : widths != null ? widths : filled(depth, width), activation, spec.commandLine().getParseResult().hasMatchedOption("--init"), earlyStop,
                checkpointEvery));
    }

    /** The flags about the run rather than the network. */
    private void validateTrainingFlags() {
        if (epochs < 0) {
            throw new IllegalArgumentException("--epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("--batch-size must be 0 (automatic) or positive, got " + batchSize);
        }
        if (checkpointEvery < 0 || earlyStop < 0) {
            throw new IllegalArgumentException("--checkpoint-every and --early-stop must be >= 0 (0 = off), got "
                    + checkpointEvery + " and " + earlyStop);
        }
        if (checkpointEvery > 0 && out == null) {
            throw new IllegalArgumentException("--checkpoint-every saves into the model directory: give --out DIR");
        }
        if (validateEvery < 0) {
            throw new IllegalArgumentException("--validate-every must be >= 0 (0 = auto), got " + validateEvery);
        }
        if (!List.of("auto", "on", "off", "channels").contains(standardize)) {
            throw new IllegalArgumentException("--standardize must be auto, on, off or channels, got '" + standardize + "'");
        }
        if (diagnosticsEvery < 0) {
            throw new IllegalArgumentException("--diagnostics-every must be >= 0, got " + diagnosticsEvery);
        }
        optim.validate();
    }


    private PointwiseFunction activationFunction() {
        if (activation.equalsIgnoreCase("relu")) {
            return Activations.byName("relu", Map.of("grad_at_zero", reluGradAtZero));
        }
        return Activations.byName(activation);
    }


    /**
     * The epochs between logged rows: as asked, or for 0 every epoch of a short run and 100 to 199
     * rows of a long one, so that --plot draws a curve for a 5-epoch run and a 5000-epoch one alike
     * (the former default, 100, gave a 5-epoch run a single point).
     */
    static int logEvery(int validateEvery, int epochs) {
        return validateEvery > 0 ? validateEvery : Math.max(1, epochs / 100);
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private Map<String, Object> provenance(TrainConfig cfg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", "relume " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        p.put("data", data);
        p.put("seed", seed);
        p.put("config", cfg.describe());
        p.put("created", Instant.now().toString());
        p.put("java", System.getProperty("java.version"));
        p.putAll(BuildInfo.provenance());
        return p;
    }

    private Map<String, Object> summary(TrainResult r, Dataset train, Dataset validation, Network net,
                                        TrainConfig cfg, String dataDescription) {
        Map<String, Object> s = new LinkedHashMap<>();
        Task t = train.task();
        if (t.isClassification()) {
            s.put("train_accuracy", r.train().accuracy());
            s.put("validation_accuracy", r.validation() == null ? null : r.validation().accuracy());
            s.put("majority_rate", validation.size() > 0 ? validation.majorityRate() : train.majorityRate());
        } else {
            s.put("train_mse", r.train().mse());
            s.put("validation_mse", r.validation() == null ? null : r.validation().mse());
        }
        s.put("final_loss", r.finalLoss());
        s.put("epochs", r.epochs());
        s.put("steps", r.steps());
        s.put("seconds", r.seconds());
        s.put("seed", seed);
        s.put("task", t.id());
        s.put("data", data);
        s.put("data_description", dataDescription);
        s.put("train_samples", train.size());
        s.put("validation_samples", validation.size());
        s.put("architecture", r.network().architecture()); // the trained network: growth may have widened it
        s.put("parameters", r.network().parameterCount());
        s.put("config", cfg.describe());
        s.putAll(BuildInfo.provenance());
        return s;
    }

    private static void printResult(PrintWriter o, TrainResult r, Task task) {
        if (task.isClassification()) {
            o.printf(Locale.ROOT, "result   train accuracy %.4f, validation accuracy %s, final loss %.4g, %.1f s%n",
                    r.train().accuracy(), r.validation() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", r.validation().accuracy()),
                    r.finalLoss(), r.seconds());
        } else {
            o.printf(Locale.ROOT, "result   train MSE %.3g, validation MSE %s, final loss %.4g, %.1f s%n",
                    r.train().mse(), r.validation() == null ? "n/a" : String.format(Locale.ROOT, "%.3g", r.validation().mse()),
                    r.finalLoss(), r.seconds());
        }
    }
}
