package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.data.Task;
import org.relume.experiment.CompositionalExperiment;
import org.relume.experiment.CompositionalExperiment.Method;
import org.relume.experiment.CompositionalExperiment.Result;
import org.relume.experiment.CompositionalExperiment.Settings;
import org.relume.experiment.CompositionalExperiment.Target;
import org.relume.experiment.CompositionalFigures;
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

/** {@code relume compose}: one compositional (or baseline) model of a 1-D curve, with figures. */
@Command(name = "compose",
        header = "Fit a 1-D curve with a width-4 compositional ReLU network (two-stage pretraining) or a baseline.",
        description = {
            "Methods: enforced (stage 1 trains the peaks, scales follow eq. 5), free (stage 1 trains peaks and"
                + " scales), no-pretrain (the compositional network trained as ordinary weights), default (PyTorch"
                + " init), raai. Writes DIR/model.safetensors, model.json, metrics.csv (with a stage column),"
                + " summary.json, fit.png/.svg (target vs fit and the error) and waves.png/.svg (every hidden layer's"
                + " units over [0, 1]).",
            "",
            "Example:",
            "  relume compose --target x3 --depth 5 --method enforced --epochs 1000 \\",
            "      --seed 1 --out runs/x3-enforced",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class ComposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", defaultValue = "x3", paramLabel = "NAME",
            description = "x3, x11 (waves subtracted), tanh3, sin (waves added) (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--depth", defaultValue = "5", paramLabel = "D", description = "Hidden layers, 4 units each (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--method", defaultValue = "enforced", paramLabel = "M",
            description = "enforced, free, no-pretrain, default or raai (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--epochs", defaultValue = "1000", paramLabel = "N", description = "Total epochs, both stages (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--pretrain-epochs", defaultValue = "500", paramLabel = "N",
            description = "Stage-1 epochs for enforced and free (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "RATE", description = "Adam learning rate of stage 2 and the baselines (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--pretrain-lr", defaultValue = "1e-2", paramLabel = "RATE", description = "Adam learning rate of stage 1 (default: ${DEFAULT-VALUE}).")
    double pretrainLr;

    @Option(names = "--points", defaultValue = "500", paramLabel = "N", description = "Evenly spaced points on [0, 1] (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the starting peaks or initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (out != null) {
            ModelDirectory.checkOutput(out);
        }
        Target t = Target.byName(target);
        Method m = Method.byName(method);
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        }
        if (depth < 1 || depth > 20) {
            throw new IllegalArgumentException("--depth must be in 1..20, got " + depth);
        }
        int stage1 = m == Method.ENFORCED || m == Method.FREE ? pretrainEpochs : 0;
        if (stage1 > epochs) {
            throw new IllegalArgumentException("--pretrain-epochs (" + pretrainEpochs + ") exceeds --epochs (" + epochs + ")");
        }
        Settings s = new Settings(depth, points, epochs, stage1, lr, pretrainLr);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "compose  %s, method %s, seed %d: %s%n", t.id(), m.id(), seed, s.describe());
        o.flush();
        Result r = CompositionalExperiment.run(m, t, 0, seed, s);
        o.printf(Locale.ROOT, "result   MSE %.3g%s; linear pieces on [0, 1]: %d at init%s, %d at the end; %.2f s%n", r.mse(),
                Double.isNaN(r.mseAfterStage1()) ? "" : String.format(Locale.ROOT, " (after stage 1: %.3g)", r.mseAfterStage1()),
                r.piecesAtInit(), r.piecesAfterStage1() < 0 ? "" : ", " + r.piecesAfterStage1() + " after stage 1",
                r.piecesAtEnd(), r.seconds());
        if (r.peaksAfterStage1() != null) {
            o.printf(Locale.ROOT, "peaks    start %s -> after stage 1 %s%n", fmt(r.startPeaks()), fmt(r.peaksAfterStage1()));
        }
        if (out != null) {
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put("command", "relume " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            prov.put("settings", s.describe());
            prov.put("seed", seed);
            prov.put("created", Instant.now().toString());
            prov.putAll(BuildInfo.provenance());
            ModelDirectory.replace(out, dir -> {
                ModelFiles.write(dir, r.network(), new ModelMetadata(Task.REGRESSION, 0, "mse", null, null, List.of("x"), prov));
                AtomicFiles.writeString(dir.resolve("metrics.csv"), metrics(r));
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("target", t.id());
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
                summary.put("settings", s.describe());
                Json.write(dir.resolve("summary.json"), summary);
                CompositionalFigures.fit(r.network(), t.id(), dir.resolve("fit.png"), dir.resolve("fit.svg"));
                CompositionalFigures.waves(r.network(), dir.resolve("waves.png"), dir.resolve("waves.svg"));
            });
            o.printf("wrote    %s (model.safetensors, model.json, metrics.csv, summary.json, fit.png/.svg, waves.png/.svg)%n", out);
        }
        o.flush();
        return Relume.OK;
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
