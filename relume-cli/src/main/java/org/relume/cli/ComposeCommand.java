package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.compose.Convexity;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Curves;
import org.relume.data.DataSources;
import org.relume.data.Task;
import org.relume.experiment.CompositionalExperiment;
import org.relume.experiment.CompositionalExperiment.Method;
import org.relume.experiment.CompositionalExperiment.Problem;
import org.relume.experiment.CompositionalExperiment.Result;
import org.relume.experiment.CompositionalExperiment.Settings;
import org.relume.experiment.CompositionalExperiment.Target;
import org.relume.experiment.CompositionalFigures;
import org.relume.experiment.CompositionalStudy;
import org.relume.experiment.CompositionalStudy.Summary;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.train.TrainingHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relume compose}: compositional (or baseline) models of a 1-D curve: one model with
 * figures, or several methods over several models compared by min and mean MSE, on the paper's
 * targets or on any 1-D regression data ({@code curve:}, {@code fn:}, {@code csv:}).
 */
@Command(name = "compose",
        header = "Fit a 1-D curve with a width-4 compositional ReLU network (two-stage pretraining) or a baseline.",
        description = {
            "Methods: enforced (stage 1 trains the peaks, scales follow eq. 5), free (stage 1 trains peaks and"
                + " scales), no-pretrain (the compositional network trained as ordinary weights), default (PyTorch"
                + " init), raai.",
            "",
            "Data: --target (the paper's curves on [0, 1]) or --data, any 1-D regression data:"
                + " curve:NAME[:n=,lo=,hi=], fn:EXPR[:n=500,lo=0,hi=1] (an expression in x: + - * / ^, e, pi, exp log"
                + " sin cos tanh sqrt abs) or csv:PATH (one feature column and the target; --label, --features choose"
                + " them). The data's x range and the targets at its ends are mapped onto the construction's [0, 1] ->"
                + " (0, 0)..(1, 1) for training and mapped back into the saved network; --waves auto adds the waves for"
                + " data above their chord and subtracts them below it.",
            "",
            "One method and one model: writes DIR/model.safetensors, model.json, metrics.csv (with a stage column),"
                + " summary.json, fit.png/.svg (target vs fit and the error) and waves.png/.svg (every hidden layer's"
                + " units over [0, 1]). Several (--method all, --models N): prints min, mean and median MSE per method"
                + " and writes DIR/results.csv, models.csv, summary.json and fits.png/.svg (the data beside each"
                + " method's median model).",
            "",
            "Examples:",
            "  relume compose --target x3 --depth 5 --method enforced --epochs 1000 \\",
            "      --seed 1 --out runs/x3-enforced",
            "  relume compose --data 'fn:(exp(x)-1)/(e-1)' --method all --models 20",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class ComposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "NAME",
            description = "x3, x11 (waves subtracted), tanh3, sin (waves added) (default: x3 when --data is not given).")
    String target;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Any 1-D regression data instead: curve:NAME[:n=500,lo=0,hi=1], fn:EXPR[:n=500,lo=0,hi=1], csv:PATH.")
    String data;

    @Option(names = "--label", paramLabel = "COL", description = "csv: the target column (default: the last).")
    String label;

    @Option(names = "--features", paramLabel = "COL", description = "csv: the one feature column (default: all but the label).")
    String feature;

    @Option(names = "--waves", defaultValue = "auto", paramLabel = "auto|added|subtracted",
            description = "Add the waves to the chord or subtract them; auto: the target's sign, or the data's side of their chord (default: ${DEFAULT-VALUE}).")
    String waves;

    @Option(names = "--depth", defaultValue = "5", paramLabel = "D", description = "Hidden layers, 4 units each (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--method", defaultValue = "enforced", paramLabel = "M[,M...]",
            description = "enforced, free, no-pretrain, default, raai, a comma-separated list, or all (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--models", defaultValue = "1", paramLabel = "N",
            description = "Models per method; model k uses seed --seed + k (default: ${DEFAULT-VALUE}).")
    int models;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads for several models (default: the number of cores).")
    Integer threads;

    @Option(names = "--epochs", defaultValue = "1000", paramLabel = "N", description = "Total epochs, both stages (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--pretrain-epochs", defaultValue = "500", paramLabel = "N",
            description = "Stage-1 epochs for enforced and free (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "RATE", description = "Adam learning rate of stage 2 and the baselines (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--pretrain-lr", defaultValue = "1e-2", paramLabel = "RATE", description = "Adam learning rate of stage 1 (default: ${DEFAULT-VALUE}).")
    double pretrainLr;

    @Option(names = "--points", paramLabel = "N", description = "--target only: evenly spaced points on [0, 1] (default: 500).")
    Integer points;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the starting peaks or initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Method> methods = methods();
        validate();
        boolean one = methods.size() == 1 && models == 1;
        if (out != null && one) {
            ModelDirectory.checkOutput(out);
        } else if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
        Problem problem = problem();
        boolean pretraining = methods.contains(Method.ENFORCED) || methods.contains(Method.FREE);
        if (pretraining && pretrainEpochs > epochs) {
            throw new IllegalArgumentException("--pretrain-epochs (" + pretrainEpochs + ") exceeds --epochs (" + epochs + ")");
        }
        Settings s = new Settings(depth, problem.data().size(), epochs, pretraining ? pretrainEpochs : 0, lr, pretrainLr);
        if (one) {
            single(problem, methods.get(0), s);
        } else {
            study(problem, methods, s);
        }
        return Relume.OK;
    }

    private List<Method> methods() {
        if (method.strip().equalsIgnoreCase("all")) {
            return List.of(Method.values());
        }
        List<Method> list = new ArrayList<>();
        for (String name : method.split(",", -1)) {
            Method m = Method.byName(name);
            if (list.contains(m)) {
                throw new IllegalArgumentException("--method names " + m.id() + " twice");
            }
            list.add(m);
        }
        return list;
    }

    private void validate() {
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        }
        if (depth < 1 || depth > 20) {
            throw new IllegalArgumentException("--depth must be in 1..20, got " + depth);
        }
        if (models < 1 || models > 10_000) {
            throw new IllegalArgumentException("--models must be in 1..10000, got " + models);
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be positive, got " + threads);
        }
        if (!List.of("auto", "added", "subtracted").contains(waves)) {
            throw new IllegalArgumentException("--waves must be auto, added or subtracted, got '" + waves + "'");
        }
        if (data != null && (target != null || points != null)) {
            throw new IllegalArgumentException("--" + (target != null ? "target" : "points") + " is for the paper's curves; with"
                    + " --data give the grid in the spec instead, e.g. curve:x3:n=200 or fn:x^2:n=200,lo=0,hi=1");
        }
        if (data == null && (label != null || feature != null)) {
            throw new IllegalArgumentException("--label and --features choose csv columns; they need --data csv:PATH");
        }
        if (points != null && points < 2) {
            throw new IllegalArgumentException("--points must be at least 2, got " + points);
        }
    }

    /** The paper's target as it always was (identity frame), or the user's data in their own frame. */
    private Problem problem() {
        Sign given = waves.equals("auto") ? null : waves.equals("added") ? Sign.ADDED : Sign.SUBTRACTED;
        if (data == null) {
            Target t = Target.byName(target == null ? "x3" : target);
            Problem paper = Problem.paper(t, points == null ? Curves.DEFAULT_SAMPLES : points);
            return given == null ? paper : new Problem(paper.name(), paper.data(), given, paper.frame());
        }
        boolean csv = data.strip().toLowerCase(Locale.ROOT).startsWith("csv:");
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request(data, seed, 0, label,
                csv ? Task.REGRESSION : null, 0, feature == null ? List.of() : List.of(feature), List.of()));
        Relume.warn(spec, loaded.warnings());
        return Problem.of(data.strip(), loaded.split().train(), given);
    }

    private String waveLine(Problem p) {
        String why = !waves.equals("auto") ? "as asked"
                : data == null ? "the paper's sign for " + p.name()
                : String.format(Locale.ROOT, "chosen from the data: mean gap to the chord %.4g, so they lie %s it", Convexity.meanGap(
                        p.unitData()), p.sign() == Sign.SUBTRACTED ? "below" : "above");
        return String.format(Locale.ROOT, "waves    %s (%s); frame %s%n", p.sign().name().toLowerCase(Locale.ROOT), why,
                p.frame().isIdentity() ? "[0, 1] as given" : p.frame());
    }

    private String dataText(Problem p) {
        return data == null ? p.data().size() + " points on [0, 1]" : p.data().size() + " samples of " + p.name();
    }

    private void single(Problem problem, Method m, Settings s) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "compose  %s, method %s, seed %d: %s%n", problem.name(), m.id(), seed, s.describe(dataText(problem)));
        o.print(waveLine(problem));
        o.flush();
        Result r = CompositionalExperiment.run(m, problem, 0, seed, s);
        o.printf(Locale.ROOT, "result   MSE %.3g%s; linear pieces on %s: %d at init%s, %d at the end; %.2f s%n", r.mse(),
                Double.isNaN(r.mseAfterStage1()) ? "" : String.format(Locale.ROOT, " (after stage 1: %.3g)", r.mseAfterStage1()),
                problem.frame().isIdentity() ? "[0, 1]" : "the data's x range", r.piecesAtInit(),
                r.piecesAfterStage1() < 0 ? "" : ", " + r.piecesAfterStage1() + " after stage 1", r.piecesAtEnd(), r.seconds());
        if (r.peaksAfterStage1() != null) {
            o.printf(Locale.ROOT, "peaks    start %s -> after stage 1 %s%n", fmt(r.startPeaks()), fmt(r.peaksAfterStage1()));
        }
        if (out != null) {
            writeModel(problem, m, s, r);
            o.printf("wrote    %s (model.safetensors, model.json, metrics.csv, summary.json, fit.png/.svg, waves.png/.svg)%n", out);
        }
        o.flush();
    }

    private void writeModel(Problem problem, Method m, Settings s, Result r) throws IOException {
        Map<String, Object> prov = provenance(s, problem);
        ModelDirectory.replace(out, dir -> {
            ModelFiles.write(dir, r.network(), new ModelMetadata(Task.REGRESSION, 0, "mse", null, null, List.of("x"), prov));
            AtomicFiles.writeString(dir.resolve("metrics.csv"), metrics(r));
            Map<String, Object> summary = problemSummary(problem, s);
            summary.put("method", m.id());
            summary.put("seed", seed);
            summary.put("train_mse", r.mse());
            summary.put("mse_after_stage1", r.mseAfterStage1());
            summary.put("pieces_at_init", r.piecesAtInit());
            summary.put("pieces_after_stage1", r.piecesAfterStage1() < 0 ? null : r.piecesAfterStage1());
            summary.put("pieces_at_end", r.piecesAtEnd());
            summary.put("constant_at_init", r.constantAtInit());
            summary.put("start_peaks", Arrays.stream(r.startPeaks()).boxed().toList());
            summary.put("peaks_after_stage1", r.peaksAfterStage1() == null ? null : Arrays.stream(r.peaksAfterStage1()).boxed().toList());
            summary.put("epochs", epochs);
            summary.put("seconds", r.seconds());
            Json.write(dir.resolve("summary.json"), summary);
            CompositionalFigures.fit(r.network(), problem.data(), problem.name(), dir.resolve("fit.png"), dir.resolve("fit.svg"));
            CompositionalFigures.waves(r.network(), problem.frame().xLo(), problem.frame().xHi(), dir.resolve("waves.png"),
                    dir.resolve("waves.svg"));
        });
    }

    private void study(Problem problem, List<Method> methods, Settings s) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        o.printf(Locale.ROOT, "compose  %s: %s%n", problem.name(), s.describe(dataText(problem)));
        o.print(waveLine(problem));
        o.printf(Locale.ROOT, "methods  %s; %d model(s) each, seeds %d..%d, %d thread(s)%n",
                String.join(", ", methods.stream().map(Method::id).toList()), models, seed, seed + models - 1, workers);
        o.flush();
        long start = System.nanoTime();
        List<Result> results = CompositionalStudy.run(problem, methods, models, seed, s, workers, new CellProgress(false));
        double wall = (System.nanoTime() - start) / 1e9;
        List<Summary> summaries = CompositionalStudy.summaries(results, methods, problem.name());
        o.print(CompositionalStudy.table(summaries));
        o.printf(Locale.ROOT, "wall     %.1f s (MSE in the data's units, over all %d samples)%n", wall, problem.data().size());
        if (out != null) {
            Files.createDirectories(out);
            AtomicFiles.writeString(out.resolve("results.csv"), CompositionalStudy.resultsCsv(summaries));
            AtomicFiles.writeString(out.resolve("models.csv"), CompositionalStudy.modelsCsv(results, seed));
            Map<String, Object> summary = problemSummary(problem, s);
            summary.put("methods", methods.stream().map(Method::id).toList());
            summary.put("models", models);
            summary.put("first_seed", seed);
            summary.put("seconds", wall);
            summary.put("provenance", provenance(s, problem));
            Json.write(out.resolve("summary.json"), summary);
            CompositionalFigures.fits(methods.stream().map(m -> CompositionalStudy.median(results, m).network()).toList(),
                    methods.stream().map(m -> m.id() + " (median model)").toList(), problem.data(), problem.name(),
                    out.resolve("fits.png"), out.resolve("fits.svg"));
            o.printf("wrote    %s (results.csv, models.csv, summary.json, fits.png/.svg)%n", out);
        }
        o.flush();
    }

    private Map<String, Object> problemSummary(Problem problem, Settings s) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("target", problem.name());
        summary.put("samples", problem.data().size());
        summary.put("waves", problem.sign().name().toLowerCase(Locale.ROOT));
        summary.put("frame", Map.of("x_lo", problem.frame().xLo(), "x_hi", problem.frame().xHi(), "y_lo", problem.frame().yLo(),
                "y_hi", problem.frame().yHi()));
        summary.put("settings", s.describe(dataText(problem)));
        return summary;
    }

    private Map<String, Object> provenance(Settings s, Problem problem) {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("command", "relume " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        prov.put("settings", s.describe(dataText(problem)));
        prov.put("seed", seed);
        prov.put("created", Instant.now().toString());
        prov.putAll(BuildInfo.provenance());
        return prov;
    }

    /** Both stages' rows, with a stage column and epochs counted over the whole run. */
    private static String metrics(Result r) {
        TrainingHistory all = new TrainingHistory();
        int offset = 0;
        if (r.stage1() != null) {
            for (Map<String, Double> row : r.stage1().rows()) {
                Map<String, Double> copy = new LinkedHashMap<>();
                copy.put("stage", 1.0);
                copy.putAll(row);
                all.add(copy);
                offset = row.get("epoch").intValue();
            }
        }
        for (Map<String, Double> row : r.stage2().rows()) {
            Map<String, Double> copy = new LinkedHashMap<>();
            copy.put("stage", 2.0);
            copy.putAll(row);
            copy.put("epoch", row.get("epoch") + offset);
            all.add(copy);
        }
        return all.toCsv();
    }

    private static String fmt(double[] a) {
        return Arrays.stream(a).mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }
}
