package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Outcome;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.io.AtomicFiles;

/**
 * The jumpstart paper's headline (Riera et al., Section 4, Figure 2; REFERENCES.md §1): MOONS,
 * widths x depths of thin ReLU MLPs trained with and without the jumpstart penalty; trainable depth
 * per width beside the paper's (width 3: baseline 10 vs jumpstart 60; width 25: 30 vs 100).
 */
public final class JumpstartMoonsReproduction implements Reproduction {

    /** The paper's grid. */
    public static final List<Integer> FULL_WIDTHS = List.of(1, 2, 3, 4, 5, 10, 15, 20, 25);
    public static final List<Integer> FULL_DEPTHS = fullDepths();
    /** A subset that keeps the headline widths and depths and runs in well under a minute on 2 cores. */
    public static final List<Integer> QUICK_WIDTHS = List.of(2, 3, 10, 25);
    public static final List<Integer> QUICK_DEPTHS = List.of(5, 10, 20, 30, 60);
    public static final List<Long> SEEDS = List.of(1L);

    private static List<Integer> fullDepths() {
        List<Integer> d = new ArrayList<>(List.of(1, 2, 3, 4, 5));
        for (int x = 10; x <= 50; x += 5) {
            d.add(x);
        }
        for (int x = 60; x <= 150; x += 10) {
            d.add(x);
        }
        return List.copyOf(d);
    }

    /** The paper's trainable depths stated in its text (others are only in its figure). */
    private static final Map<Integer, int[]> PAPER = Map.of(3, new int[] {10, 60}, 25, new int[] {30, 100});

    @Override
    public String name() {
        return "jumpstart-moons";
    }

    @Override
    public String title() {
        return "Jumpstart regularization: trainable depth on MOONS (Riera et al., Experiment A, Figure 2)";
    }

    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        return CostEstimate.trainings(Settings.paper(), cells(ctx));
    }

    private static List<Cell> cells(Context ctx) {
        return Sweep.grid(List.of(DepthWidthExperiment.BASELINE, DepthWidthExperiment.JUMPSTART),
                ctx.quick() ? QUICK_WIDTHS : FULL_WIDTHS, ctx.quick() ? QUICK_DEPTHS : FULL_DEPTHS, SEEDS);
    }

    @Override
    public void run(Context ctx) throws IOException {
        Settings settings = Settings.paper();
        List<Integer> widths = ctx.quick() ? QUICK_WIDTHS : FULL_WIDTHS;
        List<Integer> depths = ctx.quick() ? QUICK_DEPTHS : FULL_DEPTHS;
        List<Cell> cells = cells(ctx);
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %d cells (%d widths x %d depths x 2 methods x %d seed), %d threads%n",
                ctx.quick() ? "quick" : "full", cells.size(), widths.size(), depths.size(), SEEDS.size(), ctx.threads());
        log.flush();
        Sweep.Result result = ctx.sweep(settings).runInto(ctx, name(), cells);
        DepthWidthAnalysis analysis = new DepthWidthAnalysis(result.outcomes());
        analysis.writeHeatmaps(ctx.out().resolve("heatmap.png"), ctx.out().resolve("heatmap.svg"));
        String report = report(ctx, settings, result, analysis, widths, depths);
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report);
        log.print(trainableDepthComparison(analysis, widths));
        log.printf(Locale.ROOT, "wall time %.1f s (this run: %d cells, resumed: %d); wrote %s%n", result.seconds(),
                result.ran(), result.resumed(), ctx.out());
        log.flush();
    }

    /** Ours beside the paper's, per width. */
    static String trainableDepthComparison(DepthWidthAnalysis a, List<Integer> widths) {
        StringBuilder sb = new StringBuilder();
        sb.append("| width | baseline: ours | baseline: paper | jumpstart: ours | jumpstart: paper |\n");
        sb.append("|---|---|---|---|---|\n");
        for (int w : widths) {
            int[] paper = PAPER.get(w);
            sb.append(String.format(Locale.ROOT, "| %d | %d | %s | %d | %s |%n", w,
                    a.trainableDepth(DepthWidthExperiment.BASELINE, w), paper == null ? "–" : Integer.toString(paper[0]),
                    a.trainableDepth(DepthWidthExperiment.JUMPSTART, w), paper == null ? "–" : Integer.toString(paper[1])));
        }
        return sb.toString();
    }

    private String report(Context ctx, Settings s, Sweep.Result r, DepthWidthAnalysis a,
                          List<Integer> widths, List<Integer> depths) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title()).append("\n\n");
        sb.append("Command: `relume reproduce ").append(name()).append(ctx.quick() ? " --quick" : "")
                .append(" --out ").append(ctx.out()).append("`  \n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now()).append("\n\n");
        sb.append("## Settings\n\n");
        sb.append("- ").append(s.describe()).append("\n");
        sb.append("- widths ").append(widths).append(", depths ").append(depths).append(", seeds ").append(SEEDS)
                .append(" (seed s: data shuffle s, weights and batch order from SplittableRandom(s); rerun any cell with ")
                .append("`relume train --data moons --width W --depth L --epochs 5000 --init glorot_uniform --lr 0.01 --seed s [--jumpstart l1 --lambda 1e-4]`)\n");
        sb.append("- moons: n = 100, no noise, one global scale X / (max X - min X), first 85 train / last 15 validation after the seeded shuffle\n");
        sb.append(String.format(Locale.ROOT, "- wall time: **%.1f s** for %d cells on %d threads (%d run now, %d resumed from an earlier run); "
                + "the sum of the cells' own times is %.1f s%n", r.seconds(), r.outcomes().size(), ctx.threads(), r.ran(),
                r.resumed(), a.cellSeconds()));
        sb.append("- failed runs: ").append(a.failedRuns()).append("\n\n");
        sb.append("## Trainable depth per width: ours beside the paper's\n\n");
        sb.append("A cell is *trained* when its validation accuracy (mean over seeds) is at least ")
                .append(DepthWidthAnalysis.TRAINED).append(": at most one error among the 15 validation points, ")
                .append("while a dead network, which predicts one class, scores 0.4 or 0.6. The trainable depth is the ")
                .append("largest trained depth of the grid. The paper states two widths in its text; the others are only in its Figure 2.\n\n");
        sb.append(trainableDepthComparison(a, widths)).append('\n');
        sb.append("Largest trained depth and the depth up to which every cell trained:\n\n");
        sb.append(a.trainableDepthTable()).append('\n');
        sb.append("## Validation accuracy per cell\n\n![heatmaps](heatmap.png)\n\n");
        for (String m : a.methods()) {
            sb.append("### ").append(m).append("\n\n").append(a.accuracyTable(m)).append('\n');
        }
        sb.append("## Notes\n\n");
        sb.append("- The penalty's negative deficits are max(0, 1 + min g), the deficits of the paper's constraints (4) and (6) "
                + "as both reference implementations compute them; the printed eqs. (10) and (12) have a sign typo.\n");
        sb.append("- `l1` sums all four deficits of every hidden layer (the paper's 1-norm P). The reference Keras code "
                + "applied its regularizer to (xi+ + xi-)/2, i.e. half this weight per deficit.\n");
        sb.append("- Adam follows PyTorch (eps 1e-8 added after bias correction); Keras uses eps 1e-7 before it.\n");
        sb.append("- Every row of `results.csv` has the final train/validation accuracy, final loss, and the dead units, dead points "
                + "(training points dead at some hidden layer) and dead layers of the trained network on the training set.\n");
        return sb.toString();
    }
}
