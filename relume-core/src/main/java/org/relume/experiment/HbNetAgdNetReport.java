package org.relume.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.relume.experiment.HbNetAgdNetReproduction.Arm;
import org.relume.experiment.HbNetAgdNetReproduction.Pair;
import org.relume.experiment.HbNetAgdNetReproduction.Profile;
import org.relume.experiment.HbNetAgdNetReproduction.Run;

/**
 * The report of {@link HbNetAgdNetReproduction}: the paper's Table 4 rows beside ours, per pair and
 * size the mean and spread of test error over seeds, and a verdict that says whether the pair
 * differs beyond that spread (the mean +- one standard deviation ranges do not overlap).
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

    Spread spread(String model, int n) {
        return Spread.of(runs.stream().filter(r -> r.model().equals(model) && r.n() == n).map(Run::testError).toList());
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now()).append("\n\n");
        for (Arm a : profile.arms()) {
            sb.append("- ").append(a.pair().id).append(": ").append(a.describe()).append('\n');
        }
        sb.append("- seeds ").append(profile.seeds()).append('\n');
        sb.append("- ResNet: x_{k+1} = relu(T(x_k) + x_k); HB-Net: x_{k+1} = relu(T(x_k) + x_k - x_{k-1}) (eq. 16),"
                + " T = conv-BN-ReLU-conv-BN, three blocks of n units at widths w, 2w, 4w, 6n + 2 layers\n");
        sb.append("- DenseNet: z_{k+1} = T([z_0..z_k]); AGD-Net: z_{k+1} = sum_j alpha_j T_j(z_j) + 0.1 (z_k - sum_j h_j z_j)"
                + " (eq. 21, T_j computed once, alpha learned from 1, h from eq. 5); T = BN-ReLU-conv3x3 adding k maps,"
                + " three blocks of n layers, transitions BN-ReLU-conv1x1-avgpool, 3n + 4 layers\n");
        sb.append("- test error on the data's test files (t10k / test_batch), in %\n");
        double own = runs.stream().mapToDouble(Run::seconds).sum();
        sb.append(String.format(Locale.ROOT, "- wall time of this invocation %.0f s on %d threads; the %d models' own"
                + " times, including any resumed from an earlier invocation, sum to %.0f s%n%n", wall, ctx.threads(),
                runs.size(), own));
        sb.append("## The paper's Table 4 (CIFAR-10, no augmentation, error %)\n\n| model | baseline | theirs |\n|---|---|---|\n");
        double[][] res = HbNetAgdNetReproduction.PAPER_CIFAR10;
        double[][] dense = HbNetAgdNetReproduction.PAPER_DENSE_CIFAR10;
        sb.append(String.format(Locale.ROOT, "| ResNet / HB-Net, n = 9 | %.2f | %.2f |%n| ResNet / HB-Net, n = 18 | %.2f | %.2f |%n",
                res[0][0], res[0][1], res[1][0], res[1][1]));
        sb.append(String.format(Locale.ROOT, "| DenseNet / AGD-Net, k = 12, L = 40 | %.2f | %.2f |%n"
                + "| DenseNet / AGD-Net, k = 12, L = 52 | %.2f | %.2f |%n%n", dense[0][0], dense[0][1], dense[1][0], dense[1][1]));
        sb.append("## Ours (").append(profile.data().startsWith("cifar:") ? "CIFAR" : "Fashion-MNIST").append(")\n\n");
        sb.append("| pair | n | layers | baseline error % (mean ± sd) | theirs error % | theirs - baseline |"
                + " beyond the seed spread? | parameters (baseline / theirs) |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Arm a : profile.arms()) {
            for (int n : a.ns()) {
                comparison(sb, a.pair(), n);
            }
        }
        sb.append("\n## Every model\n\n| model | n | seed | test error % | train accuracy | parameters | seconds |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.4f | %d | %.1f |%n", r.model(), r.n(),
                    r.seed(), r.testError(), r.trainAccuracy(), r.parameters(), r.seconds()));
        }
        return sb.toString();
    }

    private void comparison(StringBuilder sb, Pair pair, int n) {
        Spread base = spread(pair.baseline, n);
        Spread ours = spread(pair.ours, n);
        boolean apart = base.mean() + base.sd() < ours.mean() - ours.sd() || ours.mean() + ours.sd() < base.mean() - base.sd();
        sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %+.2f | %s | %s / %s |%n", pair.id, n,
                pair.depth(n), base.text(), ours.text(), ours.mean() - base.mean(),
                base.count() < 2 ? "one seed: cannot tell" : apart ? "yes" : "no", parameters(pair.baseline, n),
                parameters(pair.ours, n)));
    }

    private String parameters(String model, int n) {
        return runs.stream().filter(r -> r.model().equals(model) && r.n() == n).findFirst()
                .map(r -> String.valueOf(r.parameters())).orElse("-");
    }
}
