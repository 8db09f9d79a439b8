package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.data.DataSources;
import org.relume.data.Standardizer;
import org.relume.evaluate.EvaluationData;
import org.relume.geometry.NetworkAnalysis;
import org.relume.geometry.RegionFigure;
import org.relume.io.Json;
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
            "Reports, per hidden layer, dead/linear/nonlinear units and points on --data;",
            "the exact linear regions over the data's box or [-1, 1]^d (1-D: pieces; 2-D:",
            "activation regions and function pieces, drawn as regions.png/.svg); and for",
            "a one-hidden-layer ReLU net the Sobolev semi-norm (exact for small input",
            "dimension, else sampled, as the report says) and the degeneracies C.1-C.3.",
            "The JSON report goes to --out FILE (default: MODEL/analysis.json), the",
            "region pictures next to it.",
            "",
            "Examples:",
            "  relume analyze --model runs/moons --data moons",
            "  relume analyze --model runs/shallow --out runs/shallow-analysis.json",
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

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Use at most N samples of each csv/idx file (0 = all).")
    int limit;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the JSON report (default: MODEL/analysis.json).")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        saved.network().requireChain("analyze");
        ModelMetadata meta = saved.metadata();
        Tensor samples = null;
        if (data != null) {
            samples = samples(meta, saved.network().inputSize());
            if (samples.cols() != saved.network().inputSize()) {
                throw new IllegalArgumentException("the model takes " + saved.network().inputSize() + " inputs but " + data
                        + " has " + samples.cols() + " features");
            }
            if (meta.standardizesInputs()) {
                samples = Standardizer.of(meta.inputMean(), meta.inputStd()).apply(samples);
            }
        }
        NetworkAnalysis.Result result = NetworkAnalysis.analyze(saved.network(), samples);
        Path json = out != null ? out : model.resolve("analysis.json");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model.toString());
        report.put("data", data);
        report.put("standardized", meta.standardizesInputs() && data != null);
        report.putAll(result.report());
        PrintWriter o = spec.commandLine().getOut();
        for (String line : result.lines()) {
            o.println(line);
        }
        Path dir = json.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (result.regions2d() != null) {
            Path png = dir.resolve("regions.png");
            Path svg = dir.resolve("regions.svg");
            RegionFigure.write(result.regions2d(), saved.network().architecture(), png, svg);
            report.put("regions_picture", dir.relativize(png).toString());
        }
        Json.write(json, report);
        o.printf("wrote    %s%s%n", json, result.regions2d() != null ? " and regions.png/.svg beside it" : "");
        o.flush();
        return Relume.OK;
    }

    /** A CSV file's columns are picked by the model's feature names, as evaluate picks them, so that id and label columns may stay. */
    private Tensor samples(ModelMetadata meta, int inputs) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = all), got " + limit);
        }
        String text = data.strip();
        if (text.toLowerCase(Locale.ROOT).startsWith("csv:")) {
            String path = text.substring(4).strip();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("bad data spec '" + data + "': csv needs a file path");
            }
            return EvaluationData.csvInputs(Path.of(path), meta, inputs, label, limit);
        }
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request(data, 1, 0, label, null, limit));
        Relume.warn(spec, loaded.warnings());
        return loaded.split().train().features();
    }
}
