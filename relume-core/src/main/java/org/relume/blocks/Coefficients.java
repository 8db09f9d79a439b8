package org.relume.blocks;

import java.util.ArrayList;
import java.util.List;
import org.relume.tensor.CombinationOps.Combination;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * The scalar coefficients of one structured layer (the betas and alphas of Li et al., eqs. 16-20):
 * either fixed numbers, or one learnable vector trained with the weights and saved in model files
 * as {@code stages.<s>.coefficients}.
 */
final class Coefficients {
    private final float[] fixed;
    private final Var learnable;

    private Coefficients(float[] fixed, Var learnable) {
        this.fixed = fixed;
        this.learnable = learnable;
    }

    static Coefficients of(boolean learnable, double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return new Coefficients(f, learnable ? Var.parameter("coefficients", Tensor.of(f.clone(), f.length)) : null);
    }

    boolean learnable() {
        return learnable != null;
    }

    int size() {
        return fixed.length;
    }

    /** The current value of coefficient i. */
    float value(int i) {
        return learnable != null ? learnable.value().data()[i] : fixed[i];
    }

    /** Starts a sum whose learnable terms read this vector. */
    Combination begin(Combination c) {
        return c.begin(learnable);
    }

    /** Adds coefficient i times x to the sum. */
    void add(Combination c, int i, Var x) {
        if (learnable != null) {
            c.addLearnable(i, x);
        } else {
            c.add(fixed[i], x);
        }
    }

    List<Var> vars() {
        return learnable == null ? List.of() : List.of(learnable);
    }

    /** The current values, for model.json (learnable values are also in the tensor file). */
    List<Double> values() {
        List<Double> v = new ArrayList<>(fixed.length);
        for (int i = 0; i < fixed.length; i++) {
            v.add((double) value(i));
        }
        return v;
    }

    Coefficients copy() {
        if (learnable == null) {
            return this;
        }
        return new Coefficients(fixed, Var.parameter("coefficients", learnable.value().copy()));
    }
}
