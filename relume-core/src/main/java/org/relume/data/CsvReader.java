package org.relume.data;

import java.io.BufferedReader;
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
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.relume.tensor.Memory;
import org.relume.tensor.Tensor;

/**
 * Reads a numeric table in CSV form (RFC 4180 fields, one sample per line, one column holding the
 * label or target) into a {@link Dataset}.
 *
 * <p>It exists so that users can bring small real tables (the scikit-learn and statsmodels files of
 * REFERENCES.md §6, their own exports) without writing code, so it guesses what such files usually
 * mean and says exactly where a file breaks its rules:
 * <ul>
 *   <li>the separator is ',', ';' or tab, whichever splits the first row into the most fields;
 *   <li>the first row is a header when one of its fields is not a number;
 *   <li>blank lines and lines whose first non-blank character is '#' are skipped;
 *   <li>fields may be quoted with '"' (a doubled '"' inside stands for one); surrounding spaces are
 *       ignored; a quoted field cannot span lines;
 *   <li>the label column is the last one unless named (by header name or 0-based index);
 *   <li>the task is classification when every label is a whole number and there are at most
 *       {@link #MAX_AUTO_CLASSES} distinct labels, regression otherwise, unless the caller decides.
 * </ul>
 * Class labels become 0..k-1 by sorting the distinct values, so labels that already are 0..k-1 keep
 * their values, and any others (1/2, -1/+1, 3/5/8) get a mapping the {@link Result} exposes.
 */
public final class CsvReader {
    /** The most distinct whole-number labels that still read as classes when the task is automatic. */
    public static final int MAX_AUTO_CLASSES = 100;

    /** Far beyond any table row (a 10,000-column row of 20-digit numbers is 210,000 characters). */
    public static final int MAX_LINE_CHARS = 1_000_000;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final char[] SEPARATORS = {',', ';', '\t'};

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
     */
    public record Options(String labelColumn, Task task, Character separator) {
        public Options {
            if (separator != null && separator != ',' && separator != ';' && separator != '\t') {
                throw new IllegalArgumentException("CSV separator must be ',', ';' or tab, got '" + separator + "'");
            }
            if (labelColumn != null && labelColumn.isBlank()) {
                throw new IllegalArgumentException("label column must be a header name or a 0-based index, got a blank string");
            }
        }

        /** Everything detected: last column is the label, task and separator from the file. */
        public static Options defaults() {
            return new Options(null, null, null);
        }

        public Options withLabelColumn(String nameOrIndex) {
            return new Options(nameOrIndex, task, separator);
        }

        public Options withLabelColumn(int index) {
            return new Options(Integer.toString(index), task, separator);
        }

        public Options withTask(Task newTask) {
            return new Options(labelColumn, newTask, separator);
        }

        public Options withSeparator(char newSeparator) {
            return new Options(labelColumn, task, newSeparator);
        }
    }

    /**
     * What was read.
     *
     * @param dataset      the samples, in file order, named after the file
     * @param featureNames one name per feature column, in order: the header's, or "col" + the
     *                     column's 0-based index in the file when there is no header
     * @param labelName    the label column's header name, or "col" + its index
     * @param classValues  for classification, the original label value of class 0, 1, ...; empty for
     *                     regression
     */
    public record Result(Dataset dataset, List<String> featureNames, String labelName, double[] classValues) {
        public Result {
            featureNames = List.copyOf(featureNames);
            classValues = classValues.clone();
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
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("CSV file " + source + " is a directory, expected a file");
        }
        requireRegularFile(file, source);
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
        List<Line> lines = contentLines(reader, source);
        if (lines.isEmpty()) {
            throw DataFormatException.inFile(source, "the file is empty: expected a header or data rows "
                    + "(blank lines and lines starting with '#' are skipped)");
        }
        Line first = lines.get(0);
        char separator = options.separator() != null ? options.separator() : detectSeparator(first.text);
        List<String> firstFields = split(first, separator, source);
        int columns = firstFields.size();
        if (columns < 2) {
            throw DataFormatException.atLine(source, first.number, "found 1 field, expected at least 2 (features, then "
                    + "the label) separated by " + describe(separator)
                    + (options.separator() == null ? " (tried ',', ';' and tab)" : ""));
        }
        boolean header = firstFields.stream().anyMatch(f -> !f.isEmpty() && !looksNumeric(f));
        List<String> names = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            names.add(header ? firstFields.get(c) : "col" + c);
        }
        int label = labelIndex(options.labelColumn(), header, names, source);

