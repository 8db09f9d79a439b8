package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.nn.Defaults;
import org.relume.data.DataSources;
import org.relume.data.Standardizer;
import org.relume.evaluate.ClassProbabilities;
import org.relume.evaluate.ClassificationReport;
import org.relume.evaluate.EvaluationData;
import org.relume.evaluate.RegressionReport;
import org.relume.io.Json;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relume evaluate}: how well a saved model does on labelled data, in the model's own class
 * names: accuracy, per-class precision and recall and the confusion matrix, or MSE and MAE.
 * It exists so that a user need not re-implement the metrics from predict's output.
 */
@Command(name = "evaluate",
        header = "Measure a saved model on labelled data: accuracy, precision/recall and confusion matrix, or MSE/MAE.",
        description = {
            "Evaluation rows (--data):",
            "  csv:PATH     every row; the features are the columns the model's",
            "               feature names name (when the header has them all), else",
            "               every column but the label; labels are matched to the",
            "               model's classes by name",
            "  idx:DIR      the t10k files",
            "  cifar:DIR    the test file",
            "  moons, ...   the validation share of the generated set for --seed",
            "",
            "The model's stored input standardization is applied first.",
            "",
            "Examples:",
            "  relume evaluate --model runs/iris --data csv:iris.csv",
            "  relume evaluate --model runs/mnist --data idx:data/mnist --json",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Labelled data: csv:PATH, idx:DIR, cifar:DIR, moons, curve:NAME, ...")
    String data;

    @Option(names = "--label", paramLabel = "COL", description = "CSV label column, by header name or 0-based index (default: last column).")
    String label;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N samples: csv: N rows; idx and cifar: N test images (0 = all; generated"
                    + " data take n= in the spec instead).")
    int limit;

    @Option(names = "--seed", defaultValue = "" + Defaults.SEED, paramLabel = "S",
            description = "Generated data only: the seed of the train/validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = all), got " + limit);
        }
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        ModelMetadata meta = saved.metadata();
        EvaluationData rows = load(meta, saved.network().inputSize());
        if (rows.rows() == 0) {
            throw new IllegalArgumentException("no rows to evaluate in " + data);
        }
        Tensor x = rows.inputs();
        if (meta.standardizesInputs()) {
            x = Standardizer.of(meta.inputMean(), meta.inputStd()).apply(x);
        }
        Tensor y = saved.network().predict(x);
        requireFinite(y);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model.toString());
        report.put("data", rows.description());
        report.put("task", meta.task().id());
        String table;
        if (meta.task().isClassification()) {
            ClassificationReport r = ClassificationReport.of(rows.classes(), ClassProbabilities.of(y, meta.task()).predicted(),
                    meta.classLabels());
            report.putAll(r.describe());
            table = r.table();
        } else {
            RegressionReport r = RegressionReport.of(y, rows.targets());
            report.putAll(r.describe());
            table = r.table();
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.print(Json.toJson(report));
        } else {
            o.printf(Locale.ROOT, "model     %s (%s)%n", model, meta.task().id());
            o.printf(Locale.ROOT, "data      %s%n%n", rows.description());
            o.print(table);
        }
        o.flush();
        return Relume.OK;
    }

    private EvaluationData load(ModelMetadata meta, int inputs) {
        if (data.strip().toLowerCase(Locale.ROOT).startsWith("csv:")) {
            String path = data.strip().substring(4).strip();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("bad data spec '" + data + "': csv needs a file path");
            }
            return EvaluationData.csv(Path.of(path), meta, inputs, label, limit);
        }
        return EvaluationData.heldOut(loadNonCsv(data, seed, label, limit, inputs), meta);
    }

    /**
     * Non-CSV data (idx, cifar, generated) for a model with {@code inputs} inputs, split as train
     * split them, so that the held-out part is the one train validated on.
     */
    static DataSources.Loaded loadNonCsv(String data, long seed, String label, int limit, int inputs) {
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request(data, seed, 0.15, label, null, limit));
        if (loaded.split().train().inputs() != inputs) {
            throw new IllegalArgumentException(data + " has " + loaded.split().train().inputs() + " features but the model takes "
                    + inputs + " inputs");
        }
        return loaded;
    }

    /** Inputs far outside the training range can overflow float32 inside the network; a metric of NaN would mean nothing. */
    private void requireFinite(Tensor y) {
        float[] d = y.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new IllegalArgumentException(data + ": row " + (i / y.cols() + 1) + ": the model's output is not finite"
                        + " (float32 overflowed inside the network; the inputs are far outside what it was trained on)");
            }
        }
    }
}
