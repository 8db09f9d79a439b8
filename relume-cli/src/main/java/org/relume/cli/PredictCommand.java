package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.relume.data.CsvReader;
import org.relume.data.DataFormatException;
import org.relume.data.Standardizer;
import org.relume.data.Task;
import org.relume.io.AtomicFiles;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume predict}: a saved model's outputs for the rows of a CSV file. */
@Command(name = "predict",
        header = "Predict with a saved model on the rows of a CSV file.",
        description = {
            "Input columns: if the CSV has a header naming the model's features, those columns are used (others,",
            "such as the label, are ignored); otherwise it must have exactly as many columns as the model has inputs.",
            "The model's stored input standardization is applied first.",
            "",
            "Output CSV, one row per input row:",
            "  binary      probability (of class 1), prediction",
            "  multiclass  prediction, p0, p1, ...",
            "  regression  y0, y1, ...",
            "",
            "Example:",
            "  relume predict --model runs/moons --input points.csv --output predictions.csv",
            ""},
        mixinStandardHelpOptions = true)
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "Numeric CSV of inputs.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write predictions here (default: standard output).")
    Path output;

    @Override
    public Integer call() throws IOException {
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        ModelMetadata meta = saved.metadata();
        int inputs = saved.network().inputSize();
        CsvReader.Table table = CsvReader.readTable(input);
        Tensor x = selectFeatures(table, meta.featureNames(), inputs);
        if (meta.standardizesInputs()) {
            Tensor raw = x;
            x = Standardizer.of(meta.inputMean(), meta.inputStd()).apply(raw);
            requireFiniteStandardized(raw, x, meta);
        }
        Tensor y = saved.network().predict(x);
        requireFiniteOutputs(y);
        String csv = format(y, meta.task());
        if (output == null) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(csv);
            o.flush();
        } else {
            AtomicFiles.writeString(output, csv);
        }
        return Relume.OK;
    }

    private Tensor selectFeatures(CsvReader.Table table, List<String> featureNames, int inputs) {
        Tensor v = table.values();
        if (table.header() && featureNames.size() == inputs && table.names().containsAll(featureNames)) {
            int[] cols = featureNames.stream().mapToInt(table.names()::indexOf).toArray();
            Tensor x = Tensor.zeros(v.rows(), inputs);
            for (int r = 0; r < v.rows(); r++) {
                for (int c = 0; c < inputs; c++) {
                    x.data()[r * inputs + c] = v.data()[r * v.cols() + cols[c]];
                }
            }
            return x;
        }
        if (v.cols() != inputs) {
            throw new IllegalArgumentException(input + " has " + v.cols() + " columns but the model takes " + inputs
                    + " inputs" + (featureNames.isEmpty() ? "" : "; a header naming " + featureNames + " selects them"));
        }
        return v;
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
                throw DataFormatException.inFile(input.toString(), "data row " + (row + 1) + ": feature '" + name + "' = "
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
                throw DataFormatException.inFile(input.toString(), "data row " + (i / k + 1) + ": the model's output is "
                        + (Float.isNaN(d[i]) ? "NaN" : "infinite") + " (float32 overflowed inside the network; the inputs"
                        + " are far outside what it was trained on)");
            }
        }
    }

    private static String format(Tensor y, Task task) {
        StringBuilder sb = new StringBuilder();
        int n = y.rows();
        int k = y.cols();
        List<String> header = new ArrayList<>();
        switch (task) {
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
        float[] d = y.data();
        for (int i = 0; i < n; i++) {
            switch (task) {
                case BINARY -> {
                    double p = PointwiseFunctions.sigmoid(d[i]);
                    sb.append(String.format(Locale.ROOT, "%.6g,%d", p, d[i] > 0 ? 1 : 0));
                }
                case MULTICLASS -> {
                    double max = Double.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int c = 0; c < k; c++) {
                        if (d[i * k + c] > max) {
                            max = d[i * k + c];
                            arg = c;
                        }
                    }
                    double sum = 0;
                    for (int c = 0; c < k; c++) {
                        sum += Math.exp(d[i * k + c] - max);
                    }
                    sb.append(arg);
                    for (int c = 0; c < k; c++) {
                        sb.append(String.format(Locale.ROOT, ",%.6g", Math.exp(d[i * k + c] - max) / sum));
                    }
                }
                case REGRESSION -> {
                    for (int c = 0; c < k; c++) {
                        sb.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.8g", d[i * k + c]));
                    }
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