        int rows = lines.size() - (header ? 1 : 0);
        if (rows == 0) {
            throw DataFormatException.inFile(source, "found a header on line " + first.number + " but no data rows");
        }
        int inputs = columns - 1;
        float[] features = new float[rows * inputs];
        double[] labelValues = new double[rows];
        String shapeOrigin = header ? "the header on line " + first.number : "the first row, line " + first.number;
        int row = 0;
        for (int i = header ? 1 : 0; i < lines.size(); i++, row++) {
            Line line = lines.get(i);
            List<String> fields = i == 0 ? firstFields : split(line, separator, source);
            if (fields.size() != columns) {
                throw DataFormatException.atLine(source, line.number, "found " + fields.size() + " field"
                        + (fields.size() == 1 ? "" : "s") + ", expected " + columns + " as in " + shapeOrigin
                        + " (separator " + describe(separator) + ")");
            }
            int f = 0;
            for (int c = 0; c < columns; c++) {
                double v = parse(fields.get(c), source, line.number, c);
                if (c == label) {
                    labelValues[row] = v + 0.0; // turns -0.0 into 0.0, so that both name one class
                } else {
                    features[row * inputs + f++] = (float) v;
                }
            }
        }

        List<String> featureNames = new ArrayList<>(names);
        String labelName = featureNames.remove(label);
        Tensor x = Tensor.wrap(features, rows, inputs);
        String name = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        if (!isClassification(options.task(), labelValues)) {
            float[] targets = new float[rows];
            for (int r = 0; r < rows; r++) {
                targets[r] = (float) labelValues[r];
            }
            return new Result(Dataset.regression(name, x, Tensor.wrap(targets, rows, 1)), featureNames, labelName,
                    new double[0]);
        }
        double[] classValues = distinct(labelValues);
        if (classValues.length < 2) {
            throw DataFormatException.inFile(source, "label column '" + labelName + "' holds the single value "
                    + format(classValues[0]) + " in all " + rows + " rows, but a classification set needs at least "
                    + "2 classes (ask for a regression task if these are targets)");
        }
        if (options.task() == Task.BINARY && classValues.length != 2) {
            throw DataFormatException.inFile(source, "a binary task was requested, but label column '" + labelName
                    + "' holds " + classValues.length + " distinct values " + preview(classValues));
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = Arrays.binarySearch(classValues, labelValues[r]);
        }
        return new Result(Dataset.classification(name, x, labels, classValues.length), featureNames, labelName,
                classValues);
    }

    /** A numeric table without a label: column names (header, or col0, col1, ...) and row-major values. */
    public record Table(List<String> names, boolean header, Tensor values) {}

    /**
     * Reads a numeric CSV with any number of columns (at least one) and no label, e.g. the inputs
     * for {@code relume predict}. Same rules as {@link #read} for separators, headers, comments and
     * numbers.
     */
    public static Table readTable(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("CSV file " + source + " is a directory, expected a file");
        }
        requireRegularFile(file, source);
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            List<Line> lines = contentLines(reader, source);
            if (lines.isEmpty()) {
                throw DataFormatException.inFile(source, "the file is empty: expected a header or data rows");
            }
            Line first = lines.get(0);
            char separator = detectSeparator(first.text);
            List<String> firstFields = split(first, separator, source);
            int columns = firstFields.size();
            boolean header = firstFields.stream().anyMatch(f -> !f.isEmpty() && !looksNumeric(f));
            List<String> names = new ArrayList<>(columns);
            for (int c = 0; c < columns; c++) {
                names.add(header ? firstFields.get(c) : "col" + c);
            }
            int rows = lines.size() - (header ? 1 : 0);
            if (rows == 0) {
                throw DataFormatException.inFile(source, "found a header on line " + first.number + " but no data rows");
            }
            float[] values = new float[rows * columns];
            int row = 0;
            for (int i = header ? 1 : 0; i < lines.size(); i++, row++) {
                Line line = lines.get(i);
                List<String> fields = i == 0 ? firstFields : split(line, separator, source);
                if (fields.size() != columns) {
                    throw DataFormatException.atLine(source, line.number, "found " + fields.size() + " fields, expected "
                            + columns + " as in line " + first.number + " (separator " + describe(separator) + ")");
                }
                for (int c = 0; c < columns; c++) {
                    values[row * columns + c] = (float) parse(fields.get(c), source, line.number, c);
                }
            }
            return new Table(List.copyOf(names), header, Tensor.wrap(values, rows, columns));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("CSV file not found: " + source, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses pipes, devices and sockets (reading /dev/zero or a FIFO never ends) and files larger than
     * the heap could hold once parsed.
     */
    private static void requireRegularFile(Path file, String source) {
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

    /** A non-blank, non-comment line and its 1-based number in the file. */
    private record Line(long number, String text) {}

    private static List<Line> contentLines(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<Line> lines = new ArrayList<>();
        long number = 0;
        StringBuilder buffer = new StringBuilder();
        for (String text = boundedLine(in, buffer, source, number + 1); text != null;
             text = boundedLine(in, buffer, source, number + 1)) {
            number++;
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark some spreadsheet programs write
            }
            String trimmed = text.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                lines.add(new Line(number, text));
            }
        }
        return lines;
    }

    /**
     * The next line without its terminator, or null at the end; a line longer than
     * {@link #MAX_LINE_CHARS} is refused, so a binary file or a stream without newlines cannot fill
     * the heap one line at a time.
     */
    private static String boundedLine(BufferedReader in, StringBuilder buffer, String source, long number) throws IOException {
        buffer.setLength(0);
        int c = in.read();
        if (c < 0) {
            return null;
        }
        while (c >= 0 && c != '\n') {
            if (c != '\r') {
                buffer.append((char) c);
            }
            if (buffer.length() > MAX_LINE_CHARS) {
                throw DataFormatException.atLine(source, number, "longer than " + MAX_LINE_CHARS
                        + " characters without a line break; not a CSV table");
            }
            c = in.read();
        }
        return buffer.toString();
    }

    /** The candidate that occurs most often outside quotes; ',' when none occurs. */
    private static char detectSeparator(String line) {
        int[] counts = new int[SEPARATORS.length];
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                for (int s = 0; s < SEPARATORS.length; s++) {
                    if (ch == SEPARATORS[s]) {
                        counts[s]++;
                    }
                }
            }
        }
        int best = 0;
        for (int s = 1; s < SEPARATORS.length; s++) {
            if (counts[s] > counts[best]) {
                best = s;
            }
        }
        return SEPARATORS[best];
    }

    /** Splits one line into stripped fields, honouring '"' quoting. */
    private static List<String> split(Line line, char separator, String source) {
        String s = line.text;
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && s.charAt(i) != separator && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i < n && s.charAt(i) == '"') {
                int column = fields.size() + 1;
                int open = i;
                StringBuilder field = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw DataFormatException.atField(source, line.number, column, s.substring(open).strip(),
                                "expected a closing '\"' before the end of the line (quoted fields cannot span lines)");
                    }
                    char ch = s.charAt(i++);
                    if (ch == '"') {
                        if (i < n && s.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(ch);
                    }
                }
                int after = i;
                while (i < n && s.charAt(i) != separator && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && s.charAt(i) != separator) {
                    int end = s.indexOf(separator, i);
                    throw DataFormatException.atField(source, line.number, column,
                            s.substring(after, end < 0 ? n : end).strip(),
                            "expected " + describe(separator) + " or the end of the line after the closing '\"'");
                }
                fields.add(field.toString().strip());
            } else {
                int end = s.indexOf(separator, i);
                fields.add(s.substring(i, end < 0 ? n : end).strip());
                i = end < 0 ? n : end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // past the separator; a separator at the very end leaves one more (empty) field
            if (i == n) {
                fields.add("");
                return fields;
            }
        }
    }

    private static boolean looksNumeric(String field) {
        return NUMBER.matcher(field).matches() || NON_FINITE.matcher(field).matches();
    }

    /** Parses a field that must hold a finite number representable as a float. */
    private static double parse(String field, String source, long line, int column) {
        if (field.isEmpty()) {
            throw DataFormatException.atField(source, line, column + 1, field, "expected a number, found an empty field");
        }
        if (NON_FINITE.matcher(field).matches()) {
            throw DataFormatException.atField(source, line, column + 1, field, "expected a finite number");
        }
        if (!NUMBER.matcher(field).matches()) {
            throw DataFormatException.atField(source, line, column + 1, field, "expected a number");
        }
        double v = Double.parseDouble(field);
        if (Double.isInfinite(v) || Math.abs(v) > Float.MAX_VALUE) {
            throw DataFormatException.atField(source, line, column + 1, field,
                    "expected a number within float range (magnitude at most " + Float.MAX_VALUE + ")");
        }
        return v;
    }

    private static int labelIndex(String spec, boolean header, List<String> names, String source) {
        int columns = names.size();
        if (spec == null) {
            return columns - 1;
        }
        if (header) {
            int found = names.indexOf(spec);
            if (found >= 0) {
                int again = names.subList(found + 1, columns).indexOf(spec);
                if (again >= 0) {
                    throw DataFormatException.inFile(source, "label column name '" + spec + "' is ambiguous: columns "
                            + found + " and " + (found + 1 + again) + " (0-based) both have it; give an index instead");
                }
                return found;
            }
        }
        int index;
        try {
            index = Integer.parseInt(spec.strip());
        } catch (NumberFormatException e) {
            if (!header) {
                throw DataFormatException.inFile(source, "label column '" + spec + "' was given by name, but the file "
                        + "has no header row; give a 0-based index from 0 to " + (columns - 1) + " instead");
            }
            throw DataFormatException.inFile(source, "no column named '" + spec + "'; the columns are "
                    + quoteAll(names) + " (or give a 0-based index)");
        }
        if (index < 0 || index >= columns) {
            throw DataFormatException.inFile(source, "label column index " + index + " is out of range: the file has "
                    + columns + " columns, indices 0 to " + (columns - 1));
        }
        return index;
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

    private static String preview(double[] values) {
        StringBuilder sb = new StringBuilder("(");
        int shown = Math.min(values.length, 10);
        for (int i = 0; i < shown; i++) {
            sb.append(i > 0 ? ", " : "").append(format(values[i]));
        }
        return sb.append(values.length > shown ? ", ...)" : ")").toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String quoteAll(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i > 0 ? ", " : "").append('\'').append(names.get(i)).append('\'');
        }
        return sb.toString();
    }

    private static String describe(char separator) {
        return separator == '\t' ? "tab" : "'" + separator + "'";
    }
}
