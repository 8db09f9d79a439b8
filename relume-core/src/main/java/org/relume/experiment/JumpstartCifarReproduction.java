package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.relume.experiment.DepthWidthExperiment.Cell;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.io.AtomicFiles;
import org.relume.jumpstart.Aggregation;
import org.relume.nn.Initializer;

/**
 * Riera et al., Experiment C: thin CNNs on CIFAR-10/100 with the global max + average pooling head,
 * Kaiming uniform, Adam, batch 128, plain and with jumpstart (the reference's l2 aggregation,
 * lambda 1e-3). The paper: best validation accuracy 0.766 with jumpstart against 0.734 without on
 * CIFAR-10. CIFAR comes from the user ({@code --data-dir}, the standard binary files): no package
 * registry ships it, so this refuses with one line when the files are absent.
 */
public final class JumpstartCifarReproduction implements Reproduction {
    static final List<Integer> FULL_WIDTHS = List.of(2, 8, 16, 32, 64, 96, 192);
    static final List<Integer> FULL_DEPTHS = List.of(10, 20, 30);
    static final List<Integer> QUICK_WIDTHS = List.of(2, 8);
    static final List<Integer> QUICK_DEPTHS = List.of(10, 20);

    @Override
    public String name() {
        return "jumpstart-cifar";
    }

    @Override
    public String title() {
        return "Jumpstart regularization: thin CNNs on CIFAR (Riera et al., Experiment C)";
    }

    @Override
    public List<CostEstimate.Training> plan(Context ctx) {
        return CostEstimate.trainings(settings(ctx), Sweep.grid(List.of(DepthWidthExperiment.BASELINE,
                DepthWidthExperiment.JUMPSTART), ctx.quick() ? QUICK_WIDTHS : FULL_WIDTHS,
                ctx.quick() ? QUICK_DEPTHS : FULL_DEPTHS, List.of(1L)));
    }

    @Override
    public void run(Context ctx) throws IOException {
        run(ctx, settings(ctx), ctx.quick() ? QUICK_WIDTHS : FULL_WIDTHS, ctx.quick() ? QUICK_DEPTHS : FULL_DEPTHS);
    }

    private static Settings settings(Context ctx) {
        Path dir = ctx.dataDir();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("jumpstart-cifar needs the CIFAR-10 or CIFAR-100 binary files: give their folder with "
                    + "--data-dir DIR" + (dir == null ? "" : " (" + dir + " is not a directory)"));
        }
        Settings settings = new Settings("cifar:" + dir, ctx.quick() ? 3 : 400, 1e-3, Initializer.KAIMING_UNIFORM, 128,
                Aggregation.L2, 1e-3).asCnn(ctx.quick() ? 2000 : 0);
        settings.requireData();
        return settings;
    }

    void run(Context ctx, Settings settings, List<Integer> widths, List<Integer> depths) throws IOException {
        List<Cell> cells = Sweep.grid(List.of(DepthWidthExperiment.BASELINE, DepthWidthExperiment.JUMPSTART), widths, depths,
                List.of(1L));
        Files.createDirectories(ctx.out());
        PrintWriter log = ctx.log();
        log.printf(Locale.ROOT, "%s profile: %d cells, %d threads%n", ctx.quick() ? "quick" : "full", cells.size(), ctx.threads());
        log.flush();
        Sweep.Result result = ctx.sweep(settings).runInto(ctx, name(), cells);
        DepthWidthAnalysis a = new DepthWidthAnalysis(result.outcomes(), 0.0);
        StringBuilder sb = new StringBuilder("# ").append(title()).append("\n\n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now()).append("\n\n");
        sb.append("- ").append(settings.describe()).append("\n- widths ").append(widths).append(", depths ").append(depths)
                .append(", seed 1; the test file is the validation set\n");
        sb.append("- reconstructed: one lambda and aggregation of the reference's grid (l2, 1e-3) and one learning rate (1e-3)\n");
        sb.append(String.format(Locale.ROOT, "- wall time %.1f s for %d cells (%d run now, %d resumed), failed runs %d%n%n",
                result.seconds(), result.outcomes().size(), result.ran(), result.resumed(), a.failedRuns()));
        double[] best = new double[2];
        for (DepthWidthExperiment.Outcome o : result.outcomes()) {
            int m = o.cell().method().equals(DepthWidthExperiment.JUMPSTART) ? 1 : 0;
            if (!o.failed()) {
                best[m] = Math.max(best[m], o.validationAccuracy());
            }
        }
        sb.append(String.format(Locale.ROOT, "## Best validation accuracy, ours beside the paper's (CIFAR-10)%n%n"
                + "| | ours | paper |%n|---|---|---|%n| baseline | %.4f | 0.734 |%n| jumpstart | %.4f | 0.766 |%n%n",
                best[0], best[1]));
        for (String m : a.methods()) {
            sb.append("### ").append(m).append("\n\n").append(a.accuracyTable(m)).append('\n');
        }
        AtomicFiles.writeString(ctx.out().resolve("report.md"), sb.toString());
        log.printf(Locale.ROOT, "wall time %.1f s; wrote %s%n", result.seconds(), ctx.out());
        log.flush();
    }
}
