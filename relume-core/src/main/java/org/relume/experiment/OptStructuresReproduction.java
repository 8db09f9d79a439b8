package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.data.Dataset;
import org.relume.io.AtomicFiles;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * Li et al., "Optimization algorithm inspired deep neural network structure design", Section 5.3
 * and Table 2: networks whose layers follow GD (eq. 7), HB (eq. 11, beta = 0.3), AGD (eq. 12), AGD2
 * (eq. 13) and ADMM (eq. 14), sigmoid, a different fully connected W per layer, trained to map
 * 10,000 pairs (x_0, f) drawn from N(0, I) in dimension 100 with the mean squared error. The targets
 * are independent of the inputs, so the MSE measures memorization (predicting 0 scores 1.0).
 *
 * <p>The paper gives no optimizer, learning rate, batch size or initialization; the ones here are
 * reconstructions (REFERENCES.md lists them), and the report says so.
 */
public final class OptStructuresReproduction implements Reproduction {
    public static final List<Structure> STRUCTURES =
            List.of(Structure.ADMM, Structure.GD, Structure.HB, Structure.AGD, Structure.AGD2);
    public static final List<String> COLUMNS = List.of("structure", "depth", "mse", "paper_mse", "seed", "samples",
            "epochs", "parameters", "seconds");

    /** Table 2 of the paper: MSE by depth (rows 10, 20, 30, 40) and structure (in {@link #STRUCTURES} order). */
    static final int[] PAPER_DEPTHS = {10, 20, 30, 40};
    static final double[][] PAPER_MSE = {
        {1.07576, 1.00644, 1.00443, 1.00270, 1.00745},
        {1.07495, 1.00679, 1.00449, 1.00215, 1.00227},
        {1.07665, 1.00652, 1.00455, 1.00204, 1.00086},
        {1.07749, 1.00653, 1.00457, 1.00213, 0.99964},
    };

    /** A profile's settings; everything but samples, depths and epochs is the same in both. */
    public record Settings(int samples, int dimension, int[] depths, int epochs, int batchSize, double learningRate,
                           long seed) {
        static final Settings FULL = new Settings(10_000, 100, PAPER_DEPTHS, 1000, 100, 1e-3, 1);
        static final Settings QUICK = new Settings(2_000, 100, new int[] {10, 20}, 100, 100, 1e-3, 1);
    }

    /** One trained network. */
    public record Cell(Structure structure, int depth, double mse, long parameters, double seconds) {}

    @Override
    public String name() {
        return "opt-structures";
    }

    @Override
    public String title() {
        return "Optimization-inspired structures: the Table 2 simulation (Li et al.)";
    }

