package org.relume.grow;

import java.util.Arrays;
import java.util.Locale;

/**
 * How new units get their weights (REFERENCES.md §4.1). Incoming weights and biases are zero, so
 * the new units output relu(0) = 0 and the function is unchanged; they differ in the outgoing
 * weights:
 * <ul>
 *   <li>{@code gradmax}: the top-k left singular vectors of G = dZ [H; 1]^T (Evci et al. 2022),
 *       which maximize the gradient norm of the new incoming weights, W_out^T G;</li>
 *   <li>{@code random}: random directions of the same norm;</li>
 *   <li>{@code zeros}: zero (the new units then never receive a gradient);</li>
 *   <li>{@code gradmax-opt}: random, then a few normalized gradient-ascent steps on ||W_out^T G||^2.</li>
 * </ul>
 */
public enum GrowthMethod {
    GRADMAX("gradmax"), RANDOM("random"), ZEROS("zeros"), GRADMAX_OPT("gradmax-opt");

    private final String id;

    GrowthMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static GrowthMethod byName(String name) {
        for (GrowthMethod m : values()) {
            if (m.id.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown growth method '" + name + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(GrowthMethod::id).toList()) + " (and folding)");
    }
}
