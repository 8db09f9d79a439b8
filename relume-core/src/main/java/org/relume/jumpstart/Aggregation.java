package org.relume.jumpstart;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the jumpstart deficits of all layers are combined into one penalty P (the paper's eq. 7).
 * D is the vector of every deficit xi+_j, xi-_j (per unit) and psi+_x, psi-_x (per point) of every
 * penalized layer; u_j = (xi+_j + xi-_j) / 2 and p_x = (psi+_x + psi-_x) / 2 are the balanced unit and
 * point terms.
 */
public enum Aggregation {
    /** P = mean(D), the paper's arithmetic mean. */
    MEAN("mean"),
    /** P = sum(D) = ||D||_1, the paper's 1-norm (the MOONS experiment). */
    L1("l1"),
    /** P = ||D||_2, unsquared (the paper's 2-norm). */
    L2("l2"),
    /** P = sum_j u_j^2 + sum_x p_x^2: the reference Keras code (a squared L2 regularizer on balanced terms). */
    L2SQ_BALANCED("l2sq-balanced"),
    /** P = mean_j u_j + mean_x p_x: the later PyTorch version's default ("balanced"). */
    BALANCED("balanced");

    private final String id;

    Aggregation(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Aggregation byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Aggregation a : values()) {
            if (a.id.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown jumpstart aggregation '" + name + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Aggregation::id).toList()));
    }
}
