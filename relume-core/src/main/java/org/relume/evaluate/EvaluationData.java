package org.relume.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.relume.data.CsvReader;
import org.relume.data.DataFormatException;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.io.ModelMetadata;
import org.relume.tensor.Tensor;

/**
 * The rows a saved model is evaluated on, in the model's terms: its inputs (in its feature order,
 * before its stored standardization) and each row's true class as an index into the model's
 * classes, or its target. It exists because evaluation data are not training data: classes must
 * be matched to the model's by name (an evaluation file may hold some of them only, or in another
 * order), and a CSV file's columns to the model's features by name.
 *
 * @param classes for classification, the model's index of each row's true class; else null
 * @param targets for regression, [rows, 1]; else null
 */
public record EvaluationData(String description, Tensor inputs, int[] classes, Tensor targets) {

    /**
     * Every row of a CSV file (the first {@code limit} when positive). The features are the columns
     * the model's feature names name, when the file's header has them all; otherwise every column
     * but the label, which must then be as many as the model's inputs.
     */
    public static EvaluationData csv(Path file, ModelMetadata meta, int inputs, String labelColumn, int limit) {
        CsvReader.Table table = CsvReader.readTable(file);
        if (table.columns() < 2) {
            throw DataFormatException.inFile(table.source(), "found 1 column, expected the features and then the label");
        }
        int label = labelColumn == null ? table.columns() - 1 : table.column(labelColumn, "label column");
        int[] features = featureColumns(table, meta.featureNames(), inputs, label);
        int rows = limit > 0 ? Math.min(limit, table.rows()) : table.rows();
        Tensor x = firstRows(table.select(features), rows);
        String description = "csv " + file + ", label '" + table.names().get(label) + "': " + rows + " rows";
        if (!meta.task().isClassification()) {
            return new EvaluationData(description, x, null, firstRows(table.select(new int[] {label}), rows));
        }
        String[] texts = table.texts(label);
        Map<String, Integer> index = classIndex(meta);
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            Integer c = lookUp(index, texts[r]);
            if (c == null) {
                throw DataFormatException.atLine(table.source(), table.line(r), "label '" + texts[r]
                        + "' is not one of the model's classes (" + String.join(", ", meta.classLabels()) + ")");
            }
            classes[r] = c;
        }
        return new EvaluationData(description, x, classes, null);
    }

    /**
     * The model's inputs from a CSV file, for analyses that need no labels ({@code analyze}): the
     * columns the model's feature names name when the header has them all (any label column, or
     * none, may sit beside them), else every column but the label ({@code labelColumn}, default the
     * last), which must then be as many as the model's inputs. The first {@code limit} rows when positive.
     */
    public static Tensor csvInputs(Path file, ModelMetadata meta, int inputs, String labelColumn, int limit) {
        CsvReader.Table table = CsvReader.readTable(file);
        List<String> names = meta.featureNames();
        boolean named = table.header() && names.size() == inputs && table.names().containsAll(names);
        int label = labelColumn != null ? table.column(labelColumn, "label column") : named ? -1 : table.columns() - 1;
        int[] features = featureColumns(table, names, inputs, label);
        return firstRows(table.select(features), limit > 0 ? Math.min(limit, table.rows()) : table.rows());
    }

    /**
     * The held-out part of non-CSV data (idx: the t10k files; cifar: the test file; generated
     * sets: the validation share for the seed), or the training part when nothing is held out.
     */
    public static EvaluationData heldOut(DataSources.Loaded loaded, ModelMetadata meta) {
        Dataset d = heldOutPart(loaded);
        String description = loaded.description() + "; evaluating the " + partName(loaded) + " part, " + d.size()
                + " samples";
        if (d.task().isClassification() != meta.task().isClassification()) {
            throw new IllegalArgumentException("the data are a " + d.task().id() + " set but the model was trained for "
                    + meta.task().id());
        }
        if (!meta.task().isClassification()) {
            return new EvaluationData(description, d.features(), null, d.targets());
        }
        Map<String, Integer> index = classIndex(meta);
        List<String> names = loaded.classNames();
        int[] classes = new int[d.size()];
        for (int i = 0; i < classes.length; i++) {
            Integer c = lookUp(index, names.get(d.labels()[i]));
            if (c == null) {
                throw new IllegalArgumentException("the data's class '" + names.get(d.labels()[i])
                        + "' is not one of the model's classes (" + String.join(", ", meta.classLabels()) + ")");
            }
            classes[i] = c;
        }
        return new EvaluationData(description, d.features(), classes, null);
    }

    /**
     * The part of non-CSV data a saved model is evaluated or predicted on: the validation part
     * (idx: t10k; cifar: the test file; generated sets: the validation share), or the training part
     * when nothing is held out.
     */
    public static Dataset heldOutPart(DataSources.Loaded loaded) {
        return loaded.split().validation().size() > 0 ? loaded.split().validation() : loaded.split().train();
    }

    /** "validation" or "training": which part {@link #heldOutPart} took. */
    public static String partName(DataSources.Loaded loaded) {
        return loaded.split().validation().size() > 0 ? "validation" : "training";
    }

    public int rows() {
        return inputs.rows();
    }

    private static int[] featureColumns(CsvReader.Table table, List<String> names, int inputs, int label) {
        if (table.header() && names.size() == inputs && table.names().containsAll(names)) {
            int[] cols = names.stream().mapToInt(table.names()::indexOf).toArray();
            for (int c : cols) {
                if (c == label) {
                    throw DataFormatException.inFile(table.source(), "the label column '" + table.names().get(label)
                            + "' is one of the model's features; name the label with --label");
                }
            }
            return cols;
        }
        List<Integer> cols = new ArrayList<>();
        for (int c = 0; c < table.columns(); c++) {
            if (c != label) {
                cols.add(c);
            }
        }
        if (cols.size() != inputs) {
            throw DataFormatException.inFile(table.source(), "has " + cols.size() + " columns besides the label '"
                    + table.names().get(label) + "' but the model takes " + inputs + " inputs"
                    + (names.isEmpty() ? "" : "; a header naming " + names + " selects them"));
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, Integer> classIndex(ModelMetadata meta) {
        Map<String, Integer> index = new HashMap<>();
        List<String> names = meta.classLabels();
        for (int c = 0; c < names.size(); c++) {
            index.put(names.get(c), c);
        }
        return index;
    }

    /** The class named {@code text}, also when a number is written another way ("1.0" for class "1"). */
    private static Integer lookUp(Map<String, Integer> index, String text) {
        Integer c = index.get(text);
        if (c != null) {
            return c;
        }
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? index.get(CsvReader.format(v + 0.0)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Tensor firstRows(Tensor t, int rows) {
        if (rows == t.rows()) {
            return t;
        }
        float[] d = new float[rows * t.cols()];
        System.arraycopy(t.data(), 0, d, 0, d.length);
        return Tensor.wrap(d, rows, t.cols());
    }
}
