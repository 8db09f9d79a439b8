package org.relume.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A CSV file as lines and column names, before any field is read as a number: the layer that
 * {@link CsvReader#read} (a labelled table) and {@link CsvReader#readTable} (prediction inputs)
 * share. It exists apart so that columns nobody asked for (an id, a string label at prediction time)
 * are never parsed, and so that both readers decide the separator and the header the same way.
 *
 * <p>Rows are kept as line text and split on demand: a parsed field costs a String object, which
 * for an MNIST-sized CSV would be tens of millions of objects.
 */
final class CsvText {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final char[] SEPARATORS = {',', ';', '\t'};

    /** A non-blank, non-comment line and its 1-based number in the file. */
    record Line(long number, String text) {}

    final String source;
    final char separator;
    final boolean separatorDetected;
    final boolean header;
    final Line first;
    final List<String> names;
    private final List<Line> lines;
    private final List<String> firstFields;

    private CsvText(String source, char separator, boolean detected, List<Line> lines, List<String> firstFields,
                    boolean header) {
        this.source = source;
        this.separator = separator;
        this.separatorDetected = detected;
        this.lines = lines;
        this.first = lines.get(0);
        this.firstFields = firstFields;
        this.header = header;
        List<String> n = new ArrayList<>(firstFields.size());
        for (int c = 0; c < firstFields.size(); c++) {
            n.add(header ? firstFields.get(c) : "col" + c);
        }
        this.names = List.copyOf(n);
    }

    /**
     * Reads every content line; the separator is {@code separator}, or detected from the first line
     * when null. The first line is a header when it has a non-numeric field in a column where the
     * second line has a number (so a string label column does not make every file look headed); a
     * file of one line, or whose second line has another field count, falls back to "any
     * non-numeric field".
     */
    static CsvText parse(Reader reader, String source, Character separator, String emptyMessage) throws IOException {
        List<Line> lines = contentLines(reader, source);
        if (lines.isEmpty()) {
            throw DataFormatException.inFile(source, emptyMessage);
        }
        char sep = separator != null ? separator : detectSeparator(lines.get(0).text());
        List<String> firstFields = split(lines.get(0), sep, source);
        List<String> second = lines.size() > 1 ? split(lines.get(1), sep, source) : null;
        return new CsvText(source, sep, separator == null, lines, firstFields, isHeader(firstFields, second));
    }

    private static boolean isHeader(List<String> first, List<String> second) {
        if (second == null || second.size() != first.size()) {
            return first.stream().anyMatch(f -> !f.isEmpty() && !looksNumeric(f));
        }
        for (int c = 0; c < first.size(); c++) {
            String f = first.get(c);
            if (!f.isEmpty() && !looksNumeric(f) && looksNumeric(second.get(c))) {
                return true;
            }
        }
        return false;
    }

    int columns() {
        return names.size();
    }

    /** Number of data rows (content lines after the header). */
    int rows() {
        return lines.size() - (header ? 1 : 0);
    }

    long lineNumber(int row) {
        return lines.get(row + (header ? 1 : 0)).number();
    }

    /** The fields of data row {@code row}, refused with its line when their count differs from the first line's. */
    List<String> fields(int row) {
        int i = row + (header ? 1 : 0);
        Line line = lines.get(i);
        List<String> fields = i == 0 ? firstFields : split(line, separator, source);
        if (fields.size() != columns()) {
            String origin = header ? "the header on line " + first.number() : "the first row, line " + first.number();
            throw DataFormatException.atLine(source, line.number(), "found " + fields.size() + " field"
                    + (fields.size() == 1 ? "" : "s") + ", expected " + columns() + " as in " + origin
                    + " (separator " + describe(separator) + ")" + countLineHint());
        }
        return fields;
    }

    /** The header's names that are numbers: a header should name columns, so these suggest a count line. */
    List<String> numericNames() {
        return header ? names.stream().filter(n -> !n.isEmpty() && looksNumeric(n)).toList() : List.of();
    }

    /** Why the header may be wrong, for the messages of a file that breaks down after line 1; empty if nothing suggests it. */
    String countLineHint() {
        List<String> numeric = numericNames();
        if (numeric.isEmpty()) {
            return "";
        }
        return "; the header on line " + first.number() + " holds numbers (" + quoteAll(numeric.subList(0,
                Math.min(3, numeric.size()))) + "): if it is a count line, as scikit-learn's raw CSV files begin with, "
                + "delete it";
    }

    /**
     * A column by header name or 0-based index ("4"); a name wins when a column is literally called
     * "4". {@code role} says what the column is for, in messages ("label column").
     */
    int column(String spec, String role) {
        int columns = columns();
        int found = names.indexOf(spec);
        if (found >= 0) {
            int again = names.subList(found + 1, columns).indexOf(spec);
            if (again >= 0) {
                throw DataFormatException.inFile(source, role + " name '" + spec + "' is ambiguous: columns "
                        + found + " and " + (found + 1 + again) + " (0-based) both have it; give an index instead");
            }
            return found;
        }
        int index;
        try {
            index = Integer.parseInt(spec.strip());
        } catch (NumberFormatException e) {
            if (!header) {
                throw DataFormatException.inFile(source, role + " '" + spec + "' was given by name, but the file "
                        + "has no header row; give a 0-based index from 0 to " + (columns - 1) + " instead");
            }
            throw DataFormatException.inFile(source, "no column named '" + spec + "'; the columns are "
                    + quoteAll(names) + " (or give a 0-based index)");
        }
        if (index < 0 || index >= columns) {
            throw DataFormatException.inFile(source, role + " index " + index + " is out of range: the file has "
                    + columns + " columns, indices 0 to " + (columns - 1));
        }
        return index;
    }

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
     * {@link CsvReader#MAX_LINE_CHARS} is refused, so a binary file or a stream without newlines
     * cannot fill the heap one line at a time.
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
            if (buffer.length() > CsvReader.MAX_LINE_CHARS) {
                throw DataFormatException.atLine(source, number, "longer than " + CsvReader.MAX_LINE_CHARS
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
        String s = line.text();
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            i = skipSpaces(s, i, separator);
            if (i < n && s.charAt(i) == '"') {
                i = quotedField(line, separator, source, i, fields);
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

    private static int skipSpaces(String s, int i, char separator) {
        while (i < s.length() && s.charAt(i) != separator && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Reads the quoted field opening at {@code open} into {@code fields}; returns the index after it. */
    private static int quotedField(Line line, char separator, String source, int open, List<String> fields) {
        String s = line.text();
        int n = s.length();
        int column = fields.size() + 1;
        StringBuilder field = new StringBuilder();
        int i = open + 1;
        while (true) {
            if (i >= n) {
                throw DataFormatException.atField(source, line.number(), column, s.substring(open).strip(),
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
        i = skipSpaces(s, i, separator);
        if (i < n && s.charAt(i) != separator) {
            int end = s.indexOf(separator, i);
            throw DataFormatException.atField(source, line.number(), column, s.substring(after, end < 0 ? n : end).strip(),
                    "expected " + describe(separator) + " or the end of the line after the closing '\"'");
        }
        fields.add(field.toString().strip());
        return i;
    }

    static boolean looksNumeric(String field) {
        return NUMBER.matcher(field).matches() || NON_FINITE.matcher(field).matches();
    }

    /** Parses a field that must hold a finite number representable as a float. */
    static double parse(String field, String source, long line, int column) {
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

    static String quoteAll(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i > 0 ? ", " : "").append('\'').append(names.get(i)).append('\'');
        }
        return sb.toString();
    }

    static String describe(char separator) {
        return separator == '\t' ? "tab" : "'" + separator + "'";
    }
}
