package org.relume.compose;

import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Dataset;

/**
 * Chooses added or subtracted waves from the data, as the paper pairs them with its targets'
 * convexity (Milkert et al., Section 4.1: subtracted for the convex x^3 and x^11, added for the
 * concave tanh 3x and sin(pi x / 2)); the rule for other data is ours [R], REFERENCES.md §7.2. In the unit frame ({@link CurveFrame}) a convex curve lies
 * below its chord v = u and a concave one above it, and y = x - sum s_i W_i can only dip below the
 * line while y = x + sum s_i W_i can only rise above it. So the sign follows the mean gap v - u:
 * a test of which side of the chord the data lie on rather than of the second derivative, which
 * noisy data would not give, and which for a curve that crosses its chord picks the side holding
 * more of it.
 */
public final class Convexity {
    private Convexity() {}

    /** The mean of v - u over the samples of unit-frame data: negative below the chord, positive above it. */
    public static double meanGap(Dataset unit) {
        float[] u = unit.features().data();
        float[] v = unit.targets().data();
        double sum = 0;
        for (int i = 0; i < u.length; i++) {
            sum += v[i] - u[i];
        }
        return sum / Math.max(1, u.length);
    }

    /** Subtracted waves for data below the chord (convex), added ones otherwise. */
    public static Sign waves(Dataset unit) {
        return meanGap(unit) < 0 ? Sign.SUBTRACTED : Sign.ADDED;
    }
}
