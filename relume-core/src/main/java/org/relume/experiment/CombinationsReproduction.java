package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.relume.compose.CompositionalStart;
import org.relume.compose.PeakParametrization;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.geometry.UnitPointStates;
import org.relume.grow.Growing;
import org.relume.grow.GrowthPlan;
import org.relume.grow.GrowthSchedule;
import org.relume.io.AtomicFiles;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * A study no paper has run: the techniques of three papers together (REFERENCES.md §1, §2, §4).
 * On the jumpstart paper's MOONS cells where a thin deep baseline dies (width 3, depths 20 and
 * more) and on 1-D curves (two of the compositional paper's targets and a held-out convex one), it
 * compares the baseline, jumpstart, GradMax growth and jumpstart with GradMax growth (growth starts
 * one unit thinner and adds one unit to every hidden layer in turn, so every method ends on the same
 * network), and on the curves also compositional pretraining (enforced and free) with and without
 * jumpstart in stage 2. Every run is an ordinary training run with the techniques attached through
 * the trainer's interfaces, as {@code relume train} attaches them.
 */
public final class CombinationsReproduction implements Reproduction {
    public static final List<String> COLUMNS = List.of("part", "target", "method", "width", "depth", "seed", "metric",
            "train_metric", "final_loss", "dead_units", "dead_points", "dead_layers", "growths", "architecture", "seconds",
            "status", "error", "settings");
    static final List<String> MOONS_METHODS = List.of("baseline", "jumpstart", "gradmax", "jumpstart+gradmax");
    static final List<String> CURVE_METHODS = List.of("baseline", "jumpstart", "gradmax", "jumpstart+gradmax",
            "enforced", "enforced+jumpstart", "free", "free+jumpstart");
    /** The held-out convex curve of the issue that motivated this study: (e^x - 1)/(e - 1) on [0, 1]. */
    static final String HELD_OUT = "fn:(exp(x)-1)/(e-1)";

    /**
     * A profile. MOONS: the jumpstart paper's settings (Adam lr 0.01, full batch, Glorot uniform,
     * 5000 epochs, jumpstart l1 with lambda 1e-4). Curves: the compositional paper's (1-[4 x 5]-1,
     * 500 points, Adam lr 1e-3, 1000 epochs; pretraining 500 stage-1 epochs at lr 1e-2 then 500),
     * the baselines initialized as PyTorch's nn.Linear; jumpstart l1 with lambda 1e-5 there [R]: the
     * MOONS weight scaled by 85 / 500 points, which a pilot on the held-out curve (seeds 1-3,
     * lambda 1e-4, 1e-5, 1e-6) put between a penalty that swamps the MSE and one that does nothing.
     * Growth: GradMax, one unit every {@code growEvery} steps into the hidden layers in turn, depth
     * times, starting from width - 1.
     */
    record Profile(int moonsWidth, List<Integer> moonsDepths, List<Long> moonsSeeds, List<String> curves, int curveDepth,
                   List<Long> curveSeeds, int moonsEpochs, int curveEpochs, int pretrainEpochs, int growEvery) {
        static final double MOONS_LAMBDA = 1e-4;
        static final double CURVE_LAMBDA = 1e-5;

        static Profile quick() {
            return new Profile(3, List.of(20, 30, 40), seeds(10), List.of("curve:x3", "curve:tanh3", HELD_OUT), 5, seeds(10),
                    5000, 1000, 500, 100);
        }

        static Profile full() {
            return new Profile(3, List.of(10, 20, 30, 40, 50, 60), seeds(20), List.of("curve:x3", "curve:x11", "curve:tanh3",
                    "curve:sin", HELD_OUT), 5, seeds(20), 5000, 1000, 500, 100);
        }

        private static List<Long> seeds(int n) {
            List<Long> s = new ArrayList<>();
            for (long i = 1; i <= n; i++) {
                s.add(i);
            }
            return List.copyOf(s);
        }

        String describe() {
            return String.format(Locale.ROOT, "moons width %d depths %s seeds %s, %d epochs Adam 0.01 glorot_uniform,"
                    + " jumpstart l1 %s; curves %s depth %d seeds %s, %d epochs Adam 1e-3 torch_default, pretraining %d"
                    + " epochs at 1e-2, jumpstart l1 %s; gradmax every %d steps round-robin from width - 1",
                    moonsWidth, moonsDepths, moonsSeeds, moonsEpochs, MOONS_LAMBDA, curves, curveDepth, curveSeeds,
                    curveEpochs, pretrainEpochs, CURVE_LAMBDA, growEvery);
        }
    }

    /** One run: the part (moons or curves), the data spec, the method and the network it ends as. */
    record Cell(String part, String target, String method, int width, int depth, long seed) {
        String key() {
            return part + "/" + target + "/" + method + "/" + width + "/" + depth + "/" + seed;
        }

        boolean moons() {
            return part.equals("moons");
        }
    }

    /**
     * What a run gave; {@code metric} is the validation accuracy on MOONS and the MSE over all 500
     * points on a curve (the compositional paper's measure); NaN with {@code error} when it failed.
     */
    record Outcome(Cell cell, double metric, double trainMetric, double finalLoss, int deadUnits, int deadPoints,
                   int deadLayers, int growths, String architecture, double seconds, String error) {}

    @Override
    public String name() {
        return "combinations";
    }

    @Override
    public String title() {
        return "Techniques together: jumpstart, GradMax growth and compositional pretraining on thin deep nets and 1-D curves";
    }

    @Override
    public void run(Context ctx) throws IOException {
        run(ctx, ctx.quick() ? Profile.quick() : Profile.full());
    }

    /** Every cell at its final width, full batch; compositional stage 1 counted as ordinary epochs (an upper bound). */
    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        Profile p = ctx.quick() ? Profile.quick() : Profile.full();
        List<CostEstimate.Training> list = new ArrayList<>();
        java.util.Map<String, Dataset> data = new java.util.HashMap<>();
        for (Cell c : cells(p)) {
            Dataset train = data.computeIfAbsent(c.target(), t -> DataSources.load(new DataSources.Request(t, 1,
                    c.moons() ? 0.15 : 0, null, null, 0)).split().train());
            int[] widths = new int[c.depth()];
            Arrays.fill(widths, c.width());
            int epochs = c.moons() ? p.moonsEpochs() : p.curveEpochs();
            list.add(new CostEstimate.Training(c.key(), () -> Mlp.builder().inputs(train.inputs()).hidden(widths)
                    .outputs(train.outputs()).build(), (double) train.size() * epochs, train.size()));
        }
        return list;
    }

    void run(Context ctx, Profile p) throws IOException {
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        List<Cell> cells = cells(p);
        log.printf(Locale.ROOT, "%s profile: %d runs (%s), %d threads%n", ctx.quick() ? "quick" : "full", cells.size(),
                p.describe(), ctx.threads());
        log.flush();
        long start = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        int resumed;
        try (ResultsCsv csv = ResultsCsv.open(ctx.out().resolve("results.csv"), COLUMNS)) {
            Set<String> done = new HashSet<>();
            for (Map<String, String> row : csv.existingRows(p.describe())) {
                Outcome o = fromRow(row);
                outcomes.add(o);
                done.add(o.cell().key());
            }
            resumed = outcomes.size();
            List<ParallelRuns.Task<Outcome>> tasks = new ArrayList<>();
            for (Cell c : cells) {
                if (!done.contains(c.key())) {
                    tasks.add(new ParallelRuns.Task<>(c.key(), () -> append(csv, run(c, p), p)));
                }
            }
            outcomes.addAll(ParallelRuns.run(name(), tasks, ctx));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String report = CombinationsReport.report(title(), ctx, p, outcomes, wall, resumed);
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report);
        log.print(CombinationsReport.moonsTable(p, outcomes));
        log.print(CombinationsReport.curveTable(p, outcomes));
        log.printf(Locale.ROOT, "wall time %.1f s (%d runs now, %d resumed); wrote %s%n", wall, outcomes.size() - resumed,
                resumed, ctx.out());
        log.flush();
    }

    static List<Cell> cells(Profile p) {
        List<Cell> cells = new ArrayList<>();
        for (int depth : p.moonsDepths()) {
            for (String m : MOONS_METHODS) {
                for (long seed : p.moonsSeeds()) {
                    cells.add(new Cell("moons", "moons", m, p.moonsWidth(), depth, seed));
                }
            }
        }
        for (String target : p.curves()) {
            for (String m : CURVE_METHODS) {
                for (long seed : p.curveSeeds()) {
                    cells.add(new Cell("curves", target, m, 4, p.curveDepth(), seed));
                }
            }
        }
        return cells;
    }

    /** Trains one cell on the calling thread; a failure (e.g. divergence) becomes an outcome with its message. */
    static Outcome run(Cell c, Profile p) {
        long start = System.nanoTime();
        try {
            RunSeeds seeds = RunSeeds.of(c.seed());
            Dataset.Split split = DataSources.load(new DataSources.Request(c.target(), seeds.data(), c.moons() ? 0.15 : 0,
                    null, null, 0)).split();
            Dataset train = split.train();
            String method = c.method();
            boolean grows = method.contains("gradmax");
            int epochs = c.moons() ? p.moonsEpochs() : p.curveEpochs();
            boolean compositional = method.startsWith("enforced") || method.startsWith("free");
            Network net = network(c, p, train, seeds.init());
            if (compositional) {
                epochs -= p.pretrainEpochs();
            }
            Loss loss = Loss.forTask(train.task());
            TrainConfig cfg = TrainConfig.defaults().epochs(epochs).optimizer(new Adam(c.moons() ? 0.01 : 1e-3)).loss(loss)
                    .logEvery(Math.max(1, epochs)).seed(seeds.batches());
            if (method.contains("jumpstart")) {
                cfg.regularizer(new Jumpstart(Aggregation.L1, c.moons() ? Profile.MOONS_LAMBDA : Profile.CURVE_LAMBDA, false));
            }
            Growing growing = null;
            if (grows) {
                GrowthPlan plan = new GrowthPlan("gradmax", new GrowthSchedule(p.growEvery(), p.growEvery(), c.depth(), 1,
                        GrowthSchedule.Where.ROUND_ROBIN, 0, 0, 0), 1.0, false);
                plan.check(net, train.task());
                growing = plan.listener(loss, seeds.batches());
                cfg.listener(growing);
            }
            TrainResult r = new Trainer(cfg).train(net, train, split.validation());
            UnitPointStates.Report states = UnitPointStates.analyze(r.network(), train.features());
            double metric = c.moons() ? r.validation().accuracy() : r.train().mse();
            double trainMetric = c.moons() ? r.train().accuracy() : r.train().mse();
            return new Outcome(c, metric, trainMetric, r.finalLoss(), states.deadUnits(), states.deadPointsAnyLayer(),
                    states.deadLayers(), growing == null ? 0 : growing.eventRows().size(), r.network().architecture(),
                    (System.nanoTime() - start) / 1e9, null);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(c, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, 0, "", (System.nanoTime() - start) / 1e9, msg);
        }
    }

    /** The network a cell starts from: stage 1 of compositional pretraining, or fresh weights (one unit thinner to grow). */
    private static Network network(Cell c, Profile p, Dataset train, long seed) {
        String method = c.method();
        if (method.startsWith("enforced") || method.startsWith("free")) {
            PeakParametrization.Mode mode = method.startsWith("free") ? PeakParametrization.Mode.FREE
                    : PeakParametrization.Mode.ENFORCED;
            return CompositionalStart.pretrain(train, null, mode, c.depth(), seed, p.pretrainEpochs(), 1e-2).network();
        }
        int[] widths = new int[c.depth()];
        Arrays.fill(widths, method.contains("gradmax") ? c.width() - 1 : c.width());
        return Mlp.builder().inputs(train.inputs()).hidden(widths).outputs(train.outputs()).activation(Activations.relu())
                .init(c.moons() ? Initializer.GLOROT_UNIFORM : Initializer.TORCH_DEFAULT).seed(seed).build();
    }

    private static Outcome append(ResultsCsv csv, Outcome o, Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        Cell c = o.cell();
        m.put("part", c.part());
        m.put("target", c.target());
        m.put("method", c.method());
        m.put("width", c.width());
        m.put("depth", c.depth());
        m.put("seed", c.seed());
        if (o.error() == null) {
            m.put("metric", o.metric());
            m.put("train_metric", o.trainMetric());
            m.put("final_loss", o.finalLoss());
            m.put("dead_units", o.deadUnits());
            m.put("dead_points", o.deadPoints());
            m.put("dead_layers", o.deadLayers());
            m.put("growths", o.growths());
            m.put("architecture", o.architecture());
        }
        m.put("seconds", o.seconds());
        m.put("status", o.error() == null ? "ok" : "failed");
        m.put("error", o.error() == null ? "" : o.error());
        m.put("settings", p.describe());
        try {
            csv.append(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return o;
    }

    static Outcome fromRow(Map<String, String> r) {
        Cell c = new Cell(r.get("part"), r.get("target"), r.get("method"), Integer.parseInt(r.get("width")),
                Integer.parseInt(r.get("depth")), Long.parseLong(r.get("seed")));
        double seconds = Double.parseDouble(r.get("seconds"));
        if ("failed".equals(r.get("status"))) {
            return new Outcome(c, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, 0, "", seconds, r.get("error"));
        }
        return new Outcome(c, Double.parseDouble(r.get("metric")), Double.parseDouble(r.get("train_metric")),
                Double.parseDouble(r.get("final_loss")), Integer.parseInt(r.get("dead_units")),
                Integer.parseInt(r.get("dead_points")), Integer.parseInt(r.get("dead_layers")),
                Integer.parseInt(r.get("growths")), r.get("architecture"), seconds, null);
    }
}
