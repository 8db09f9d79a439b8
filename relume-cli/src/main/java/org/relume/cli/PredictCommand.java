package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.relume.nn.Defaults;
import org.relume.data.CsvReader;
import org.relume.data.DataFormatException;
import org.relume.data.Standardizer;
import org.relume.data.Task;
import org.relume.evaluate.ClassProbabilities;
import org.relume.evaluate.EvaluationData;
import org.relume.io.AtomicFiles;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relume predict}: a saved model's outputs for the rows of a CSV file or for the held-out
 * part of any data spec evaluate reads (idx, cifar, generated), as one CSV of predictions.
 */
@Command(name = "predict",
        header = "Predict with a saved model on the rows of a CSV file or on idx, CIFAR or generated data.",
        description = {
            "Rows (--input or --data):",
            "  --input CSV  every row; if the CSV has a header naming the model's",
            "               features, those columns are used (others, such as the",
            "               label, are ignored); otherwise it must have exactly as",
            "               many columns as the model has inputs",
            "  csv:PATH     the same as --input PATH",
            "  idx:DIR      the t10k images",
            "  cifar:DIR    the test file's images",
            "  moons, ...   the validation share of the generated set for --seed",
            "The model's stored input standardization is applied first.",
            "",
            "Output CSV, one row per input row:",
            "  classification  prediction (the class name), then p_NAME for each",
            "                  class: its probability",
            "  regression      y0, y1, ...",
            "Models saved before class names were kept print, for binary: probability (of class 1), prediction;"
                + " for multiclass: prediction, p0, p1, ... (class indices).",
            "",
            "Examples:",
            "  relume predict --model runs/moons --input points.csv \\",
            "      --output predictions.csv",
            "  relume predict --model runs/mnist --data idx:data/mnist --limit 100",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @ArgGroup(multiplicity = "1")
    Rows rows;

    /** Exactly one source of rows. */
    static final class Rows {
        @Option(names = "--input", required = true, paramLabel = "CSV", description = "Numeric CSV of inputs.")
        Path input;

        @Option(names = "--data", required = true, paramLabel = "SPEC",
                description = "Or data as train names them: csv:PATH, idx:DIR, cifar:DIR, moons, curve:NAME, ...")
        String data;
    }

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Predict only the first N rows: CSV: N rows; idx and cifar: N test images (0 = all; generated"
                    + " data take n= in the spec instead).")
    int limit;

    @Option(names = "--seed", defaultValue = "" + Defaults.SEED, paramLabel = "S",
            description = "Generated data only: the seed of the train/validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", paramLabel = "FILE", description = "Write predictions here (default: standard output).")
    Path output;

    /** What the rows came from (the CSV file or the data spec), for error messages. */
    private String source;

    @Override
    public Integer call() throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = all), got " + limit);
        }
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        ModelMetadata meta = saved.metadata();
        Tensor x = inputs(meta, saved.network().inputSize());
        if (meta.standardizesInputs()) {
            Tensor raw = x;
            x = Standardizer.of(meta.inputMean(), meta.inputStd()).apply(raw);
            requireFiniteStandardized(raw, x, meta);
        }
        Tensor y = saved.network().predict(x);
        requireFiniteOutputs(y);
        String csv = format(y, meta);
        if (output == null) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(csv);
            o.flush();
        } else {
            AtomicFiles.writeString(output, csv);
        }
        return Relume.OK;
    }

    /** The rows to predict, in the model's feature order, before its standardization. */
    private Tensor inputs(ModelMetadata meta, int inputs) {
        Path csv = rows.input;
        source = rows.data;
        if (csv == null && rows.data.strip().toLowerCase(Locale.ROOT).startsWith("csv:")) {
            String path = rows.data.strip().substring(4).strip();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("bad data spec '" + rows.data + "': csv needs a file path");
            }
            csv = Path.of(path);
        }
        if (csv != null) {
            source = csv.toString();
            Tensor all = selectFeatures(CsvReader.readTable(csv), csv, meta.featureNames(), inputs);
            return limit > 0 && limit < all.rows() ? firstRows(all, limit) : all;
        }
        Tensor x = EvaluationData.heldOutPart(EvaluateCommand.loadNonCsv(rows.data, seed, null, limit, inputs)).features();
        if (x.rows() == 0) {
            throw new IllegalArgumentException("no rows to predict in " + rows.data);
        }
        return x;
    }

    private static Tensor selectFeatures(CsvReader.Table table, Path file, List<String> featureNames, int inputs) {
        if (table.header() && featureNames.size() == inputs && table.names().containsAll(featureNames)) {
            return table.select(featureNames.stream().mapToInt(table.names()::indexOf).toArray());
        }
        if (table.columns() != inputs) {
            throw new IllegalArgumentException(file + " has " + table.columns() + " columns but the model takes " + inputs
                    + " inputs" + (featureNames.isEmpty() ? "" : "; a header naming " + featureNames + " selects them"));
        }
        return table.values();
    }

    private static Tensor firstRows(Tensor t, int n) {
        float[] d = new float[n * t.cols()];
        System.arraycopy(t.data(), 0, d, 0, d.length);
        return Tensor.wrap(d, n, t.cols());
    }

    /**
     * The CSV reader keeps values within float range, but (x - mean) / std can still leave it; the
     * network would then print NaN as if it were a prediction, so the row is refused instead.
     */
    private void requireFiniteStandardized(Tensor raw, Tensor standardized, ModelMetadata meta) {
        int d = standardized.cols();
        float[] s = standardized.data();
        for (int i = 0; i < s.length; i++) {
            if (!Float.isFinite(s[i])) {
                int row = i / d;
                int f = i % d;
                String name = meta.featureNames().isEmpty() ? "input " + f : meta.featureNames().get(f);
                throw DataFormatException.inFile(source, "data row " + (row + 1) + ": feature '" + name + "' = "
                        + raw.data()[i] + " overflows to infinity in the model's input standardization (" + name + " - "
                        + meta.inputMean()[f] + ") / " + meta.inputStd()[f] + "; expected values the model can scale");
            }
        }
    }

    /** Finite inputs can still overflow float32 inside the network; its output then means nothing. */
    private void requireFiniteOutputs(Tensor y) {
        int k = y.cols();
        float[] d = y.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw DataFormatException.inFile(source, "data row " + (i / k + 1) + ": the model's output is "
                        + (Float.isNaN(d[i]) ? "NaN" : "infinite") + " (float32 overflowed inside the network; the inputs"
                        + " are far outside what it was trained on)");
            }
        }
    }

    /**
     * The output CSV. A model that knows its class names gets "prediction" (the name) and one
     * probability column per class, "p_" + name; older models keep the columns they always had.
     */
    private static String format(Tensor y, ModelMetadata meta) {
        if (meta.task().isClassification() && !meta.classNames().isEmpty()) {
            return namedClasses(y, meta);
        }
        StringBuilder sb = new StringBuilder();
        int k = y.cols();
        List<String> header = new ArrayList<>();
        switch (meta.task()) {
            case BINARY -> header.addAll(List.of("probability", "prediction"));
            case MULTICLASS -> {
                header.add("prediction");
                for (int c = 0; c < k; c++) {
                    header.add("p" + c);
                }
            }
            case REGRESSION -> {
                for (int c = 0; c < k; c++) {
                    header.add("y" + c);
                }
            }
        }
        sb.append(String.join(",", header)).append('\n');
        if (!meta.task().isClassification()) {
            float[] d = y.data();
            for (int i = 0; i < y.rows(); i++) {
                for (int c = 0; c < k; c++) {
                    sb.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.8g", d[i * k + c]));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
        ClassProbabilities p = ClassProbabilities.of(y, meta.task());
        for (int i = 0; i < p.rows(); i++) {
            if (meta.task() == Task.BINARY) {
                sb.append(String.format(Locale.ROOT, "%.6g,%d", p.probability(i, 1), p.predicted()[i]));
            } else {
                sb.append(p.predicted()[i]);
                for (int c = 0; c < p.classes(); c++) {
                    sb.append(String.format(Locale.ROOT, ",%.6g", p.probability(i, c)));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String namedClasses(Tensor y, ModelMetadata meta) {
        List<String> names = meta.classNames();
        StringBuilder sb = new StringBuilder("prediction");
        for (String name : names) {
            sb.append(',').append(csvField("p_" + name));
        }
        sb.append('\n');
        ClassProbabilities p = ClassProbabilities.of(y, meta.task());
        for (int i = 0; i < p.rows(); i++) {
            sb.append(csvField(names.get(p.predicted()[i])));
            for (int c = 0; c < p.classes(); c++) {
                sb.append(String.format(Locale.ROOT, ",%.6g", p.probability(i, c)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A class name as one CSV field: quoted when it holds a separator, a quote or surrounding spaces. */
    static String csvField(String s) {
        boolean plain = !s.isEmpty() && s.strip().equals(s) && s.chars().noneMatch(ch -> ch == ',' || ch == ';'
                || ch == '\t' || ch == '"' || ch == '\n' || ch == '\r');
        return plain ? s : '"' + s.replace("\"", "\"\"") + '"';
    }
}
