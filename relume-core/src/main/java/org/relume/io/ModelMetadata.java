package org.relume.io;

import java.util.List;
import java.util.Map;
import org.relume.data.Task;

/**
 * What a saved model knows besides its layers (Tribuo's provenance habit): the task and loss it
 * was trained for, the input standardization to apply before it (null when none), the feature
 * and class names, and a provenance record (command, data, seed, settings, time, version).
 */
public record ModelMetadata(Task task, int classes, String loss, float[] inputMean, float[] inputStd,
                            List<String> featureNames, Map<String, Object> provenance) {

    public ModelMetadata {
        featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        if ((inputMean == null) != (inputStd == null)) {
            throw new IllegalArgumentException("input mean and std must both be given or both be absent");
        }
    }

    /** True if inputs are standardized, (x - mean) / std, before the network sees them. */
    public boolean standardizesInputs() {
        return inputMean != null;
    }
}
