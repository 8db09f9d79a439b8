package org.relume.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well predicted classes match true ones: the confusion matrix (rows the true class, columns
 * the predicted one, as scikit-learn prints it), accuracy, and each class's precision and recall.
 * A class that was never predicted has no precision (NaN, printed "n/a" and written as JSON null)
 * rather than 0, which would claim its predictions were all wrong.
 */
public final class ClassificationReport {
    private final List<String> classNames;
    private final long[][] confusion;
    private final long samples;

    private ClassificationReport(List<String> classNames, long[][] confusion, long samples) {
        this.classNames = List.copyOf(classNames);
        this.confusion = confusion;
        this.samples = samples;
    }

    /** Counts {@code truth[i]} against {@code predicted[i]}; both hold indices into {@code classNames}. */
    public static ClassificationReport of(int[] truth, int[] predicted, List<String> classNames) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true classes but " + predicted.length + " predictions");
        }
        int k = classNames.size();
        long[][] m = new long[k][k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("row " + i + ": class outside [0, " + k + ")");
            }
            m[truth[i]][predicted[i]]++;
        }
        return new ClassificationReport(classNames, m, truth.length);
    }

    public long samples() {
        return samples;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The count of rows of true class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return confusion[truth][predicted];
    }

    public long correct() {
        long c = 0;
        for (int i = 0; i < confusion.length; i++) {
            c += confusion[i][i];
        }
        return c;
    }

    public double accuracy() {
        return samples == 0 ? Double.NaN : (double) correct() / samples;
    }

    /** Rows of this true class. */
    public long support(int c) {
        long s = 0;
        for (long v : confusion[c]) {
            s += v;
        }
        return s;
    }

    /** Of the rows predicted as {@code c}, the share that are {@code c}; NaN if none was. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
    }

    /** Of the rows of class {@code c}, the share predicted as {@code c}; NaN if there are none. */
    public double recall(int c) {
        long support = support(c);
        return support == 0 ? Double.NaN : (double) confusion[c][c] / support;
    }

    /** The report as JSON-ready maps and lists. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("accuracy", accuracy());
        m.put("correct", correct());
        List<Object> perClass = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", classNames.get(c));
            row.put("precision", precision(c));
            row.put("recall", recall(c));
            row.put("support", support(c));
            perClass.add(row);
        }
        m.put("classes", perClass);
        m.put("class_names", classNames);
        List<Object> matrix = new ArrayList<>();
        for (long[] row : confusion) {
            List<Long> r = new ArrayList<>();
            for (long v : row) {
                r.add(v);
            }
            matrix.add(r);
        }
        m.put("confusion_matrix", matrix);
        return m;
    }

    /** The per-class table and the confusion matrix as aligned text. */
    public String table() {
        int nameWidth = Math.max(5, classNames.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "accuracy  %.4f (%d of %d)%n%n", accuracy(), correct(), samples));
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %9s  %9s  %9s%n", "class", "precision", "recall", "support"));
        for (int c = 0; c < classNames.size(); c++) {
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %9s  %9s  %9d%n", classNames.get(c),
                    ratio(precision(c)), ratio(recall(c)), support(c)));
        }
        sb.append(String.format("%nconfusion matrix (rows: true class, columns: predicted class)%n"));
        int cell = Math.max(Long.toString(samples).length(), classNames.stream().mapToInt(String::length).max().orElse(1));
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", ""));
        for (String name : classNames) {
            sb.append(String.format(Locale.ROOT, "  %" + cell + "s", name));
        }
        sb.append(System.lineSeparator());
        for (int t = 0; t < classNames.size(); t++) {
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", classNames.get(t)));
            for (int p = 0; p < classNames.size(); p++) {
                sb.append(String.format(Locale.ROOT, "  %" + cell + "d", confusion[t][p]));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
