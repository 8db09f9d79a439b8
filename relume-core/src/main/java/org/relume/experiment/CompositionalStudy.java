package org.relume.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.relume.experiment.CompositionalExperiment.Method;
import org.relume.experiment.CompositionalExperiment.Problem;
import org.relume.experiment.CompositionalExperiment.Result;
import org.relume.experiment.CompositionalExperiment.Settings;
import org.relume.train.TrainingHistory;

/**
 * The compositional paper's comparison (Milkert et al., Section 4.2, Tables 1-2: several methods,
 * many models each, min and mean MSE) on any 1-D problem, so that the paper's claim can be tested
 * on data it did not use ({@code relume compose --data ... --method all --models N}). Model k of
 * every method uses seed {@code firstSeed + k}, so the compositional methods share starting peaks.
 */
public final class CompositionalStudy {
    private CompositionalStudy() {}

    /** Aggregate over the models of one method and target (MSE in the data's units). */
    public record Summary(Method method, String target, int models, double minMse, double meanMse, double medianMse,
                          double meanMseAfterStage1, double constantAtInit, double piecesAtInit, double piecesAfterStage1,
                          double piecesAtEnd, double seconds) {}

    /** Every method's models, one network per core; results in method-then-model order. */
    public static List<Result> run(Problem problem, List<Method> methods, int models, long firstSeed, Settings s, int threads,
                                   Reproduction.Progress progress) throws IOException {
        if (models < 1 || methods.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one method and one model, got " + methods.size()
                    + " methods and " + models + " models");
        }
        List<ParallelRuns.Task<Result>> tasks = new ArrayList<>();
        for (Method m : methods) {
            for (int k = 0; k < models; k++) {
                final int model = k;
                tasks.add(new ParallelRuns.Task<>(m.id() + "/" + model,
                        () -> CompositionalExperiment.run(m, problem, model, firstSeed + model, s)));
            }
        }
        Reproduction.Context ctx = new Reproduction.Context(false, null, Math.max(1, threads), progress,
                new PrintWriter(Writer.nullWriter()));
        return ParallelRuns.run("compose", tasks, ctx);
    }

    public static Summary summarize(List<Result> results, Method m, String target) {
        List<Result> rs = results.stream().filter(r -> r.method() == m && r.target().equals(target)).toList();
        double[] mse = rs.stream().mapToDouble(Result::mse).sorted().toArray();
        int n = mse.length;
        double median = n == 0 ? Double.NaN : n % 2 == 1 ? mse[n / 2] : 0.5 * (mse[n / 2 - 1] + mse[n / 2]);
        return new Summary(m, target, n, n == 0 ? Double.NaN : mse[0], Arrays.stream(mse).average().orElse(Double.NaN), median,
                rs.stream().mapToDouble(Result::mseAfterStage1).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN),
                rs.stream().filter(Result::constantAtInit).count() / (double) Math.max(1, n),
                rs.stream().mapToInt(Result::piecesAtInit).average().orElse(Double.NaN),
                rs.stream().filter(r -> r.piecesAfterStage1() >= 0).mapToInt(Result::piecesAfterStage1).average().orElse(Double.NaN),
                rs.stream().mapToInt(Result::piecesAtEnd).average().orElse(Double.NaN),
                rs.stream().mapToDouble(Result::seconds).sum());
    }

    /** The model with the median MSE of a method (the upper one of an even count), as the reproduction's figure shows. */
    public static Result median(List<Result> results, Method m) {
        List<Result> rs = new ArrayList<>(results.stream().filter(r -> r.method() == m).toList());
        if (rs.isEmpty()) {
            throw new IllegalArgumentException("no models of method " + m.id());
        }
        rs.sort(Comparator.comparingDouble(Result::mse));
        return rs.get(rs.size() / 2);
    }

    /** One summary per method, in the order given. */
    public static List<Summary> summaries(List<Result> results, List<Method> methods, String target) {
        return methods.stream().map(m -> summarize(results, m, target)).toList();
    }

    /** A Markdown table of the summaries, for the terminal and the README alike. */
    public static String table(List<Summary> summaries) {
        StringBuilder sb = new StringBuilder("| method | models | min MSE | mean MSE | median MSE | mean MSE after stage 1 |"
                + " constant at init | pieces at init | after stage 1 | at end |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary s : summaries) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3g | %.3g | %.3g | %s | %.0f%% | %.1f | %s | %.1f |%n",
                    s.method().id(), s.models(), s.minMse(), s.meanMse(), s.medianMse(), dash(s.meanMseAfterStage1(), "%.3g"),
                    100 * s.constantAtInit(), s.piecesAtInit(), dash(s.piecesAfterStage1(), "%.1f"), s.piecesAtEnd()));
        }
        return sb.toString();
    }

    /** results.csv: one row per method. */
    public static String resultsCsv(List<Summary> summaries) {
        StringBuilder sb = new StringBuilder("method,target,models,min_mse,mean_mse,median_mse,mean_mse_after_stage1,"
                + "constant_at_init,mean_pieces_at_init,mean_pieces_after_stage1,mean_pieces_at_end,seconds\n");
        for (Summary s : summaries) {
            sb.append(String.join(",", s.method().id(), csvText(s.target()), Integer.toString(s.models()), num(s.minMse()),
                    num(s.meanMse()), num(s.medianMse()), num(s.meanMseAfterStage1()), num(s.constantAtInit()),
                    num(s.piecesAtInit()), num(s.piecesAfterStage1()), num(s.piecesAtEnd()), num(s.seconds()))).append('\n');
        }
        return sb.toString();
    }

    /** models.csv: one row per model, with its seed. */
    public static String modelsCsv(List<Result> results, long firstSeed) {
        StringBuilder sb = new StringBuilder("method,model,seed,mse,mse_after_stage1,pieces_at_init,pieces_after_stage1,"
                + "pieces_at_end,constant_at_init,seconds\n");
        for (Result r : results) {
            sb.append(String.join(",", r.method().id(), Integer.toString(r.model()), Long.toString(firstSeed + r.model()),
                    num(r.mse()), num(r.mseAfterStage1()), Integer.toString(r.piecesAtInit()),
                    Integer.toString(r.piecesAfterStage1()), Integer.toString(r.piecesAtEnd()),
                    Boolean.toString(r.constantAtInit()), num(r.seconds()))).append('\n');
        }
        return sb.toString();
    }

    private static String dash(double v, String format) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : TrainingHistory.format(v);
    }

    /** A csv path may hold commas; quoted as RFC 4180 says. */
    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
