package org.relume.blocks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named structures of Li et al. (Table 3 and Section 5.3), by the optimizer that inspires each:
 * gradient descent (eq. 7), heavy ball (eq. 11; ResNet and HB-Net as settings of eq. 16),
 * Nesterov (eq. 12 and eq. 13) and linearized ADMM (eq. 14; DMRNet as a setting of eq. 20).
 */
public enum Structure {
    GD("plain chain x_{k+1} = T(x_k) (eq. 7)"),
    HB("heavy ball x_{k+1} = T(x_k) + beta (x_k - x_{k-1}) (eq. 11; beta defaults to 0.3)"),
    AGD("Nesterov x_{k+1} = T(x_k + beta_k (x_k - x_{k-1})), beta_k from the theta sequence (eq. 12), or constant with --beta (eq. 17)"),
    AGD2("Nesterov, second form: x_{k+1} = sum_j h_{k+1,j} T(x_j) + x_k - sum_j h_{k+1,j} x_j (eq. 13)"),
    ADMM("linearized ADMM, two interacting paths (eq. 14)"),
    RESNET("x_{k+1} = T(x_k) + x_k (eq. 16 with b1 = 1, b2 = 0)"),
    HBNET("x_{k+1} = T(x_k) + x_k - x_{k-1} (eq. 16 with b1 = 1, b2 = -1)"),
    DMRNET("two paths, x_{k+1} = T(x_k) + x'_k / 2 + x_k / 2 (eq. 20 with alpha = beta = 1/2)");

    private final String description;

    Structure(String description) {
        this.description = description;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** Parses an id such as {@code hb}; the message lists the known ones. */
    public static Structure parse(String id) {
        for (Structure s : values()) {
            if (s.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown structure '" + id + "'; known: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(Structure::id).collect(Collectors.joining(", "));
    }

    /** True if the structure has coefficients that {@code --learnable-coefficients} can train. */
    public boolean hasCoefficients() {
        return this != GD && this != ADMM;
    }

    /** Layers per structured step (the two-path structures run T' and T). */
    public int layersPerStep() {
        return this == ADMM || this == DMRNET ? 2 : 1;
    }
}
