package org.relume.data;

/** What a data set's targets mean, which decides the network's output size, loss and metrics. */
public enum Task {
    /** Two classes, labels 0/1; the network has one output (a logit). */
    BINARY,
    /** k classes, labels 0..k-1; the network has k outputs (logits). */
    MULTICLASS,
    /** Real-valued targets; the network has one output per target column. */
    REGRESSION;

    /** The lower-case name used on the command line and in files. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isClassification() {
        return this != REGRESSION;
    }
}
