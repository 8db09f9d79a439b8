package org.relume.data;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.relume.tensor.Memory;
import org.relume.tensor.Tensor;

/**
 * Reads a table in CSV form (RFC 4180 fields, one sample per line, one column holding the label or
 * target) into a {@link Dataset}.
 *
 * <p>It exists so that users can bring small real tables (the scikit-learn and statsmodels files of
 * REFERENCES.md §6, their own exports) without writing code, so it guesses what such files usually
 * mean and says exactly where a file breaks its rules:
 * <ul>
 *   <li>the separator is ',', ';' or tab, whichever splits the first row into the most fields;
 *   <li>the first row is a header when it has a non-numeric field in a column whose next row holds
 *       a number (see {@link CsvText#parse});
 *   <li>blank lines and lines whose first non-blank character is '#' are skipped;
 *   <li>fields may be quoted with '"' (a doubled '"' inside stands for one); surrounding spaces are
 *       ignored; a quoted field cannot span lines;
 *   <li>the label column is the last one unless named (by header name or 0-based index); the
 *       feature columns are all others, or those named, or all but those dropped; columns that are
 *       neither are never read;
 *   <li>feature values are numbers; a label may be a word ("setosa"), which makes a class;
 *   <li>the task is classification when some label is a word, or when every label is a whole
 *       number and there are at most {@link #MAX_AUTO_CLASSES} distinct labels, regression
 *       otherwise, unless the caller decides.
 * </ul>
 * Class labels become 0..k-1 by sorting the distinct values (numbers by value, words
 * alphabetically), so labels that already are 0..k-1 keep their values, and the {@link Result}
 * names each class as the file wrote it.
 */
public final class CsvReader {
    /** The most distinct whole-number labels that still read as classes when the task is automatic. */
    public static final int MAX_AUTO_CLASSES = 100;

    /** Far beyond any table row (a 10,000-column row of 20-digit numbers is 210,000 characters). */
    public static final int MAX_LINE_CHARS = 1_000_000;

    private CsvReader() {}

    /**
     * How to read a file; null fields mean "detect".
     *
     * @param labelColumn the label column as a header name or a 0-based index ("4"); a header name
     *                    wins when a column is literally called "4"; null: the last column
     * @param task        null: decide from the labels; {@link Task#REGRESSION}: targets;
     *                    {@link Task#BINARY} or {@link Task#MULTICLASS}: classes (the class count
     *                    then decides which, as in {@link Dataset#classification}, but BINARY fails
     *                    when there are more than 2)
     * @param separator   ',', ';' or '\t'; null: detect from the first row
     * @param features    the feature columns, by name or index, in the order the model sees them;
     *                    empty: every column but the label and {@code drop}
     * @param drop        columns to leave out (an id, a second target); only without {@code features}
     */
    public record Options(String labelColumn, Task task, Character separator, List<String> features, List<String> drop) {
        public Options {
            if (separator != null && separator != ',' && separator != ';' && separator != '\t') {
                throw new IllegalArgumentException("CSV separator must be ',', ';' or tab, got '" + separator + "'");
            }
            if (labelColumn != null && labelColumn.isBlank()) {
                throw new IllegalArgumentException("label column must be a header name or a 0-based index, got a blank string");
            }
            features = features == null ? List.of() : List.copyOf(features);
            drop = drop == null ? List.of() : List.copyOf(drop);
            if (!features.isEmpty() && !drop.isEmpty()) {
                throw new IllegalArgumentException("name the feature columns or the columns to drop, not both");
            }
            if (features.stream().anyMatch(String::isBlank) || drop.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("a column must be a header name or a 0-based index, got a blank one");
            }
        }

        public Options(String labelColumn, Task task, Character separator) {
            this(labelColumn, task, separator, List.of(), List.of());
        }

        /** Everything detected: last column is the label, task and separator from the file. */
        public static Options defaults() {
            return new Options(null, null, null);
        }

        public Options withLabelColumn(String nameOrIndex) {
            return new Options(nameOrIndex, task, separator, features, drop);
        }

        public Options withLabelColumn(int index) {
            return withLabelColumn(Integer.toString(index));
        }

        public Options withTask(Task newTask) {
            return new Options(labelColumn, newTask, separator, features, drop);
        }

        public Options withSeparator(char newSeparator) {
            return new Options(labelColumn, task, newSeparator, features, drop);
        }

        public Options withFeatures(List<String> columns) {
            return new Options(labelColumn, task, separator, columns, drop);
        }

        public Options withDrop(List<String> columns) {
            return new Options(labelColumn, task, separator, features, columns);
        }
    }

