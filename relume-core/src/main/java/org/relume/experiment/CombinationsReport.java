package org.relume.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.relume.experiment.CombinationsReproduction.Outcome;
import org.relume.experiment.CombinationsReproduction.Profile;
import org.relume.experiment.Reproduction.Context;

/**
 * The tables of {@link CombinationsReproduction}: per method, the mean and seed spread of each cell
 * ({@link Spread}), with how many seeds trained on MOONS and the best seed on the curves, so that a
 * mean pulled by one dead seed shows as such.
 */
final class CombinationsReport {
    private CombinationsReport() {}

    private static List<Outcome> of(List<Outcome> all, String target, String method, int depth) {
        return all.stream().filter(o -> o.error() == null && o.cell().target().equals(target)
                && o.cell().method().equals(method) && o.cell().depth() == depth).toList();
    }

    /** MOONS: validation accuracy mean ± sd, seeds trained (accuracy at least 0.9) and mean dead units, per depth. */
    static String moonsTable(Profile p, List<Outcome> all) {
        StringBuilder sb = new StringBuilder("| method |");
        for (int d : p.moonsDepths()) {
            sb.append(String.format(Locale.ROOT, " depth %d: val. accuracy | trained | dead units |", d));
        }
        sb.append("\n|---|").append("---|---|---|".repeat(p.moonsDepths().size())).append('\n');
        for (String m : CombinationsReproduction.MOONS_METHODS) {
            sb.append("| ").append(m).append(" |");
            for (int d : p.moonsDepths()) {
                List<Outcome> os = of(all, "moons", m, d);
                Spread acc = Spread.of(os.stream().map(Outcome::metric).toList());
                long trained = os.stream().filter(o -> o.metric() >= DepthWidthAnalysis.TRAINED).count();
                double dead = os.stream().mapToInt(Outcome::deadUnits).average().orElse(Double.NaN);
                sb.append(String.format(Locale.ROOT, " %.3f ± %.3f | %d/%d | %.1f |", acc.mean(), acc.sd(), trained, os.size(),
                        dead));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Curves: MSE mean ± sd and the best seed's, per target. */
    static String curveTable(Profile p, List<Outcome> all) {
        StringBuilder sb = new StringBuilder("| method |");
        for (String t : p.curves()) {
            sb.append(' ').append(t.replace("|", "\\|")).append(": MSE mean ± sd | min |");
        }
        sb.append("\n|---|").append("---|---|".repeat(p.curves().size())).append('\n');
        for (String m : CombinationsReproduction.CURVE_METHODS) {
            sb.append("| ").append(m).append(" |");
            for (String t : p.curves()) {
                List<Outcome> os = of(all, t, m, p.curveDepth());
                Spread mse = Spread.of(os.stream().map(Outcome::metric).toList());
                double min = os.stream().mapToDouble(Outcome::metric).min().orElse(Double.NaN);
                sb.append(String.format(Locale.ROOT, " %.2g ± %.2g | %.2g |", mse.mean(), mse.sd(), min));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String report(String title, Context ctx, Profile p, List<Outcome> all, double wall, int resumed) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        sb.append("Command: `relume reproduce combinations").append(ctx.quick() ? " --quick" : "").append(" --out ")
                .append(ctx.out()).append("`  \n");
        sb.append("Profile: **").append(ctx.quick() ? "quick" : "full").append("**; written ").append(Instant.now())
                .append("\n\n## Settings\n\n- ").append(p.describe()).append('\n');
        sb.append("- growth methods start at width - 1 and GradMax adds one unit to the hidden layers in turn, one per"
                + " growth, depth times, so every method of a cell ends on the same network; the new units' incoming"
                + " weights are zero, so no growth changes the function\n");
        sb.append("- enforced / free: compositional stage 1 (peaks; scales by eq. 5, or free), then stage 2 as"
                + " ordinary weights, plain or with jumpstart\n");
        double cpu = all.stream().mapToDouble(Outcome::seconds).sum();
        sb.append(String.format(Locale.ROOT, "- wall time of this invocation %.1f s on %d threads (%d runs now, %d resumed);"
                + " the runs' own times sum to %.1f s%n", wall, ctx.threads(), all.size() - resumed, resumed, cpu));
        List<Outcome> failed = all.stream().filter(o -> o.error() != null).toList();
        sb.append("- failed runs: ").append(failed.size());
        for (Outcome o : failed) {
            sb.append("; ").append(o.cell().key()).append(": ").append(o.error());
        }
        sb.append("\n\n## MOONS, width ").append(p.moonsWidth()).append(" (mean ± sd over seeds ").append(p.moonsSeeds())
                .append(")\n\nA run has *trained* when its validation accuracy is at least ").append(DepthWidthAnalysis.TRAINED)
                .append(" (one error of 15 allowed; a dead network scores 0.4 or 0.6).\n\n");
        sb.append(moonsTable(p, all));
        sb.append("\n## 1-D curves, 1-[4 x ").append(p.curveDepth()).append("]-1 (mean ± sd over seeds ").append(p.curveSeeds())
                .append(")\n\nMSE over the 500 training points in the data's units (the compositional paper's measure).\n\n");
        sb.append(curveTable(p, all));
        sb.append("\nEvery run's row, with its dead units, dead points and final architecture, is in results.csv.\n");
        return sb.toString();
    }
}
