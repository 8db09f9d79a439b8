package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The theta sequence and h weights of Li et al. eqs. 3-5 against the published digits. */
class ThetaSequenceTest {

    @Test
    void thetaMatchesPublishedValues() {
        double[] expected = {1, 0.61803, 0.45589, 0.36366, 0.30350};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], ThetaSequence.theta(k), 5e-6, "theta_" + k);
        }
    }

    @Test
    void hMatchesPublishedValues() {
        assertArrayEquals(new double[] {1}, ThetaSequence.h(1), 1e-12);
        assertArrayEquals(new double[] {0, 1.28175}, ThetaSequence.h(2), 2e-5);
        assertArrayEquals(new double[] {0, 0.12229, 1.43404}, ThetaSequence.h(3), 2e-5);
        assertArrayEquals(new double[] {0, 0.06495, 0.23050, 1.53106}, ThetaSequence.h(4), 2e-5);
    }

    /** Iteration (4) with the weights of (5) gives the same iterates y_k as iteration (3). */
    @Test
    void sumFormEqualsMomentumFormOnAQuadratic() {
        // f(z) = 1/2 z^T A z - b^T z with a fixed SPD A scaled so its gradient is 1-Lipschitz.
        double[][] a = {{0.9, 0.2, 0.0}, {0.2, 0.5, 0.1}, {0.0, 0.1, 0.05}};
        double[] b = {1, -2, 0.5};
        int steps = 25;
        double[] z = {3, -1, 2};
        double[] zPrev = z.clone();
        double[][] yMomentum = new double[steps + 1][];
        for (int k = 0; k <= steps; k++) {
            double beta = ThetaSequence.beta(k);
            double[] y = new double[3];
            for (int i = 0; i < 3; i++) {
                y[i] = z[i] + beta * (z[i] - zPrev[i]);
            }
            yMomentum[k] = y;
            double[] g = gradient(a, b, y);
            zPrev = z;
            z = new double[3];
            for (int i = 0; i < 3; i++) {
                z[i] = y[i] - g[i];
            }
        }
        double[][] ySum = new double[steps + 1][];
        double[][] grads = new double[steps + 1][];
        ySum[0] = new double[] {3, -1, 2};
        for (int k = 0; k < steps; k++) {
            grads[k] = gradient(a, b, ySum[k]);
            double[] h = ThetaSequence.h(k + 1);
            double[] y = ySum[k].clone();
            for (int j = 0; j <= k; j++) {
                for (int i = 0; i < 3; i++) {
                    y[i] -= h[j] * grads[j][i];
                }
            }
            ySum[k + 1] = y;
        }
        for (int k = 0; k <= steps; k++) {
            assertArrayEquals(yMomentum[k], ySum[k], 1e-9, "y_" + k);
        }
    }

    private static double[] gradient(double[][] a, double[] b, double[] z) {
        double[] g = new double[3];
        for (int i = 0; i < 3; i++) {
            g[i] = -b[i];
            for (int j = 0; j < 3; j++) {
                g[i] += a[i][j] * z[j];
            }
        }
        return g;
    }
}