    @Override
    public void run(Context ctx) throws IOException {
        run(ctx, ctx.quick() ? Settings.QUICK : Settings.FULL);
    }

    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        Settings s = ctx.quick() ? Settings.QUICK : Settings.FULL;
        List<CostEstimate.Training> list = new ArrayList<>();
        for (int depth : s.depths()) {
            for (Structure structure : STRUCTURES) {
                list.add(new CostEstimate.Training(structure.id() + "@" + depth, () -> Structures.unrolled(structure,
                        Structures.Options.DEFAULTS, s.dimension(), depth, Activations.byName("sigmoid"),
                        Initializer.GLOROT_UNIFORM, 1), (double) s.samples() * s.epochs(), s.batchSize()));
            }
        }
        return list;
    }

    void run(Context ctx, Settings s) throws IOException {
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %d pairs in dimension %d, depths %s, %d epochs, %d networks%n",
                ctx.quick() ? "quick" : "full", s.samples(), s.dimension(), Arrays.toString(s.depths()),
                s.epochs(), s.depths().length * STRUCTURES.size());
        log.flush();
        long start = System.nanoTime();
        Dataset data = pairs(s);
        List<Cell> cells = new ArrayList<>();
        List<ParallelRuns.Task<Cell>> tasks = new ArrayList<>();
        try (ResultsCsv csv = ResultsCsv.open(ctx.out().resolve("results.csv"), COLUMNS)) {
            Set<String> done = new HashSet<>();
            for (Map<String, String> row : csv.existingRows()) {
                Cell c = resumed(row, s, csv.file().toString());
                cells.add(c);
                done.add(c.structure().id() + "@" + c.depth());
            }
            if (!cells.isEmpty()) {
                log.printf(Locale.ROOT, "resuming: %d of %d networks already in results.csv%n", cells.size(),
                        s.depths().length * STRUCTURES.size());
                log.flush();
            }
            // Shallowest first: the full profile runs for hours, and an interrupted run then holds
            // whole rows of the table rather than scattered cells.
            for (int d = 0; d < s.depths().length; d++) {
                int depth = s.depths()[d];
                for (Structure structure : STRUCTURES) {
                    if (done.contains(structure.id() + "@" + depth)) {
                        continue;
                    }
                    tasks.add(new ParallelRuns.Task<>(structure.id() + " depth " + depth, () -> {
                        Cell c = train(structure, depth, data, s);
                        append(csv, c, s);
                        return c;
                    }));
                }
            }
            cells.addAll(ParallelRuns.run(name(), tasks, ctx));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        writeResults(ctx, s, cells);
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report(s, cells, wall, ctx));
        log.printf(Locale.ROOT, "wrote %s and %s (%.0f s)%n", ctx.out().resolve("results.csv"),
                ctx.out().resolve("report.md"), wall);
        log.flush();
    }

    private static void append(ResultsCsv csv, Cell c, Settings s) {
        try {
            csv.append(row(c, s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row of an earlier, interrupted run; refused if it was made with other settings. */
    private static Cell resumed(Map<String, String> row, Settings s, String file) {
        String settings = row.get("seed") + "/" + row.get("samples") + "/" + row.get("epochs");
        String ours = s.seed() + "/" + s.samples() + "/" + s.epochs();
        if (!settings.equals(ours)) {
            throw new IllegalArgumentException(file + " holds results for seed/samples/epochs " + settings
                    + ", this profile is " + ours + "; use another --out directory");
        }
        try {
            return new Cell(Structure.parse(row.get("structure")), Integer.parseInt(row.get("depth")),
                    Double.parseDouble(row.get("mse")), Long.parseLong(row.get("parameters")),
                    Double.parseDouble(row.get("seconds")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable row " + row + " (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Object> row(Cell c, Settings s) {
        Map<String, Object> r = new LinkedHashMap<>();
        Double paper = paper(c.structure(), c.depth());
        r.put("structure", c.structure().id());
        r.put("depth", c.depth());
        r.put("mse", String.format(Locale.ROOT, "%.6f", c.mse()));
        r.put("paper_mse", paper == null ? "" : String.format(Locale.ROOT, "%.5f", paper));
        r.put("seed", s.seed());
        r.put("samples", s.samples());
        r.put("epochs", s.epochs());
        r.put("parameters", c.parameters());
        r.put("seconds", String.format(Locale.ROOT, "%.1f", c.seconds()));
        return r;
    }

    /** x_0 and f, both N(0, I), independent. */
    static Dataset pairs(Settings s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        Tensor x = gaussian(s.samples(), s.dimension(), r.split());
        Tensor f = gaussian(s.samples(), s.dimension(), r.split());
        return Dataset.regression("gaussian pairs", x, f);
    }

    private static Tensor gaussian(int n, int d, SplittableRandom r) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i += 2) {
            // Box-Muller, two normals per draw.
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1));
            v[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) {
                v[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
            }
        }
        return Tensor.wrap(v, n, d);
    }

    static Cell train(Structure structure, int depth, Dataset data, Settings s) {
        Network net = Structures.unrolled(structure, Structures.Options.DEFAULTS, s.dimension(), depth,
                Activations.byName("sigmoid"), Initializer.GLOROT_UNIFORM, s.seed() * 1000 + depth);
        TrainConfig cfg = TrainConfig.defaults().epochs(s.epochs()).batchSize(s.batchSize()).shuffle(true)
                .optimizer(new Adam(s.learningRate())).loss(Loss.MSE).logEvery(Math.max(1, s.epochs())).seed(s.seed());
        TrainResult r = new Trainer(cfg).train(net, data, null);
        return new Cell(structure, depth, r.train().mse(), net.parameterCount(), r.seconds());
    }

    /** The whole table again, sorted by depth and structure (rows were appended as cells finished). */
    private static void writeResults(Context ctx, Settings s, List<Cell> cells) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Cell c : sorted(cells)) {
            csv.append(String.join(",", row(c, s).values().stream().map(String::valueOf).toList())).append('\n');
        }
        AtomicFiles.writeString(ctx.out().resolve("results.csv"), csv.toString());
    }

    private static List<Cell> sorted(List<Cell> cells) {
        List<Cell> out = new ArrayList<>(cells);
        out.sort((a, b) -> a.depth() != b.depth() ? Integer.compare(a.depth(), b.depth())
                : Integer.compare(STRUCTURES.indexOf(a.structure()), STRUCTURES.indexOf(b.structure())));
        return out;
    }

    /** The paper's MSE for a structure and depth, or null where Table 2 has no entry. */
    static Double paper(Structure s, int depth) {
        for (int d = 0; d < PAPER_DEPTHS.length; d++) {
            if (PAPER_DEPTHS[d] == depth) {
                return PAPER_MSE[d][STRUCTURES.indexOf(s)];
            }
        }
        return null;
    }

    /** Whether the paper's three claims about Table 2 hold in our numbers, one sentence each. */
    static List<String> ordering(Map<Integer, Map<Structure, Cell>> byDepth) {
        int depths = byDepth.size();
        int admmWorst = 0;
        int fasterBeatGd = 0;
        for (Map<Structure, Cell> row : byDepth.values()) {
            double admm = row.get(Structure.ADMM).mse();
            if (row.values().stream().allMatch(c -> c.mse() <= admm)) {
                admmWorst++;
            }
            double gd = row.get(Structure.GD).mse();
            if (row.get(Structure.HB).mse() < gd && row.get(Structure.AGD).mse() < gd && row.get(Structure.AGD2).mse() < gd) {
                fasterBeatGd++;
            }
        }
        int deepest = byDepth.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        Map<Structure, Cell> last = byDepth.get(deepest);
        Structure best = last.values().stream().min((a, b) -> Double.compare(a.mse(), b.mse())).orElseThrow().structure();
        return List.of(
                String.format(Locale.ROOT, "ADMM worst: %s (at %d of %d depths).", verdict(admmWorst, depths), admmWorst, depths),
                String.format(Locale.ROOT, "HB, AGD and AGD2 all better than GD: %s (at %d of %d depths).",
                        verdict(fasterBeatGd, depths), fasterBeatGd, depths),
                String.format(Locale.ROOT, "AGD2 best at the deepest depth (%d): %s (best there: %s, MSE %.5f).", deepest,
                        best == Structure.AGD2 ? "holds" : "does not hold", best.id().toUpperCase(Locale.ROOT),
                        last.get(best).mse()));
    }

    private static String verdict(int held, int of) {
        return held == of ? "holds" : held == 0 ? "does not hold" : "holds only in part";
    }

    private static String report(Settings s, List<Cell> cells, double wall, Context ctx) {
        Map<Integer, Map<Structure, Cell>> byDepth = new LinkedHashMap<>();
        for (Cell c : sorted(cells)) {
            byDepth.computeIfAbsent(c.depth(), k -> new LinkedHashMap<>()).put(c.structure(), c);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Optimization-inspired structures: Table 2 simulation\n\n");
        md.append("Li, Yang, Chen, Lin, \"Optimization algorithm inspired deep neural network structure design\", "
                + "Section 5.3 and Table 2. Training MSE after the last epoch, ours / paper's; "
                + "predicting 0 scores 1.0.\n\n");
        md.append("| depth |");
        for (Structure st : STRUCTURES) {
            md.append(' ').append(st.id().toUpperCase(Locale.ROOT)).append(" ours | paper |");
        }
        md.append("\n|---|");
        md.append("---|---|".repeat(STRUCTURES.size())).append('\n');
        for (Map.Entry<Integer, Map<Structure, Cell>> row : byDepth.entrySet()) {
            md.append("| ").append(row.getKey()).append(" |");
            for (Structure st : STRUCTURES) {
                Cell c = row.getValue().get(st);
                Double p = paper(st, row.getKey());
                md.append(String.format(Locale.ROOT, " %.5f | %s |", c.mse(), p == null ? "–" : String.format(Locale.ROOT, "%.5f", p)));
            }
            md.append('\n');
        }
        md.append("\n## The paper's ordering, checked\n\n");
        for (String line : ordering(byDepth)) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\n## Settings\n\n");
        md.append(String.format(Locale.ROOT, "- profile: %s; %d pairs (x_0, f), both N(0, I) in dimension %d, seed %d%n",
                ctx.quick() ? "quick" : "full", s.samples(), s.dimension(), s.seed()));
        md.append(String.format(Locale.ROOT, "- depths %s, %d epochs, sigmoid, a different W (with bias) per layer, output = x_depth%n",
                Arrays.toString(s.depths()), s.epochs()));
        md.append("- HB: beta = 0.3 (eq. 11); AGD: beta_k from the theta sequence (eq. 12); AGD2: h_{k+1,j} of eq. 5 (eq. 13); "
                + "ADMM: eq. 14 with x'_0 = x_0\n");
        md.append(String.format(Locale.ROOT, "- **reconstructed** (the paper gives none): Adam, learning rate %s, batch %d, "
                + "reshuffled every epoch, Glorot-uniform weights and zero biases; ADMM gives each of its two paths its own W "
                + "(as DMRNet's branches do), so it has twice the weights of the others%n", Double.toString(s.learningRate()),
                s.batchSize()));
        md.append(String.format(Locale.ROOT, "- wall time %.0f s on %d worker thread(s); generated %s%n", wall, ctx.threads(),
                Instant.now()));
        if (ctx.quick()) {
            md.append(String.format(Locale.ROOT, "%nThe quick profile trains on %,d pairs for %d epochs: its numbers show the "
                    + "structures run and how they compare early in training, not the paper's converged table.%n",
                    s.samples(), s.epochs()));
        }
        return md.toString();
    }
}
