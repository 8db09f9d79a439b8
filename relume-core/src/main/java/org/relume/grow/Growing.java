package org.relume.grow;

import java.util.List;
import java.util.Map;
import org.relume.train.TrainingListener;

/**
 * A training listener that grows the network, as {@code relume grow} and {@code relume train
 * --grow} attach it: what it did comes back as one row per growth (the columns of growth.csv and
 * of the printed table), so the commands print and save any growth technique the same way.
 */
public interface Growing extends TrainingListener {

    /** One row per growth so far, in order; vectors stay double arrays (JSON arrays in summary.json). */
    List<Map<String, Object>> eventRows();
}
