package org.relume.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.relume.experiment.DepthWidthExperiment.Outcome;
import org.relume.plot.Figures;

/**
 * Turns a depth x width sweep into the paper's views: validation accuracy per cell (mean over
 * seeds), the heatmaps of Figure 2, and the trainable depth per width.
 *
 * <p>A cell counts as <em>trained</em> when its mean validation accuracy over seeds is at least
 * {@link #TRAINED}. On the 15-point moons validation set that allows one error (14/15 = 0.933),
 * while a dead network, which predicts one class, scores 0.4 or 0.6. The <em>trainable depth</em>
 * of a width is the largest depth in the grid whose cell is trained; the <em>contiguous</em>
 * trainable depth is the largest depth up to which every cell is trained.
 */
public final class DepthWidthAnalysis {
    public static final double TRAINED = 0.9;

    private final List<Outcome> outcomes;
    private final List<Integer> widths;
    private final List<Integer> depths;
    private final double threshold;

    public DepthWidthAnalysis(List<Outcome> outcomes) {
        this(outcomes, TRAINED);
    }

    /** With another bar for "trained" (e.g. clearly above chance on a 10-class task). */
    public DepthWidthAnalysis(List<Outcome> outcomes, double threshold) {
        this.threshold = threshold;
        this.outcomes = List.copyOf(outcomes);
        TreeSet<Integer> w = new TreeSet<>();
        TreeSet<Integer> d = new TreeSet<>();
        for (Outcome o : outcomes) {
            w.add(o.cell().width());
            d.add(o.cell().depth());
        }
        this.widths = List.copyOf(w);
        this.depths = List.copyOf(d);
    }

    /** The validation accuracy from which a cell counts as trained. */
    public double threshold() {
        return threshold;
    }

    public List<Integer> widths() {
        return widths;
    }

    public List<Integer> depths() {
        return depths;
    }

    /** Mean validation accuracy over the cell's seeds (failed runs count as NaN and are skipped); NaN if none. */
    public double accuracy(String method, int width, int depth) {
        double sum = 0;
        int n = 0;
        for (Outcome o : outcomes) {
            if (o.cell().method().equals(method) && o.cell().width() == width && o.cell().depth() == depth
                    && !o.failed() && !Double.isNaN(o.validationAccuracy())) {
                sum += o.validationAccuracy();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public boolean trained(String method, int width, int depth) {
        double a = accuracy(method, width, depth);
        return !Double.isNaN(a) && a >= threshold;
    }

    /** Largest trained depth for the width, or 0 if none. */
    public int trainableDepth(String method, int width) {
        int best = 0;
        for (int d : depths) {
            if (trained(method, width, d)) {
                best = d;
            }
        }
        return best;
    }

    /** Largest depth up to which every grid depth is trained, or 0. */
    public int contiguousTrainableDepth(String method, int width) {
        int best = 0;
        for (int d : depths) {
            if (Double.isNaN(accuracy(method, width, d))) {
                continue;
            }
            if (!trained(method, width, d)) {
                break;
            }
            best = d;
        }
        return best;
    }

    public List<String> methods() {
        TreeSet<String> m = new TreeSet<>();
        for (Outcome o : outcomes) {
            m.add(o.cell().method());
        }
        List<String> ordered = new ArrayList<>();
        if (m.remove(DepthWidthExperiment.BASELINE)) {
            ordered.add(DepthWidthExperiment.BASELINE);
        }
        ordered.addAll(m);
        return ordered;
    }

    /** Heatmaps (width across, depth down, colour = mean validation accuracy), one per method, side by side. */
    public void writeHeatmaps(Path png, Path svg) throws IOException {
        List<Figures.Heatmap> panels = new ArrayList<>();
        List<String> xs = widths.stream().map(String::valueOf).toList();
        List<String> ys = depths.stream().map(String::valueOf).toList();
        for (String method : methods()) {
            double[][] v = new double[depths.size()][widths.size()];
            for (int r = 0; r < depths.size(); r++) {
                for (int c = 0; c < widths.size(); c++) {
                    v[r][c] = accuracy(method, widths.get(c), depths.get(r));
                }
            }
            panels.add(new Figures.Heatmap(method + ": validation accuracy", "width (" + cellNote() + ")", "depth", xs, ys, v));
        }
        Figures.heatmaps(panels, 0.4, 1.0, png, svg);
    }

    /** What one heatmap cell is: a single run, or the mean over the seeds run for it. */
    String cellNote() {
        TreeSet<Long> seeds = new TreeSet<>();
        for (Outcome o : outcomes) {
            seeds.add(o.cell().seed());
        }
        if (seeds.isEmpty()) {
            return "no runs";
        }
        return seeds.size() == 1 ? "each cell one run, seed " + seeds.first() : "each cell the mean of " + seeds.size()
                + " seeds' runs";
    }

    /** A Markdown table: width, then per method the trainable and contiguous trainable depth. */
    public String trainableDepthTable() {
        StringBuilder sb = new StringBuilder("| width |");
        for (String m : methods()) {
            sb.append(' ').append(m).append(" (largest trained depth) | ").append(m).append(" (all depths up to) |");
        }
        sb.append("\n|---|");
        sb.append("---|---|".repeat(methods().size())).append('\n');
        for (int w : widths) {
            sb.append("| ").append(w).append(" |");
            for (String m : methods()) {
                sb.append(' ').append(trainableDepth(m, w)).append(" | ").append(contiguousTrainableDepth(m, w)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A Markdown table of mean validation accuracy, depth down, width across, for one method. */
    public String accuracyTable(String method) {
        StringBuilder sb = new StringBuilder("| depth \\ width |");
        for (int w : widths) {
            sb.append(' ').append(w).append(" |");
        }
        sb.append("\n|---|").append("---|".repeat(widths.size())).append('\n');
        for (int d : depths) {
            sb.append("| ").append(d).append(" |");
            for (int w : widths) {
                double a = accuracy(method, w, d);
                sb.append(' ').append(Double.isNaN(a) ? "–" : String.format(Locale.ROOT, "%.2f", a)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public int failedRuns() {
        return (int) outcomes.stream().filter(Outcome::failed).count();
    }

    public double cellSeconds() {
        return outcomes.stream().mapToDouble(Outcome::seconds).filter(Double::isFinite).sum();
    }
}
