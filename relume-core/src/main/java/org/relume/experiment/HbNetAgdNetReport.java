package org.relume.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.relume.blocks.ResidualNets;
import org.relume.experiment.HbNetAgdNetReproduction.Profile;
import org.relume.experiment.HbNetAgdNetReproduction.Run;

/**
 * The report of {@link HbNetAgdNetReproduction}: the paper's Table 4 rows beside ours, per size the
 * mean and spread of test error over seeds, and a verdict that says whether the pair differs beyond
 * that spread (the mean +- one standard deviation ranges do not overlap).
 */
final class HbNetAgdNetReport {
    private final String title;
    private final Profile profile;
    private final List<Run> runs;
    private final double wall;
    private final Reproduction.Context ctx;

    HbNetAgdNetReport(String title, Profile profile, List<Run> runs, double wall, Reproduction.Context ctx) {
        this.title = title;
        this.profile = profile;
        this.runs = runs;
        this.wall = wall;
        this.ctx = ctx;
    }

    Spread spread(ResidualNets.Kind kind, int n) {
        return Spread.of(runs.stream().filter(r -> r.kind() == kind && r.n() == n).map(Run::testError).toList());
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now()).append("\n\n");
        sb.append("- ").append(profile.describe()).append("; seeds ").append(profile.seeds()).append('\n');
        sb.append("- ResNet: x_{k+1} = relu(T(x_k) + x_k); HB-Net: x_{k+1} = relu(T(x_k) + x_k - x_{k-1}) (eq. 16),"
                + " T = conv-BN-ReLU-conv-BN, three blocks of n units at widths w, 2w, 4w, 6n + 2 layers\n");
        sb.append("- test error on the data's test files (t10k / test_batch), in %\n");
        double own = runs.stream().mapToDouble(Run::seconds).sum();
        sb.append(String.format(Locale.ROOT, "- wall time of this invocation %.0f s on %d threads; the %d models' own"
                + " times, including any resumed from an earlier invocation, sum to %.0f s%n%n", wall, ctx.threads(),
                runs.size(), own));
        sb.append("## The paper's Table 4 (CIFAR-10, no augmentation, error %)\n\n| n | ResNet | HB-Net |\n|---|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| 9 | %.2f | %.2f |%n| 18 | %.2f | %.2f |%n%n",
                HbNetAgdNetReproduction.PAPER_CIFAR10[0][0], HbNetAgdNetReproduction.PAPER_CIFAR10[0][1],
                HbNetAgdNetReproduction.PAPER_CIFAR10[1][0], HbNetAgdNetReproduction.PAPER_CIFAR10[1][1]));
        sb.append("The paper's DenseNet / AGD-Net rows (k = 12, L = 40: 7.00 / 6.44; L = 52: 6.05 / 5.75) are not run:"
                + " those structures are not built yet.\n\n");
        sb.append("## Ours (").append(profile.data().startsWith("cifar:") ? "CIFAR" : "Fashion-MNIST").append(")\n\n");
        sb.append("| n | layers | ResNet error % (mean ± sd) | HB-Net error % | HB-Net - ResNet | beyond the seed spread? |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (int n : profile.ns()) {
            Spread res = spread(ResidualNets.Kind.RESNET, n);
            Spread hb = spread(ResidualNets.Kind.HBNET, n);
            boolean apart = res.mean() + res.sd() < hb.mean() - hb.sd() || hb.mean() + hb.sd() < res.mean() - res.sd();
            sb.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %+.2f | %s |%n", n, ResidualNets.depth(n),
                    res.text(), hb.text(), hb.mean() - res.mean(),
                    res.count() < 2 ? "one seed: cannot tell" : apart ? "yes" : "no"));
        }
        sb.append("\n## Every model\n\n| model | n | seed | test error % | train accuracy | parameters | seconds |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.4f | %d | %.1f |%n", r.kind().id(), r.n(),
                    r.seed(), r.testError(), r.trainAccuracy(), r.parameters(), r.seconds()));
        }
        return sb.toString();
    }
}