    /**
     * What was read.
     *
     * @param dataset      the samples, in file order, named after the file
     * @param featureNames one name per feature column, in order: the header's, or "col" + the
     *                     column's 0-based index in the file when there is no header
     * @param labelName    the label column's header name, or "col" + its index
     * @param classValues  for classification with numeric labels, the original label value of class
     *                     0, 1, ...; for word labels, 0, 1, ...; empty for regression
     * @param classNames   for classification, class 0, 1, ... as the file wrote it ("setosa", "10");
     *                     empty for regression
     * @param warnings     what looks wrong but did not stop the reading (a header of numbers, far
     *                     more classes than a classification usually has), one sentence each
     */
    public record Result(Dataset dataset, List<String> featureNames, String labelName, double[] classValues,
                         List<String> classNames, List<String> warnings) {
        public Result {
            featureNames = List.copyOf(featureNames);
            classValues = classValues.clone();
            classNames = List.copyOf(classNames);
            warnings = List.copyOf(warnings);
        }

        @Override
        public double[] classValues() {
            return classValues.clone();
        }
    }

    /** Reads {@code file} with {@link Options#defaults()}. */
    public static Result read(Path file) {
        return read(file, Options.defaults());
    }

    /**
     * Reads {@code file} as UTF-8 (undecodable bytes become U+FFFD and then fail as non-numbers, with
     * their line).
     *
     * @throws IllegalArgumentException if the file does not exist or is a directory
     * @throws DataFormatException      if its content breaks the rules in the class comment
     * @throws UncheckedIOException     for other I/O failures
     */
    public static Result read(Path file, Options options) {
        String source = file.toString();
        requireReadable(file, source);
        // InputStreamReader replaces malformed bytes instead of throwing, so that the user learns the
        // line of a bad byte rather than only that the file is not UTF-8.
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            return read(reader, source, options);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("CSV file not found: " + source, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads CSV text from {@code reader} (not closed); {@code source} names it in data set names and
     * error messages.
     */
    public static Result read(Reader reader, String source, Options options) throws IOException {
        CsvText text = CsvText.parse(reader, source, options.separator(), "the file is empty: expected a header or "
                + "data rows (blank lines and lines starting with '#' are skipped)");
        if (text.columns() < 2) {
            throw DataFormatException.atLine(source, text.first.number(), "found 1 field, expected at least 2 (features, "
                    + "then the label) separated by " + CsvText.describe(text.separator)
                    + (text.separatorDetected ? " (tried ',', ';' and tab)" : ""));
        }
        int label = options.labelColumn() == null ? text.columns() - 1 : text.column(options.labelColumn(), "label column");
        int[] featureColumns = featureColumns(text, label, options);
        if (text.rows() == 0) {
            throw DataFormatException.inFile(source, "found a header on line " + text.first.number() + " but no data rows");
        }
        Columns read = readColumns(text, label, featureColumns, options.task());
        List<String> featureNames = new ArrayList<>();
        for (int c : featureColumns) {
            featureNames.add(text.names.get(c));
        }
        String labelName = text.names.get(label);
        List<String> warnings = new ArrayList<>();
        if (!text.numericNames().isEmpty()) {
            warnings.add(source + ":" + text.countLineHint().substring(1));
        }
        Tensor x = Tensor.wrap(read.features, text.rows(), featureColumns.length);
        if (options.features().isEmpty()) {
            rowNumberColumns(x, featureNames, source, warnings);
        }
        String name = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        if (!read.words && !isClassification(options.task(), read.numbers)) {
            return new Result(Dataset.regression(name, x, targets(read.numbers)), featureNames, labelName, new double[0],
                    List.of(), warnings);
        }
        return classification(name, source, x, read, labelName, featureNames, options.task(), warnings);
    }

    /**
     * Warns about feature columns that look like row numbers (an id column, or pandas' unnamed
     * index): every value a different integer and together a run lo, lo+1, ..., lo+rows-1. Taken as
     * a feature, such a column lets the model learn the file's row order; columns chosen by name
     * with --features are the user's call and are not checked.
     */
    private static void rowNumberColumns(Tensor x, List<String> names, String source, List<String> warnings) {
        int rows = x.rows();
        int cols = x.cols();
        if (rows < 10) {
            return;
        }
        float[] d = x.data();
        for (int c = 0; c < cols; c++) {
            java.util.BitSet seen = new java.util.BitSet(rows);
            double lo = Double.POSITIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                lo = Math.min(lo, d[r * cols + c]);
            }
            boolean run = Math.rint(lo) == lo && Math.abs(lo) < 1e6;
            for (int r = 0; r < rows && run; r++) {
                double offset = d[r * cols + c] - lo;
                run = Math.rint(offset) == offset && offset < rows && !seen.get((int) offset);
                if (run) {
                    seen.set((int) offset);
                }
            }
            if (run) {
                String name = names.get(c);
                warnings.add(source + ": feature column '" + name + "' holds the integers " + format(lo) + ".."
                        + format(lo + rows - 1) + ", each once, like a row number; as a feature it lets the model learn the"
                        + " row order: leave it out with --drop " + name);
            }
        }
    }

    /** The parsed feature values, row-major, and the label of every row as text and, when numeric, as a number. */
    private record Columns(float[] features, String[] labels, double[] numbers, boolean words) {}

    /**
     * Parses the feature columns and the label, row by row and in column order (so the first bad
     * field in the file is the one reported); other columns are not read.
     */
    private static Columns readColumns(CsvText text, int label, int[] featureColumns, Task task) {
        int rows = text.rows();
        int inputs = featureColumns.length;
        int[] position = new int[text.columns()];
        Arrays.fill(position, -1);
        for (int f = 0; f < inputs; f++) {
            position[featureColumns[f]] = f;
        }
        float[] features = new float[rows * inputs];
        String[] labels = new String[rows];
        double[] numbers = new double[rows];
        boolean words = false;
        for (int row = 0; row < rows; row++) {
            List<String> fields = text.fields(row);
            long line = text.lineNumber(row);
            for (int c = 0; c < fields.size(); c++) {
                if (c == label) {
                    String field = fields.get(c);
                    labels[row] = field;
                    if (field.isEmpty() || CsvText.looksNumeric(field) || task == Task.REGRESSION) {
                        numbers[row] = CsvText.parse(field, text.source, line, c) + 0.0; // -0.0 and 0.0 name one class
                    } else {
                        words = true;
                    }
                } else if (position[c] >= 0) {
                    features[row * inputs + position[c]] = (float) CsvText.parse(fields.get(c), text.source, line, c);
                }
            }
        }
        return new Columns(features, labels, numbers, words);
    }

    /** The file columns that become features, in the order the model sees them. */
    private static int[] featureColumns(CsvText text, int label, Options options) {
        String labelName = text.names.get(label);
        if (!options.features().isEmpty()) {
            List<Integer> chosen = new ArrayList<>();
            for (String spec : options.features()) {
                int c = text.column(spec, "feature column");
                if (c == label) {
                    throw DataFormatException.inFile(text.source, "column '" + labelName + "' is the label; it cannot also be a feature");
                }
                if (chosen.contains(c)) {
                    throw DataFormatException.inFile(text.source, "feature column '" + text.names.get(c) + "' is listed twice");
                }
                chosen.add(c);
            }
            return chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        boolean[] dropped = new boolean[text.columns()];
        for (String spec : options.drop()) {
            int c = text.column(spec, "dropped column");
            if (c == label) {
                throw DataFormatException.inFile(text.source, "column '" + labelName + "' is the label; it cannot be dropped");
            }
            dropped[c] = true;
        }
        List<Integer> kept = new ArrayList<>();
        for (int c = 0; c < text.columns(); c++) {
            if (c != label && !dropped[c]) {
                kept.add(c);
            }
        }
        if (kept.isEmpty()) {
            throw DataFormatException.inFile(text.source, "no feature columns are left besides the label '" + labelName
                    + "' after dropping " + CsvText.quoteAll(options.drop()));
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Result classification(String name, String source, Tensor x, Columns read, String labelName,
                                         List<String> featureNames, Task task, List<String> warnings) {
        int rows = read.labels.length;
        List<String> classNames;
        double[] classValues;
        int[] labels = new int[rows];
        if (read.words) {
            classNames = List.copyOf(new TreeSet<>(Arrays.asList(read.labels)));
            classValues = new double[classNames.size()];
            for (int k = 0; k < classValues.length; k++) {
                classValues[k] = k;
            }
            for (int r = 0; r < rows; r++) {
                labels[r] = Collections.binarySearch(classNames, read.labels[r]);
            }
        } else {
            classValues = distinct(read.numbers);
            classNames = Arrays.stream(classValues).mapToObj(CsvReader::format).toList();
            for (int r = 0; r < rows; r++) {
                labels[r] = Arrays.binarySearch(classValues, read.numbers[r]);
            }
        }
        int k = classNames.size();
        if (k < 2) {
            throw DataFormatException.inFile(source, "label column '" + labelName + "' holds the single value "
                    + classNames.get(0) + " in all " + rows + " rows, but a classification set needs at least "
                    + "2 classes (ask for a regression task if these are targets)");
        }
        if (task == Task.BINARY && k != 2) {
            throw DataFormatException.inFile(source, "a binary task was requested, but label column '" + labelName
                    + "' holds " + k + " distinct values " + preview(classNames));
        }
        if (k > MAX_AUTO_CLASSES || (k > 10 && rows < 5L * k)) {
            warnings.add(source + ": label column '" + labelName + "' makes " + k + " classes from " + rows + " rows ("
                    + String.format(Locale.ROOT, "%.1f", (double) rows / k) + " rows a class); if it is a "
                    + "measured quantity, train with --task regression, and if it is an identifier, choose another --label");
        }
        return new Result(Dataset.classification(name, x, labels, k), featureNames, labelName, classValues, classNames,
                warnings);
    }

    private static Tensor targets(double[] values) {
        float[] targets = new float[values.length];
        for (int r = 0; r < values.length; r++) {
            targets[r] = (float) values[r];
        }
        return Tensor.wrap(targets, values.length, 1);
    }

    /**
     * A table without a label, e.g. the inputs for {@code relume predict}: its column names (the
     * header's, or col0, col1, ...) and the values of the columns asked for. Same rules as
     * {@link #read} for separators, headers, comments and numbers; columns not asked for are never
     * read, so the training file itself, with a word label, is valid input.
     */
    public static final class Table {
        private final CsvText text;

        private Table(CsvText text) {
            this.text = text;
        }

        public List<String> names() {
            return text.names;
        }

        public boolean header() {
            return text.header;
        }

        public int columns() {
            return text.columns();
        }

        public int rows() {
            return text.rows();
        }

        /** The given columns, in the given order, as [rows, columns.length]. */
        public Tensor select(int[] columns) {
            int rows = text.rows();
            float[] values = new float[rows * columns.length];
            for (int row = 0; row < rows; row++) {
                List<String> fields = text.fields(row);
                for (int c = 0; c < columns.length; c++) {
                    values[row * columns.length + c] = (float) CsvText.parse(fields.get(columns[c]), text.source,
                            text.lineNumber(row), columns[c]);
                }
            }
            return Tensor.wrap(values, rows, columns.length);
        }

        /** The fields of one column as text, row by row (e.g. class names). */
        public String[] texts(int column) {
            String[] out = new String[text.rows()];
            for (int row = 0; row < out.length; row++) {
                out[row] = text.fields(row).get(column);
            }
            return out;
        }

        /** The 1-based file line of data row {@code row}, for messages. */
        public long line(int row) {
            return text.lineNumber(row);
        }

        /** The file name or path the table came from, for messages. */
        public String source() {
            return text.source;
        }

        /** A column by header name or 0-based index; {@code role} names its use in messages. */
        public int column(String nameOrIndex, String role) {
            return text.column(nameOrIndex, role);
        }

        /** Every column, in file order. */
        public Tensor values() {
            int[] all = new int[columns()];
            Arrays.setAll(all, i -> i);
            return select(all);
        }
    }

    /** Reads a CSV with any number of columns (at least one) and no label; see {@link Table}. */
    public static Table readTable(Path file) {
        String source = file.toString();
        requireReadable(file, source);
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            CsvText text = CsvText.parse(reader, source, null, "the file is empty: expected a header or data rows");
            if (text.rows() == 0) {
                throw DataFormatException.inFile(source, "found a header on line " + text.first.number() + " but no data rows");
            }
            return new Table(text);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("CSV file not found: " + source, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses directories, pipes, devices and sockets (reading /dev/zero or a FIFO never ends) and
     * files larger than the heap could hold once parsed.
     */
    private static void requireReadable(Path file, String source) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("CSV file " + source + " is a directory, expected a file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("CSV file " + source + " is not a regular file (a pipe, device or socket)");
        }
        try {
            if (Files.exists(file)) {
                // Lines become Java strings (2 bytes a character) before the numbers are parsed.
                Memory.require("reading CSV file " + source + " (" + Files.size(file) + " bytes)",
                        Memory.product(Files.size(file), 3));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + source + ": " + e.getMessage(), e);
        }
    }

    private static boolean isClassification(Task requested, double[] labels) {
        if (requested != null) {
            return requested.isClassification();
        }
        TreeSet<Double> seen = new TreeSet<>();
        for (double v : labels) {
            if (v != Math.rint(v)) {
                return false;
            }
            if (seen.add(v) && seen.size() > MAX_AUTO_CLASSES) {
                return false;
            }
        }
        return true;
    }

    private static double[] distinct(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[k - 1]) {
                sorted[k++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, k);
    }

    private static String preview(List<String> values) {
        int shown = Math.min(values.size(), 10);
        return "(" + String.join(", ", values.subList(0, shown)) + (values.size() > shown ? ", ...)" : ")");
    }

    /** A class value as a name: whole numbers without a decimal point ("10", not "10.0"). */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
