package org.relume.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.Tensor;

/** Each initializer's distribution, checked by its moments and bounds on a large layer. */
class InitializerTest {
    private static final int OUT = 400;
    private static final int IN = 300;

    private static double[] moments(float[] x, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i];
        }
        mean /= n;
        double var = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            var += (x[i] - mean) * (x[i] - mean);
            maxAbs = Math.max(maxAbs, Math.abs(x[i]));
        }
        return new double[] {mean, var / n, maxAbs};
    }

    private static Tensor[] init(Initializer i) {
        Tensor w = Tensor.zeros(OUT, IN);
        Tensor b = Tensor.zeros(OUT).fill(5f);
        i.initialize(w, b, new SplittableRandom(123));
        return new Tensor[] {w, b};
    }

    @Test
    void glorotAndKaimingHaveTheirVariancesAndBounds() {
        double glorotLimit = Math.sqrt(6.0 / (IN + OUT));
        double[] m = moments(init(Initializer.GLOROT_UNIFORM)[0].data(), OUT * IN);
        assertEquals(0, m[0], 0.01 * glorotLimit);
        assertEquals(glorotLimit * glorotLimit / 3, m[1], 0.02 * glorotLimit * glorotLimit / 3);
        assertTrue(m[2] <= glorotLimit);
        assertEquals(0f, init(Initializer.GLOROT_UNIFORM)[1].data()[7]);

        m = moments(init(Initializer.GLOROT_NORMAL)[0].data(), OUT * IN);
        assertEquals(2.0 / (IN + OUT), m[1], 0.02 * 2.0 / (IN + OUT));

        m = moments(init(Initializer.KAIMING_UNIFORM)[0].data(), OUT * IN);
        assertEquals(2.0 / IN, m[1], 0.02 * 2.0 / IN);
        assertTrue(m[2] <= Math.sqrt(6.0 / IN));

        m = moments(init(Initializer.KAIMING_NORMAL)[0].data(), OUT * IN);
        assertEquals(2.0 / IN, m[1], 0.02 * 2.0 / IN);
    }

    @Test
    void torchDefaultDrawsWeightsAndBiasesUniformly() {
        Tensor[] t = init(Initializer.TORCH_DEFAULT);
        double bound = 1 / Math.sqrt(IN);
        double[] m = moments(t[0].data(), OUT * IN);
        assertEquals(bound * bound / 3, m[1], 0.02 * bound * bound / 3);
        assertTrue(m[2] <= bound);
        double[] mb = moments(t[1].data(), OUT);
        assertTrue(mb[2] <= bound && mb[2] > 0.5 * bound, "biases drawn in the bound");
    }

    @Test
    void raiPutsOneBetaDistributedEntryInEveryRow() {
        Tensor[] t = init(Initializer.RAI);
        double sigma = Initializer.RAI_SCALE / Math.sqrt(IN);
        int positiveLarge = 0;
        for (int j = 0; j < OUT; j++) {
            // Beta(2,1) entries are in [0,1] with mean 2/3; Gaussian ones have std sigma ~ 0.035.
            int big = 0;
            for (int k = 0; k < IN; k++) {
                if (t[0].get(j, k) > 8 * sigma) {
                    big++;
                }
            }
            if (t[1].get(j) > 8 * sigma) {
                big++;
            }
            assertTrue(big <= 1, "row " + j + " has " + big + " Beta entries");
            positiveLarge += big;
        }
        // P(Beta(2,1) < 8 sigma = 0.28) = 0.078, so about 92% of rows show their Beta entry.
        assertTrue(positiveLarge > 0.85 * OUT && positiveLarge <= OUT, "rows with a Beta entry: " + positiveLarge);
    }

    @Test
    void raaiRowsAreAntiCorrelatedBeforeTheBetaStep() {
        Tensor w = Tensor.zeros(OUT, IN);
        Tensor b = Tensor.zeros(OUT);
        Initializer.RAAI.initialize(w, b, new SplittableRandom(9));
        int nearZero = 0;
        for (int j = 0; j < OUT; j++) {
            // Without the replaced entry the row sums to -(replaced Gaussian value) * rescale;
            // summing the row minus its largest entry must be small compared with an iid row's sum.
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < IN; k++) {
                sum += w.get(j, k);
                max = Math.max(max, w.get(j, k));
            }
            double iidStd = Initializer.RAI_SCALE; // sqrt(IN) * sigma
            if (Math.abs(sum - max) < 0.2 * iidStd || Math.abs(sum) < 0.2 * iidStd) {
                nearZero++;
            }
        }
        assertTrue(nearZero > 0.8 * OUT, "anti-correlated rows: " + nearZero);
        // One input: no anti-correlation possible, raai must not produce zero weights.
        Tensor w1 = Tensor.zeros(50, 1);
        Initializer.RAAI.initialize(w1, Tensor.zeros(50), new SplittableRandom(1));
        int zeros = 0;
        for (int j = 0; j < 50; j++) {
            if (w1.get(j, 0) == 0f) {
                zeros++;
            }
        }
        assertEquals(0, zeros);
    }
}
