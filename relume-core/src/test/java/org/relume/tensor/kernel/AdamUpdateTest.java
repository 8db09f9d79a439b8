package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamUpdateTest {

    @Test
    void vectorLanesAndTheScalarTailComputeTheScalarFormulaBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 3 * Lanes.LOGICAL + 7;
        float[] w = new float[n];
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
            // Gradient magnitudes from 1 down to 1e-25, so some fall under the second-moment bound.
            g[i] = (float) (r.nextGaussian() * Math.pow(10, -25 * r.nextDouble()));
            m[i] = (float) (r.nextGaussian() * 1e-3);
            v[i] = (float) (r.nextDouble() * 1e-6);
        }
        float[] w2 = w.clone();
        float[] m2 = m.clone();
        float[] v2 = v.clone();
        float step = 0.01f / 0.1f;
        float c2 = (float) (1 / Math.sqrt(0.001));
        AdamUpdate.apply(w, g, m, v, n, step, c2, 0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0.01f,
                AdamUpdate.TINY_FOR_SECOND_MOMENT);
        for (int i = 0; i < n; i++) {
            float gi = g[i] + 0.01f * w2[i];
            float mi = 0.9f * m2[i] + 0.1f * gi;
            float gv = Math.abs(gi) < AdamUpdate.TINY_FOR_SECOND_MOMENT ? 0f : gi;
            float si = 0.999f * v2[i] + 0.001f * gv * gv;
            m2[i] = mi;
            v2[i] = si;
            w2[i] -= step * mi / ((float) Math.sqrt(si) * c2 + 1e-8f);
        }
        assertArrayEquals(m2, m);
        assertArrayEquals(v2, v);
        assertArrayEquals(w2, w);
    }

    @Test
    void aSplitOverCoresGivesTheSingleThreadedResult() {
        SplittableRandom r = new SplittableRandom(12);
        int n = AdamUpdate.PARALLEL_THRESHOLD + 37;
        float[][] one = new float[4][n];
        for (int i = 0; i < n; i++) {
            one[0][i] = (float) r.nextGaussian();
            one[1][i] = (float) r.nextGaussian();
            one[2][i] = (float) r.nextGaussian() * 0.1f;
            one[3][i] = (float) r.nextDouble() * 0.1f;
        }
        float[][] two = {one[0].clone(), one[1].clone(), one[2].clone(), one[3].clone()};
        Parallelism.runSingleThreaded(() -> AdamUpdate.apply(one[0], one[1], one[2], one[3], n,
                0.1f, 2f, 0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0f, AdamUpdate.TINY_FOR_SECOND_MOMENT));
        int before = EngineParameters.maxThreads;
        EngineParameters.maxThreads = 3;
        try {
            AdamUpdate.apply(two[0], two[1], two[2], two[3], n, 0.1f, 2f, 0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0f,
                    AdamUpdate.TINY_FOR_SECOND_MOMENT);
        } finally {
            EngineParameters.maxThreads = before;
        }
        assertArrayEquals(one[0], two[0]);
        assertArrayEquals(one[2], two[2]);
        assertArrayEquals(one[3], two[3]);
    }

    @Test
    void aTinyGradientOnlyDecaysTheSecondMoment() {
        int n = Lanes.LOGICAL;
        float[] w = new float[n];
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        java.util.Arrays.fill(g, 1e-18f);
        java.util.Arrays.fill(v, 1e-30f);
        AdamUpdate.apply(w, g, m, v, n, 0.01f, 1f, 0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0f, AdamUpdate.TINY_FOR_SECOND_MOMENT);
        assertEquals(0.999f * 1e-30f, v[0]);
        assertEquals(0.1f * 1e-18f, m[0], "the first moment still takes the gradient");
    }
}
