package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.data.DataSources;
import org.relume.data.Standardizer;
import org.relume.evaluate.EvaluationData;
import org.relume.geometry.NetworkAnalysis;
import org.relume.geometry.RegionFigure;
import org.relume.io.Json;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume analyze}: unit/point states, exact linear regions, and the shallow-net geometry of a saved model. */
@Command(name = "analyze",
        header = "Analyze a saved model: unit and point states, exact linear regions, Sobolev semi-norm and degeneracies.",
        description = {
            "Reports, per hidden layer, the dead, linear and nonlinear units and points on --data (dead there means"
                + " dead on the data: never active on any sample); the exact linear regions over the data's box or"
                + " [-1, 1]^d (1 input: linear pieces; 2 inputs: activation regions and function pieces); and for a"
                + " one-hidden-layer ReLU net the Sobolev semi-norm (exact for small input dimension, else sampled, as"
                + " the report says) and the degeneracies C.1-C.3, whose dead count is also given as dead everywhere.",
            "",
            "It prints the report and writes files only with --out DIR: DIR/analysis.json and, for 2 inputs, the"
                + " regions drawn as DIR/regions.png and DIR/regions.svg. The model directory is never written.",
            "",
            "Examples:",
            "  relume analyze --model runs/shallow --data moons",
            "  relume analyze --model runs/shallow --data moons --out runs/shallow-analysis",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data for the states and the box: moons, curve:NAME, fn:EXPR, csv:PATH (the columns the model's"
                    + " feature names name, else all but --label) or idx:DIR (all samples).")
    String data;

    @Option(names = "--label", paramLabel = "COL", description = "CSV label column, by header name or 0-based index (default: last column).")
    String label;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N samples: csv: N rows; idx and cifar: N training images (0 = all; generated"
                    + " data take n= in the spec instead).")
    int limit;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write analysis.json and, for 2 inputs, regions.png/.svg into this directory (default: write nothing).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (out != null) {
            checkOutput();
        }
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        saved.network().requireChain("analyze");
        ModelMetadata meta = saved.metadata();
        Tensor samples = samples(saved);
        NetworkAnalysis.Result result = NetworkAnalysis.analyze(saved.network(), samples);
        PrintWriter o = spec.commandLine().getOut();
        for (String line : result.lines()) {
            o.println(line);
        }
        if (out != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.toString());
            report.put("data", data);
            report.put("standardized", meta.standardizesInputs() && data != null);
            report.putAll(result.report());
            write(result, report, saved.network().architecture(), figureExtras(meta, samples));
            o.printf("wrote    %s (analysis.json%s)%n", out, result.regions2d() != null ? ", regions.png, regions.svg" : "");
        }
        o.flush();
        return Relume.OK;
    }

    /**
     * --out is a directory of its own: a .json name is the old meaning (a file), and the model
     * directory, or one inside or around it, would mix the analysis into the model.
     */
    private void checkOutput() {
        if (out.getFileName() != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new IllegalArgumentException("--out names a directory (analysis.json and regions.png go inside it), got "
                    + out);
        }
        ModelDirectory.checkOutput(out, model);
    }

    /**
     * The --data samples in the network's input space, or null without --data. A CSV file's columns
     * are picked by the model's feature names, as evaluate picks them, so id and label columns may stay.
     */
    private Tensor samples(ModelFiles.SavedModel saved) {
        if (data == null) {
            return null;
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = all), got " + limit);
        }
        ModelMetadata meta = saved.metadata();
        int inputs = saved.network().inputSize();
        String text = data.strip();
        Tensor samples;
        if (text.toLowerCase(Locale.ROOT).startsWith("csv:")) {
            String path = text.substring(4).strip();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("bad data spec '" + data + "': csv needs a file path");
            }
            samples = EvaluationData.csvInputs(Path.of(path), meta, inputs, label, limit);
        } else {
            DataSources.Loaded loaded = DataSources.load(new DataSources.Request(data, 1, 0, label, null, limit));
            Relume.warn(spec, loaded.warnings());
            samples = loaded.split().train().features();
        }
        if (samples.cols() != inputs) {
            throw new IllegalArgumentException("the model takes " + inputs + " inputs but " + data + " has " + samples.cols()
                    + " features");
        }
        return meta.standardizesInputs() ? Standardizer.of(meta.inputMean(), meta.inputStd()).apply(samples) : samples;
    }

    /**
     * The regions picture's axis names (the model's feature names, marked when the axes are in
     * standardized units, which is where the regions live) and the data points, if any.
     */
    private static RegionFigure.Extras figureExtras(ModelMetadata meta, Tensor samples) {
        List<String> names = meta.featureNames().size() == 2 ? meta.featureNames() : List.of("x0", "x1");
        String unit = meta.standardizesInputs() ? " (standardized)" : "";
        int n = samples == null || samples.cols() != 2 ? 0 : samples.rows();
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = samples.get(i, 0);
            ys[i] = samples.get(i, 1);
        }
        return new RegionFigure.Extras(names.get(0) + unit, names.get(1) + unit, xs, ys);
    }

    /** Replaces --out as a unit, like a model directory, so a killed run leaves the old analysis or the new one. */
    private void write(NetworkAnalysis.Result result, Map<String, Object> report, String architecture,
                       RegionFigure.Extras extras) throws IOException {
        ModelDirectory.replace(out, dir -> {
            if (result.regions2d() != null) {
                RegionFigure.write(result.regions2d(), architecture, extras, dir.resolve("regions.png"),
                        dir.resolve("regions.svg"));
                report.put("regions_picture", "regions.png");
            }
            Json.write(dir.resolve("analysis.json"), report);
        });
    }
}
