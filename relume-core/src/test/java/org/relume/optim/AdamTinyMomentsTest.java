package org.relume.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Adam's sweep of tiny moments: a unit whose gradient becomes exactly zero (a dead unit) must not
 * leave its moments in float's subnormal range, and the sweep must not change any weight.
 */
class AdamTinyMomentsTest {

    @Test
    void zeroGradientsLeaveNoSubnormalMomentsAndTheSameWeightsAsAdamWithoutTheSweep() {
        int n = 64;
        SplittableRandom r = new SplittableRandom(5);
        float[] w0 = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) r.nextGaussian();
        }
        Var p = Var.parameter("w", Tensor.of(w0.clone(), n));
        Adam adam = new Adam(0.01);
        float[] refW = w0.clone();
        float[] refM = new float[n];
        float[] refV = new float[n];
        int live = 300;
        int total = 20_000;
        for (int step = 1; step <= total; step++) {
            float[] g = new float[n];
            if (step <= live) {
                for (int i = 0; i < n; i++) {
                    // Each weight has its own gradient scale, 1 down to 1e-20, so that m and v start
                    // at every size and decay through the range the sweep acts on.
                    g[i] = (float) (r.nextGaussian() * Math.pow(10, -20.0 * i / n));
                }
            }
            p.setGrad(Tensor.of(g.clone(), n));
            adam.step(List.of(p));
            referenceStep(step, refW, refM, refV, g);
        }
        assertArrayEquals(refW, p.value().data(), "the sweep changed a weight");
        int refSubnormal = 0;
        for (int i = 0; i < n; i++) {
            refSubnormal += isSubnormal(refV[i]) ? 1 : 0;
        }
        assertTrue(refSubnormal > 0, "the scenario must drive plain Adam's v into the subnormal range");
        float[][] moments = adam.saveState(Map.of("w", p)).buffers().get("w");
        for (float[] moment : moments) {
            for (float x : moment) {
                assertTrue(!isSubnormal(x), "subnormal moment " + x);
            }
        }
        assertEquals(0f, moments[0][0], "m of a long-dead weight is flushed to zero");
    }

    /** With eps below 1e-8 the bounds do not hold, so Adam drops nothing: plain Adam, bit for bit. */
    @Test
    void aSmallEpsilonTurnsTheBoundsOff() {
        int n = 64;
        float[] w0 = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = 0.5f;
        }
        Var p = Var.parameter("w", Tensor.of(w0.clone(), n));
        Adam adam = new Adam(0.01, 0.9, 0.999, 1e-12, 0);
        float[] refW = w0.clone();
        float[] refM = new float[n];
        float[] refV = new float[n];
        for (int step = 1; step <= 300; step++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) Math.pow(10, -16 - 3.0 * i / n);
            }
            p.setGrad(Tensor.of(g.clone(), n));
            adam.step(List.of(p));
            double c1 = 1 - Math.pow(0.9, step);
            double c2 = 1 - Math.pow(0.999, step);
            float stepSize = (float) (0.01 / c1);
            float invSqrtC2 = (float) (1 / Math.sqrt(c2));
            for (int i = 0; i < n; i++) {
                float mi = 0.9f * refM[i] + 0.1f * g[i];
                float si = 0.999f * refV[i] + 0.001f * g[i] * g[i];
                refM[i] = mi;
                refV[i] = si;
                refW[i] -= stepSize * mi / ((float) Math.sqrt(si) * invSqrtC2 + 1e-12f);
            }
        }
        assertArrayEquals(refW, p.value().data());
    }

    private static boolean isSubnormal(float x) {
        return x != 0f && Math.abs(x) < Float.MIN_NORMAL;
    }

    /** PyTorch's Adam, as Adam.step computes it, without the sweep. */
    private static void referenceStep(int t, float[] w, float[] m, float[] v, float[] g) {
        double c1 = 1 - Math.pow(Adam.DEFAULT_BETA1, t);
        double c2 = 1 - Math.pow(Adam.DEFAULT_BETA2, t);
        float stepSize = (float) (0.01 / c1);
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        float b1 = (float) Adam.DEFAULT_BETA1;
        float b2 = (float) Adam.DEFAULT_BETA2;
        float ob1 = (float) (1 - Adam.DEFAULT_BETA1);
        float ob2 = (float) (1 - Adam.DEFAULT_BETA2);
        float eps = (float) Adam.DEFAULT_EPSILON;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i] + 0f * w[i];
            float mi = b1 * m[i] + ob1 * gi;
            float si = b2 * v[i] + ob2 * gi * gi;
            m[i] = mi;
            v[i] = si;
            w[i] -= stepSize * mi / ((float) Math.sqrt(si) * invSqrtC2 + eps);
        }
    }
}
