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
import org.relume.geometry.InverseStabilityCheck;
import org.relume.geometry.InverseStabilityExample;
import org.relume.geometry.SobolevSeminorm;
import org.relume.geometry.UniformNorm;
import org.relume.io.AtomicFiles;
import org.relume.plot.Figures;
import org.relume.train.TrainingHistory;

/**
 * Berner, Elbrächter, Grohs, "How degenerate is the parametrization of neural networks with the
 * ReLU activation function?": Examples 2.1-2.5 for k = 1, 2, 4, ..., 1024 (the realization distance,
 * uniform on (-1, 1)^d and Sobolev, beside the parameter distance: inverse stability failing in
 * numbers), and Theorem 3.3's bound ||Phi - Gamma||_inf &lt;= 4 |g - R(Gamma)|_{W1,inf}^(1/2) checked on
 * random instances in N* (see {@link InverseStabilityCheck} for how they are built).
 *
 * <p>Everything is exact arithmetic on the examples' closed forms (double precision), so the two
 * profiles differ only in the number of Theorem 3.3 instances.
 */
public final class InverseStabilityReproduction implements Reproduction {
    public static final int[] KS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    public static final int FULL_INSTANCES = 20_000;
    public static final int QUICK_INSTANCES = 800;
    public static final long SEED = 2019L;

    public static final List<String> COLUMNS = List.of("example", "name", "k", "uniform_distance", "sobolev_distance",
            "parameter_distance", "paper_sobolev_distance", "paper_parameter_lower_bound", "hand_uniform_distance",
            "hand_sobolev_distance", "sobolev_regions");

    @Override
    public String name() {
        return "inverse-stability";
    }

    @Override
    public String title() {
        return "Degenerate ReLU parametrizations: Examples 2.1-2.5 and Theorem 3.3 (Berner, Elbrächter, Grohs)";
    }

    /** One example at one k. */
    public record Row(InverseStabilityExample example, int k, double uniform, double sobolev, double parameter,
                      int regions) {}

    /** Theorem 3.3 instances grouped by how g was drawn. */
    public record Group(String mode, int checked, int held, double maxRatio, double medianSobolev) {}

