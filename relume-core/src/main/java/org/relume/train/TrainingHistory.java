package org.relume.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The logged metrics of a run: one row per logged epoch, columns by name in first-seen order.
 * Rows may lack some columns (e.g. diagnostics logged on a coarser schedule); CSV leaves them blank.
 */
public final class TrainingHistory {
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private final Set<String> columns = new LinkedHashSet<>();

    public void add(Map<String, Double> row) {
        Map<String, Double> copy = new LinkedHashMap<>(row);
        rows.add(copy);
        columns.addAll(copy.keySet());
    }

    public List<Map<String, Double>> rows() {
        return Collections.unmodifiableList(rows);
    }

    public List<String> columns() {
        return List.copyOf(columns);
    }

    public Map<String, Double> last() {
        return rows.isEmpty() ? Map.of() : rows.get(rows.size() - 1);
    }

    /** The rows as CSV text with a header line; integers without a decimal point, blanks for gaps. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Double> row : rows) {
            boolean first = true;
            for (String c : columns) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Double v = row.get(c);
                if (v != null) {
                    sb.append(format(v));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Integral values print as integers, others in full precision. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
