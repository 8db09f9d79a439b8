package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.relume.data.IdxReader;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.io.AtomicFiles;
import org.relume.jumpstart.Aggregation;
import org.relume.nn.Initializer;

/**
 * Riera et al., Experiment B: thin CNNs on MNIST (3x3 same convolutions of 2, 4 or 8 channels, no
 * pooling, flatten, dense softmax output), trained plain and with the jumpstart penalty (l1,
 * lambda 1e-8), Glorot uniform, Adam lr 1e-3. The paper: the baseline converges only up to depth
 * 12 at widths 2 and 4 and 24 at width 8 (18 models), jumpstart trains all 54 up to depth 66.
 *
 * <p>MNIST comes from {@code data/mnist} (fetched by {@code data/fetch-mnist.sh}); nothing is
 * downloaded here. The full grid (widths 2, 4, 8; depths 2..66 step 4; batch 1024; 50 epochs on
 * 60,000 images) is about 10^16 floating-point operations: weeks on two cores, so it is resumable
 * and the quick profile is what runs here.
 */
public final class JumpstartMnistReproduction implements Reproduction {
    public static final Path DEFAULT_DATA = Path.of("data", "mnist");
    static final List<Integer> WIDTHS = List.of(2, 4, 8);
    static final List<Integer> QUICK_DEPTHS = List.of(2, 14, 26, 38);
    static final int QUICK_IMAGES = 2000;
    static final double QUICK_TRAINED = 0.5;

    private static List<Integer> fullDepths() {
        List<Integer> d = new ArrayList<>();
        for (int x = 2; x <= 66; x += 4) {
            d.add(x);
        }
        return d;
    }

    /** The paper's largest converging depth per width for the baseline, and for jumpstart. */
    private static int[] paper(int width) {
        return new int[] {width == 8 ? 24 : 12, 66};
    }

    @Override
    public String name() {
        return "jumpstart-mnist";
    }

    @Override
    public String title() {
        return "Jumpstart regularization: thin CNNs on MNIST (Riera et al., Experiment B)";
    }