    /** Exact computations on constructed and random networks: nothing is trained. */
    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        return List.of();
    }

    @Override
    public void run(Context ctx) throws IOException {
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        int instances = ctx.quick() ? QUICK_INSTANCES : FULL_INSTANCES;
        log.printf(Locale.ROOT, "%s profile: examples 2.1-2.5 at k = 1, 2, 4, ..., 1024; %d Theorem 3.3 instances%n",
                ctx.quick() ? "quick" : "full", instances);
        log.flush();
        long start = System.nanoTime();
        List<Row> rows = examples();
        ctx.progress().start("theorem 3.3", instances);
        List<InverseStabilityCheck.Instance> checked = new ArrayList<>(instances);
        try {
            int batch = Math.max(1, instances / 100);
            for (int done = 0; done < instances; done += batch) {
                int n = Math.min(batch, instances - done);
                checked.addAll(InverseStabilityCheck.run(done, n, SEED));
                ctx.progress().step(done + n, "instance " + (done + n));
            }
        } finally {
            ctx.progress().end();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<Group> groups = groups(checked);
        writeResults(ctx, rows);
        writeInstances(ctx, checked);
        writeFigure(ctx, rows);
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report(ctx, rows, groups, checked.size(), wall));
        log.print(examplesTable(rows, false));
        log.print(theoremTable(groups));
        log.printf(Locale.ROOT, "wall time %.1f s; wrote %s%n", wall, ctx.out());
        log.flush();
    }

    /** Every example at every k, with exact distances. */
    public static List<Row> examples() {
        List<Row> rows = new ArrayList<>();
        for (InverseStabilityExample e : InverseStabilityExample.values()) {
            for (int k : KS) {
                InverseStabilityExample.Instance in = e.instance(k);
                SobolevSeminorm.Estimate s = in.sobolevDistance();
                UniformNorm.Estimate u = in.uniformDistance();
                if (!s.exact() || !u.exact()) {
                    throw new IllegalStateException("example " + e.number() + " was not computed exactly");
                }
                rows.add(new Row(e, k, u.value(), s.value(), in.parameterDistance(), s.regions()));
            }
        }
        return rows;
    }

    /** Instances grouped by mode (perturbation size or unrelated), in the order of {@link InverseStabilityCheck#DELTAS}. */
    public static List<Group> groups(List<InverseStabilityCheck.Instance> all) {
        Map<String, List<InverseStabilityCheck.Instance>> by = new LinkedHashMap<>();
        for (double delta : InverseStabilityCheck.DELTAS) {
            by.put(mode(delta), new ArrayList<>());
        }
        by.put(mode(InverseStabilityCheck.UNRELATED), new ArrayList<>());
        for (InverseStabilityCheck.Instance in : all) {
            by.get(mode(in.delta())).add(in);
        }
        List<Group> out = new ArrayList<>();
        List<InverseStabilityCheck.Instance> everything = new ArrayList<>();
        for (Map.Entry<String, List<InverseStabilityCheck.Instance>> e : by.entrySet()) {
            out.add(group(e.getKey(), e.getValue()));
            everything.addAll(e.getValue());
        }
        out.add(group("all", everything));
        return out;
    }

    private static Group group(String mode, List<InverseStabilityCheck.Instance> list) {
        double[] sob = list.stream().mapToDouble(InverseStabilityCheck.Instance::sobolevDistance).sorted().toArray();
        return new Group(mode, list.size(), (int) list.stream().filter(InverseStabilityCheck.Instance::holds).count(),
                list.stream().mapToDouble(InverseStabilityCheck.Instance::ratio).max().orElse(Double.NaN),
                sob.length == 0 ? Double.NaN : sob[sob.length / 2]);
    }

    private static String mode(double delta) {
        if (Double.isInfinite(delta)) {
            return "unrelated g";
        }
        return "Gamma + delta, delta = " + (delta >= 0.01 ? num(delta) : String.format(Locale.ROOT, "%.0e", delta));
    }

    private static void writeResults(Context ctx, List<Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Row r : rows) {
            InverseStabilityExample e = r.example();
            sb.append(String.join(",", e.number(), e.id(), Integer.toString(r.k()), num(r.uniform()), num(r.sobolev()),
                    num(r.parameter()), num(e.paperSobolevDistance(r.k())), num(e.paperParameterLowerBound(r.k())),
                    num(e.handUniformDistance(r.k())), num(e.handSobolevDistance(r.k())), Integer.toString(r.regions())))
                    .append('\n');
        }
        AtomicFiles.writeString(ctx.out().resolve("results.csv"), sb.toString());
    }

    private static void writeInstances(Context ctx, List<InverseStabilityCheck.Instance> all) throws IOException {
        StringBuilder sb = new StringBuilder("instance,seed,d,m,D,mode,delta,sobolev_distance,bound,parameter_distance,"
                + "unmatched_parameter_distance,ratio,holds\n");
        for (InverseStabilityCheck.Instance in : all) {
            sb.append(String.join(",", Integer.toString(in.index()), Long.toString(SEED + in.index()), Integer.toString(in.d()),
                    Integer.toString(in.neurons()), Integer.toString(in.outputs()),
                    Double.isInfinite(in.delta()) ? "unrelated" : "perturbed", Double.isInfinite(in.delta()) ? "" : num(in.delta()),
                    num(in.sobolevDistance()), num(in.bound()), num(in.parameterDistance()), num(in.unmatchedDistance()),
                    num(in.ratio()), Boolean.toString(in.holds()))).append('\n');
        }
        AtomicFiles.writeString(ctx.out().resolve("theorem33.csv"), sb.toString());
    }

    private static void writeFigure(Context ctx, List<Row> rows) throws IOException {
        List<Figures.LinePanel> panels = new ArrayList<>();
        for (InverseStabilityExample e : InverseStabilityExample.values()) {
            List<Row> rs = rows.stream().filter(r -> r.example() == e).toList();
            double[] x = rs.stream().mapToDouble(r -> Math.log(r.k()) / Math.log(2)).toArray();
            panels.add(new Figures.LinePanel("Example " + e.number() + " " + e.id(), "log2 k", "distance", List.of(
                    new Figures.Series("uniform on (-1,1)^d", x, rs.stream().mapToDouble(Row::uniform).toArray()),
                    new Figures.Series("Sobolev |.|_W1,inf", x, rs.stream().mapToDouble(Row::sobolev).toArray()),
                    new Figures.Series("parameters ||.||_inf", x, rs.stream().mapToDouble(Row::parameter).toArray())), true));
        }
        Figures.lines(panels, ctx.out().resolve("distances.png"), ctx.out().resolve("distances.svg"));
    }

    static String examplesTable(List<Row> rows, boolean withPaper) {
        StringBuilder sb = new StringBuilder("| example | k | uniform distance | Sobolev distance | parameter distance |"
                + (withPaper ? " paper: Sobolev | paper: parameter lower bound |" : "") + "\n|---|---|---|---|---|"
                + (withPaper ? "---|---|" : "") + "\n");
        for (Row r : rows) {
            InverseStabilityExample e = r.example();
            sb.append(String.format(Locale.ROOT, "| %s %s | %d | %.4g | %.4g | %.4g |", e.number(), e.id(), r.k(), r.uniform(),
                    r.sobolev(), r.parameter()));
            if (withPaper) {
                double ps = e.paperSobolevDistance(r.k());
                double pb = e.paperParameterLowerBound(r.k());
                sb.append(' ').append(Double.isNaN(ps) ? "–" : String.format(Locale.ROOT, "%.4g", ps)).append(" | ")
                        .append(Double.isNaN(pb) ? (e == InverseStabilityExample.EXPLODING_GRADIENT ? "-> infinity" : "C > 0")
                                : String.format(Locale.ROOT, "%.4g", pb)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String theoremTable(List<Group> groups) {
        // Norm bars would split a Markdown table's cells, hence the double bars of Unicode.
        StringBuilder sb = new StringBuilder("| g drawn as | instances | bound held | largest ‖Φ − Γ‖∞ / (4 ‖g − R(Γ)‖_W1,∞^½) "
                + "| median ‖g − R(Γ)‖_W1,∞ |\n|---|---|---|---|---|\n");
        for (Group g : groups) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3g |%n", g.mode(), g.checked(), g.held(), g.maxRatio(),
                    g.medianSobolev()));
        }
        return sb.toString();
    }

    private String report(Context ctx, List<Row> rows, List<Group> groups, int instances, double wall) {
        StringBuilder sb = new StringBuilder("# ").append(title()).append("\n\n");
        sb.append("Command: `relume reproduce ").append(name()).append(ctx.quick() ? " --quick" : "").append(" --out ")
                .append(ctx.out()).append("`  \nProfile: **").append(ctx.quick() ? "quick" : "full").append("**; written ")
                .append(Instant.now()).append("\n\n## Settings\n\n");
        sb.append("- Examples 2.1-2.5 at k = 1, 2, 4, ..., 1024 as defined in the paper (`InverseStabilityExample`); Example 2.2 "
                + "uses r = 1/2 (the paper's Figure 2), Example 2.4 the vectors of the paper's Figure 4 (a_1 = (1, -1/2), "
                + "a_2 = (-1, -1/2), a_3 = (0, 1), v = (1, 0)).\n");
        sb.append("- Theta_k is the natural parametrization of the example's g_k, Gamma_k the paper's reference net; the parameter "
                + "distance is ||Theta_k - Gamma_k||_inf (max abs entry). The paper's statements bound it from below over every "
                + "reparametrization Phi_k of g_k; those bounds are listed beside ours where the paper gives a number.\n");
        sb.append("- Uniform distance: sup over (-1, 1)^d of |R(Theta_k) - R(Gamma_k)|, exact by vertex enumeration. Sobolev distance: "
                + "|R(Theta_k) - R(Gamma_k)|_{W1,inf}, exact by enumerating the activation regions of the difference net (d <= 3).\n");
        sb.append(String.format(Locale.ROOT, "- Theorem 3.3: %d random instances (seeds %d + i), built as described in "
                + "`InverseStabilityCheck`: Gamma in N*_(d,m,D), d in {2, 3}, m in 1..8, D in 1..3, neuron norms log-uniform in "
                + "[0.01, 1]; g = R(Theta) for Theta a perturbation of Gamma by delta in {1, 0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4} "
                + "(rebalanced) or an unrelated N* net; Theta's neurons shuffled; Phi = the permutation of Theta nearest to Gamma "
                + "(exact bottleneck assignment), which for generic g is the best reparametrization of g in N*.%n",
                instances, SEED));
        sb.append(String.format(Locale.ROOT, "- wall time: **%.1f s** (one thread)%n%n", wall));
        sb.append("## Examples 2.1-2.5: realization distance vs parameter distance\n\n");
        sb.append("As k grows, the realizations of Examples 2.1-2.4 come together (uniform distance 1/k; Sobolev distance 1/k, except "
                + "2.1, whose gradient explodes as k^2) while the parameters stay at distance 1 (2.2-2.4) or grow like k (2.1). In "
                + "Example 2.5 both realization distances stay at 3 while the parameters move 2 sqrt(2) k apart. Every value equals "
                + "the hand computation in `InverseStabilityExample` (a test checks this at k = 1, 2, 4, 8, 64, 1024).\n\n");
        List<Row> headline = rows.stream().filter(r -> r.k() == 1 || r.k() == 32 || r.k() == 1024).toList();
        sb.append(examplesTable(headline, true)).append('\n');
        sb.append("![distances](distances.png)\n\nAll k are in `results.csv`.\n\n");
        sb.append("## Theorem 3.3 on random instances in N*\n\n");
        sb.append(theoremTable(groups)).append('\n');
        sb.append("A ratio at most 1 means the bound ||Phi - Gamma||_inf <= 4 |g - R(Gamma)|^(1/2)_{W1,inf} held. Per-instance rows "
                + "(seed, sizes, distances, ratio) are in `theorem33.csv`. For contrast, the degenerate examples break the same "
                + "bound: at k = 1024, Example 2.3 has parameter distance 1 against 4 sqrt(1/1024) = 0.125 (a test asserts this "
                + "for Examples 2.2-2.5).\n\n");
        sb.append("## Notes\n\n");
        sb.append("- Example 2.1 lives in a wedge 1/k^3 radians wide (about 1e-9 at k = 1024): sampling directions would miss it, "
                + "the exact enumeration finds it.\n");
        sb.append("- The paper gives no number for Example 2.1's parameter distance (only -> infinity) nor for the constant C of "
                + "Example 2.4.\n");
        return sb.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return TrainingHistory.format(v);
    }
}
