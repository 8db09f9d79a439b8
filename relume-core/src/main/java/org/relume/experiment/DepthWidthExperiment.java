package org.relume.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.geometry.UnitPointStates;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.GlobalPool;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * One cell of the jumpstart paper's depth x width experiment (Section 4, Figure 2; REFERENCES.md
 * §1): a ReLU MLP of the given width and depth trained on a data set with or without the jumpstart
 * penalty, then its accuracies, final loss and unit/point states.
 */
public final class DepthWidthExperiment {
    private DepthWidthExperiment() {}

    public static final String BASELINE = "baseline";
    public static final String JUMPSTART = "jumpstart";

    /**
     * Settings shared by every cell. {@link #paper()} is the paper's: moons, Adam lr 0.01, full
     * batch, no shuffling, Glorot uniform weights and zero biases, 5000 epochs, jumpstart l1 with
     * lambda 1e-4 on the hidden layers.
     */
    public record Settings(String data, int epochs, double lr, Initializer init, int batchSize,
                           Aggregation aggregation, double lambda, boolean conv, int limit) implements java.io.Serializable {

        /** An MLP grid on all of the data. */
        public Settings(String data, int epochs, double lr, Initializer init, int batchSize, Aggregation aggregation,
                        double lambda) {
            this(data, epochs, lr, init, batchSize, aggregation, lambda, false, 0);
        }

        public static Settings paper() {
            return new Settings("moons", 5000, 0.01, Initializer.GLOROT_UNIFORM, 0, Aggregation.L1, 1e-4);
        }

        public Settings withEpochs(int e) {
            return new Settings(data, e, lr, init, batchSize, aggregation, lambda, conv, limit);
        }

        public Settings withLambda(double l) {
            return new Settings(data, epochs, lr, init, batchSize, aggregation, l, conv, limit);
        }

        public Settings withData(String d) {
            return new Settings(d, epochs, lr, init, batchSize, aggregation, lambda, conv, limit);
        }

        public Settings withAggregation(Aggregation a) {
            return new Settings(data, epochs, lr, init, batchSize, a, lambda, conv, limit);
        }

        /**
         * Cells are thin CNNs (Riera et al., Experiment B): DEPTH 3x3 same convolutions of WIDTH
         * channels, flattened into a dense output layer; images of 784 (1x28x28) or 3072 (3x32x32)
         * features; at most {@code limit} samples of each split (0: all).
         */
        public Settings asCnn(int limit) {
            return new Settings(data, epochs, lr, init, batchSize, aggregation, lambda, true, limit);
        }

        /**
         * Loads the data once, so missing or damaged files fail with one line before the first cell
         * rather than as failed cells that a resume would keep.
         */
        public void requireData() {
            DataSources.load(new DataSources.Request(data, 1, Moons.DEFAULT_VALIDATION_FRACTION, null, null, limit));
        }

        public String describe() {
            return String.format(Locale.ROOT, "data %s%s, %sAdam lr %s, %s, %s init (zero biases), %d epochs, "
                    + "jumpstart %s lambda %s", data, limit > 0 ? " (first " + limit + " of each split)" : "",
                    !conv ? "" : data.startsWith("cifar:")
                            ? "thin CNN (3x3 same convolutions of WIDTH channels, global average and max pooling, dense output), "
                            : "thin CNN (3x3 same convolutions of WIDTH channels, flatten, dense output), ",
                    lr, batchSize == 0 ? "full batch" : "batch " + batchSize, init.id(), epochs, aggregation.id(), lambda);
        }
    }

    /** A cell of the grid. */
    public record Cell(String method, int width, int depth, long seed) implements java.io.Serializable {
        public Cell {
            if (!method.equals(BASELINE) && !method.equals(JUMPSTART)) {
                throw new IllegalArgumentException("method must be baseline or jumpstart, got '" + method + "'");
            }
            if (width <= 0 || depth <= 0) {
                throw new IllegalArgumentException("width and depth must be positive, got " + width + " x " + depth);
            }
        }

        public String key() {
            return method + "/" + width + "/" + depth + "/" + seed;
        }
    }

