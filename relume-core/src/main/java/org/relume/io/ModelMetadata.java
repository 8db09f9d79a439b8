package org.relume.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.relume.data.Task;

/**
 * What a saved model knows besides its layers (Tribuo's provenance habit): the task and loss it
 * was trained for, the input standardization to apply before it (null when none), the feature
 * and class names, and a provenance record (command, data, seed, settings, time, version).
 *
 * <p>{@code classNames} names class 0, 1, ... as the training data wrote it ("setosa", "10"), so
 * that predictions come back in the user's terms; it is empty for regression and for models saved
 * before Relume kept it, whose classes are then known only by index.
 */
public record ModelMetadata(Task task, int classes, String loss, float[] inputMean, float[] inputStd,
                            List<String> featureNames, Map<String, Object> provenance, List<String> classNames) {

    public ModelMetadata {
        featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
        // Kept in the order written (command, data, seed, ...), which model.json and info show.
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if ((inputMean == null) != (inputStd == null)) {
            throw new IllegalArgumentException("input mean and std must both be given or both be absent");
        }
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + classes + " classes");
        }
    }

    /** Metadata without class names (classes known by index). */
    public ModelMetadata(Task task, int classes, String loss, float[] inputMean, float[] inputStd,
                         List<String> featureNames, Map<String, Object> provenance) {
        this(task, classes, loss, inputMean, inputStd, featureNames, provenance, List.of());
    }

    /** True if inputs are standardized, (x - mean) / std, before the network sees them. */
    public boolean standardizesInputs() {
        return inputMean != null;
    }

    /** The name of every class: the stored names, or "0", "1", ... when the model has none. */
    public List<String> classLabels() {
        if (!classNames.isEmpty()) {
            return classNames;
        }
        return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }
}
