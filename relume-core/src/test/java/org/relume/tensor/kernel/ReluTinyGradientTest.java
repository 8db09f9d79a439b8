package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Relu's backward pass drops gradients below {@link PointwiseFunctions#TINY_GRADIENT} (they would
 * enter float's subnormal range deeper in a thin net) and passes every other one unchanged, in the
 * vector body and the scalar tail alike, accumulating or not.
 */
class ReluTinyGradientTest {

    @Test
    void tinyGradientsAreDroppedOthersPass() {
        for (float gradAtZero : new float[] {0f, 1f}) {
            PointwiseFunction relu = PointwiseFunctions.relu(gradAtZero);
            int n = 67; // four 16-lane vectors and a tail of 3
            float[] x = new float[n];
            float[] dy = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i % 5 == 0 ? -1f : 0.5f;
                dy[i] = switch (i % 4) {
                    case 0 -> 1e-35f;
                    case 1 -> Float.MIN_VALUE;
                    case 2 -> -2e-30f;
                    default -> 0.25f;
                };
            }
            float[] dx = new float[n];
            float[] acc = new float[n];
            java.util.Arrays.fill(acc, 1f);
            relu.backward(x, null, dy, dx, n, false);
            relu.backward(x, null, dy, acc, n, true);
            for (int i = 0; i < n; i++) {
                boolean on = x[i] > 0;
                boolean tiny = Math.abs(dy[i]) < PointwiseFunctions.TINY_GRADIENT;
                float expected = on && !tiny ? dy[i] : 0f;
                assertEquals(expected, dx[i], 0f, "element " + i);
                assertEquals(1f + expected, acc[i], 0f, "accumulated element " + i);
            }
        }
    }
}
