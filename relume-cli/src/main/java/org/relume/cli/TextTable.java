package org.relume.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table for the terminal: a header row, then aligned columns, numbers right-aligned
 * and text left-aligned. Commands print these instead of Java's {@code Map.toString()}, which a
 * person cannot scan; programs read the CSV and JSON files the same commands write.
 */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    /** Rows that share their keys in order (e.g. one per growth) as a table with those keys as headers. */
    static TextTable of(List<? extends java.util.Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a table of no rows has no columns");
        }
        TextTable table = new TextTable(List.copyOf(rows.get(0).keySet()));
        for (java.util.Map<String, ?> row : rows) {
            table.row(List.copyOf(row.values()));
        }
        return table;
    }

    /** Adds a row; each cell is formatted by {@link #cell}. */
    TextTable row(List<?> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + headers.size()
                    + " columns");
        }
        rows.add(cells.stream().map(TextTable::cell).toList());
        return this;
    }

    /** Numbers to four significant digits, vectors as (x, y, ...), anything else as its text. */
    static String cell(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        if (value instanceof double[] v) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < v.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(number(v[i]));
            }
            return sb.append(')').toString();
        }
        return String.valueOf(value);
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceFirst("\\.(e|$)", "$1") : String.valueOf(v);
    }

    /** The table, one line per row, columns separated by two spaces, each line ending in a newline. */
    String render() {
        int n = headers.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = headers.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                numeric[c] &= isNumber(row.get(c));
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width, numeric);
        for (List<String> row : rows) {
            line(sb, row, width, numeric);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String pad = " ".repeat(width[c] - cells.get(c).length());
            line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cells.get(c) : cells.get(c) + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
