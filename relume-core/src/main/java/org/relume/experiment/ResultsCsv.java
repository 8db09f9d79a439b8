package org.relume.experiment;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.io.AtomicFiles;

/**
 * A results table that grows one complete row at a time, so that an interrupted run can resume.
 *
 * <p>Opening an existing file keeps every complete row whose header matches and drops a torn last
 * line (a crash mid-write), rewriting the file atomically; new rows are appended and flushed as
 * they arrive. Text values with commas or quotes are quoted as RFC 4180 says.
 */
public final class ResultsCsv implements AutoCloseable {
    private final Path file;
    private final List<String> header;
    private final List<Map<String, String>> existing;
    /** A file from before rows recorded their settings: read, never extended. */
    private final boolean withoutSettings;
    private Writer out;

    private ResultsCsv(Path file, List<String> header, List<Map<String, String>> existing, boolean withoutSettings) {
        this.file = file;
        this.header = List.copyOf(header);
        this.existing = existing;
        this.withoutSettings = withoutSettings;
    }

    /** The column that records how each row was made; files written before it existed lack it. */
    private static final String SETTINGS = "settings";

    /**
     * Opens {@code file} for appending rows with {@code header}, keeping the complete rows already
     * there. A file whose header is {@code header} without its last column, {@code settings}, was
     * written before rows recorded their settings: its rows are read as they are (a finished grid
     * can still be reported and drawn), the file is left untouched, and no row may be added to it
     * (see {@link #requireCanAdd}).
     */
    public static ResultsCsv open(Path file, List<String> header) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        boolean withoutSettings = false;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            List<String> columns = header;
            boolean beforeSettings = header.get(header.size() - 1).equals(SETTINGS)
                    && lines[0].equals(String.join(",", header.subList(0, header.size() - 1)));
            if (beforeSettings) {
                columns = header.subList(0, header.size() - 1);
                withoutSettings = true;
            } else if (!lines[0].isEmpty() && !lines[0].equals(String.join(",", header))) {
                throw new IllegalArgumentException(file + " has the columns '" + lines[0] + "', expected '"
                        + String.join(",", header) + "'; use another --out directory or remove the file");
            }
            // The last element is the text after the final newline: empty, or a torn row.
            for (int i = 1; i < lines.length - 1; i++) {
                List<String> f = fields(lines[i]);
                if (f != null && f.size() == columns.size()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int c = 0; c < f.size(); c++) {
                        row.put(columns.get(c), f.get(c));
                    }
                    rows.add(row);
                }
            }
        }
        ResultsCsv csv = new ResultsCsv(file, header, rows, withoutSettings);
        if (withoutSettings) {
            return csv;
        }
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (Map<String, String> r : rows) {
            sb.append(csv.line(r));
        }
        AtomicFiles.writeString(file, sb.toString());
        csv.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return csv;
    }

    /** The complete rows that were in the file when it was opened. */
    public List<Map<String, String>> existingRows() {
        return List.copyOf(existing);
    }

    /**
     * The earlier rows, all of which must have been made with {@code settings} (their
     * {@code settings} column): resuming under other settings would mix two experiments in one table.
     */
    public List<Map<String, String>> existingRows(String settings) {
        if (withoutSettings) {
            // Nothing to check them against; requireCanAdd keeps new rows from joining them.
            return existingRows();
        }
        for (Map<String, String> row : existingRows()) {
            if (!settings.equals(row.get("settings"))) {
                throw new IllegalArgumentException(file() + " holds runs made with other settings (" + row.get("settings")
                        + "; now: " + settings + "); use another output directory or remove the file");
            }
        }
        return existingRows();
    }

    /**
     * Refuses, before any work, to add {@code rows} new rows to a file from before rows recorded
     * their settings: they could not be told from the old rows' settings, nor fit its header.
     */
    public void requireCanAdd(int rows) {
        if (withoutSettings && rows > 0) {
            throw new IllegalArgumentException(file + " was written before results recorded their settings; it can be"
                    + " reported and drawn as it is, but " + rows + " missing row(s) cannot be added to it; use another"
                    + " --out directory or remove the file");
        }
    }

    /** Appends one row (missing columns blank) and flushes it. */
    public synchronized void append(Map<String, ?> row) throws IOException {
        requireCanAdd(1);
        out.write(line(row));
        out.flush();
    }

    private String line(Map<String, ?> row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < header.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            Object v = row.get(header.get(c));
            if (v != null) {
                sb.append(clean(v));
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * RFC 4180 quoting where a value holds a comma or a quote, so error messages and settings keep
     * their commas; line breaks become spaces, so every row stays one line (which the torn-row rule
     * above relies on).
     */
    private static String clean(Object v) {
        if (v instanceof Double d) {
            return org.relume.train.TrainingHistory.format(d);
        }
        String text = v.toString().replace('\n', ' ').replace('\r', ' ');
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** The fields of one row, or null for a row whose quotes do not close (a torn or foreign line). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(field.toString());
        return out;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        // A file from before settings is never opened for writing: out stays null.
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