    /** What a cell produced; {@code error} is null on success. */
    public record Outcome(Cell cell, double trainAccuracy, double validationAccuracy, double finalLoss,
                          int deadUnits, int deadPoints, int deadLayers, double seconds, String error)
            implements java.io.Serializable {

        public boolean failed() {
            return error != null;
        }

        /** The row of results.csv. */
        public Map<String, Object> row() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("method", cell.method());
            r.put("width", cell.width());
            r.put("depth", cell.depth());
            r.put("seed", cell.seed());
            if (error == null) {
                r.put("train_accuracy", trainAccuracy);
                r.put("validation_accuracy", validationAccuracy);
                r.put("final_loss", finalLoss);
                r.put("dead_units", deadUnits);
                r.put("dead_points", deadPoints);
                r.put("dead_layers", deadLayers);
            }
            r.put("seconds", seconds);
            r.put("status", error == null ? "ok" : "failed");
            r.put("error", error == null ? "" : error);
            return r;
        }

        public static Outcome fromRow(Map<String, String> r) {
            Cell c = new Cell(r.get("method"), Integer.parseInt(r.get("width")), Integer.parseInt(r.get("depth")),
                    Long.parseLong(r.get("seed")));
            if ("failed".equals(r.get("status"))) {
                return new Outcome(c, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1,
                        parse(r.get("seconds")), r.get("error"));
            }
            return new Outcome(c, parse(r.get("train_accuracy")), parse(r.get("validation_accuracy")),
                    parse(r.get("final_loss")), (int) parse(r.get("dead_units")), (int) parse(r.get("dead_points")),
                    (int) parse(r.get("dead_layers")), parse(r.get("seconds")), null);
        }

        private static double parse(String s) {
            return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
    }

    public static final java.util.List<String> COLUMNS = java.util.List.of("method", "width", "depth", "seed",
            "train_accuracy", "validation_accuracy", "final_loss", "dead_units", "dead_points", "dead_layers",
            "seconds", "status", "error", "settings");

    private static Network cnn(Dataset train, int[] widths, Settings s, long seed) {
        int features = train.inputs();
        int[] image = features == 784 ? new int[] {1, 28, 28} : features == 3072 ? new int[] {3, 32, 32} : null;
        if (image == null) {
            throw new IllegalArgumentException("a CNN grid needs 28x28 or 3x32x32 images, got " + features + " features");
        }
        // CIFAR gets the paper's CIFAR head (global average and max pooling), MNIST the flatten head.
        GlobalPool.Mode head = s.data().startsWith("cifar:") ? GlobalPool.Mode.AVG_MAX : null;
        return Cnn.build(image[0], image[1], image[2], widths, 3, train.outputs(), Activations.relu(), s.init(), seed, head);
    }

    /** The cell's network for data shaped like {@code train}, initialized from {@code seed}. */
    static Network network(Cell cell, Settings s, Dataset train, long seed) {
        int[] widths = new int[cell.depth()];
        Arrays.fill(widths, cell.width());
        return s.conv() ? cnn(train, widths, s, seed)
                : Mlp.builder().inputs(train.inputs()).hidden(widths).outputs(train.outputs())
                        .activation(Activations.relu()).init(s.init()).seed(seed).build();
    }

    /** Runs one cell on the calling thread; failures (divergence, bad settings) become an Outcome with an error. */
    public static Outcome run(Cell cell, Settings s) {
        long start = System.nanoTime();
        try {
            RunSeeds seeds = RunSeeds.of(cell.seed());
            Dataset.Split split = DataSources.load(new DataSources.Request(s.data(), seeds.data(),
                    Moons.DEFAULT_VALIDATION_FRACTION, null, null, s.limit())).split();
            Network net = network(cell, s, split.train(), seeds.init());
            TrainConfig cfg = TrainConfig.defaults().epochs(s.epochs()).batchSize(s.batchSize()).shuffle(s.batchSize() != 0)
                    .optimizer(new Adam(s.lr())).logEvery(Math.max(1, s.epochs())).seed(seeds.batches());
            if (cell.method().equals(JUMPSTART)) {
                cfg.regularizer(new Jumpstart(s.aggregation(), s.lambda(), false));
            }
            TrainResult r = new Trainer(cfg).train(net, split.train(), split.validation());
            UnitPointStates.Report states = UnitPointStates.analyze(r.network(), split.train().features());
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Outcome(cell, r.train().accuracy(), r.validation() == null ? Double.NaN : r.validation().accuracy(),
                    r.finalLoss(), states.deadUnits(), states.deadPointsAnyLayer(), states.deadLayers(), seconds, null);
        } catch (RuntimeException e) {
            double seconds = (System.nanoTime() - start) / 1e9;
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(cell, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, seconds, msg);
        }
    }
}