    @Override
    public void run(Context ctx) throws IOException {
        run(ctx, DEFAULT_DATA);
    }

    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        Settings settings = settings(ctx, DEFAULT_DATA);
        requireData(DEFAULT_DATA, settings);
        return CostEstimate.trainings(settings, Sweep.grid(List.of(DepthWidthExperiment.BASELINE,
                DepthWidthExperiment.JUMPSTART), WIDTHS, ctx.quick() ? QUICK_DEPTHS : fullDepths(), List.of(1L)));
    }

    void run(Context ctx, Path mnist) throws IOException {
        Settings settings = settings(ctx, mnist);
        List<Integer> depths = ctx.quick() ? QUICK_DEPTHS : fullDepths();
        List<Cell> cells = Sweep.grid(List.of(DepthWidthExperiment.BASELINE, DepthWidthExperiment.JUMPSTART), WIDTHS, depths,
                List.of(1L));
        // A finished grid is reported and drawn from results.csv alone; only cells still to train need MNIST.
        if (!ctx.sweep(settings).holdsEvery(cells, ctx.out().resolve("results.csv"))) {
            requireData(mnist, settings);
        }
        run(ctx, settings, WIDTHS, depths);
    }

    private static Settings settings(Context ctx, Path mnist) {
        Settings base = new Settings("idx:" + mnist, ctx.quick() ? 5 : 50, 1e-3, Initializer.GLOROT_UNIFORM,
                ctx.quick() ? 128 : 1024, Aggregation.L1, 1e-8);
        return base.asCnn(ctx.quick() ? QUICK_IMAGES : 0);
    }

    private static void requireData(Path mnist, Settings settings) {
        if (!IdxReader.hasTrainingImages(mnist)) {
            throw new IllegalArgumentException("jumpstart-mnist needs MNIST in " + mnist
                    + " (train-images-idx3-ubyte and the other three idx files); run data/fetch-mnist.sh first");
        }
        settings.requireData();
    }

    void run(Context ctx, Settings settings, List<Integer> widths, List<Integer> depths) throws IOException {
        List<String> methods = List.of(DepthWidthExperiment.BASELINE, DepthWidthExperiment.JUMPSTART);
        List<Cell> cells = Sweep.grid(methods, widths, depths, List.of(1L));
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %d cells (widths %s x depths %s x 2 methods), %d threads%n",
                ctx.quick() ? "quick" : "full", cells.size(), widths, depths, ctx.threads());
        log.flush();
        Sweep.Result result = ctx.sweep(settings).runInto(ctx, name(), cells);
        // A dead CNN predicts one class (about 0.1 here); the quick profile's short training keeps live
        // nets below the moons bar of 0.9, so "trained" is "clearly learning" for it.
        DepthWidthAnalysis analysis = new DepthWidthAnalysis(result.outcomes(), ctx.quick() ? QUICK_TRAINED : 0.9);
        if (analysis.failedRuns() < result.outcomes().size()) {
            analysis.writeHeatmaps(ctx.out().resolve("heatmap.png"), ctx.out().resolve("heatmap.svg"));
        }
        AtomicFiles.writeString(ctx.out().resolve("report.md"), report(ctx, settings, result, analysis, widths, depths));
        log.printf(Locale.ROOT, "wall time %.1f s (this run: %d cells, resumed: %d); wrote %s%n", result.seconds(),
                result.ran(), result.resumed(), ctx.out());
        log.flush();
    }

    private String report(Context ctx, Settings s, Sweep.Result r, DepthWidthAnalysis a, List<Integer> widths,
                          List<Integer> depths) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title()).append("\n\n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now()).append("\n\n");
        sb.append("## Settings\n\n- ").append(s.describe()).append("\n");
        sb.append("- widths ").append(widths).append(", depths ").append(depths).append(", seed 1; the validation set is ")
                .append("the t10k images (the same limit applies)\n");
        if (ctx.quick()) {
            sb.append("- **quick profile, not the paper's**: ").append(QUICK_IMAGES).append(" training images, 5 epochs, batch 128 ")
                    .append("(the paper: 60,000 images, 50 epochs, batch 1024), so accuracies are far below converged ones; ")
                    .append("what carries over is whether a net learns at all or stays dead\n");
        }
        sb.append("- the full grid is about 1e16 floating-point operations (17 depths x 3 widths x 2 methods, 50 epochs of ")
                .append("60,000 images): weeks on two cores here; it is resumable (rerun the same command)\n");
        sb.append(String.format(Locale.ROOT, "- wall time **%.1f s** for %d cells on %d threads (%d run now, %d resumed); the "
                + "sum of the cells' own times is %.1f s; failed runs: %d%n%n", r.seconds(), r.outcomes().size(), ctx.threads(),
                r.ran(), r.resumed(), a.cellSeconds(), a.failedRuns()));
        sb.append("## Largest depth that trained (validation accuracy >= ").append(a.threshold())
                .append("; a dead net scores about 0.1), ours beside the paper's converging depths\n\n");
        sb.append("| width | baseline: ours | baseline: paper | jumpstart: ours | jumpstart: paper |\n|---|---|---|---|---|\n");
        for (int w : widths) {
            int[] p = paper(w);
            sb.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d (all) |%n", w,
                    a.trainableDepth(DepthWidthExperiment.BASELINE, w), p[0],
                    a.trainableDepth(DepthWidthExperiment.JUMPSTART, w), p[1]));
        }
        sb.append("\n## Validation accuracy per cell\n\n![heatmaps](heatmap.png)\n\n");
        for (String m : a.methods()) {
            sb.append("### ").append(m).append("\n\n").append(a.accuracyTable(m)).append('\n');
        }
        sb.append("## Does jumpstart train where the baseline does not?\n\n");
        for (int w : widths) {
            for (int d : depths) {
                boolean base = a.trained(DepthWidthExperiment.BASELINE, w, d);
                boolean jump = a.trained(DepthWidthExperiment.JUMPSTART, w, d);
                if (base != jump) {
                    sb.append(String.format(Locale.ROOT, "- width %d, depth %d: %s (baseline %.3f, jumpstart %.3f)%n", w, d,
                            jump ? "only jumpstart trains" : "only the baseline trains",
                            a.accuracy(DepthWidthExperiment.BASELINE, w, d), a.accuracy(DepthWidthExperiment.JUMPSTART, w, d)));
                }
            }
        }
        sb.append("\nCells not listed trained both ways or neither way. Dead units and points of every cell are in `results.csv`.\n");
        return sb.toString();
    }
}
