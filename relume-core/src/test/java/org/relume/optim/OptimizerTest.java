package org.relume.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/** Updates checked against the formulas evaluated by hand (in double) for a few steps. */
class OptimizerTest {

    private static Var param(float... values) {
        return Var.parameter("p", Tensor.of(values, values.length));
    }

    private static void grad(Var v, float... g) {
        v.setGrad(Tensor.of(g, g.length));
    }

    @Test
    void sgdPlainMomentumNesterovAndWeightDecay() {
        Var p = param(1f);
        Sgd sgd = Sgd.plain(0.1);
        grad(p, 2f);
        sgd.step(List.of(p));
        assertEquals(0.8f, p.value().get(0), 1e-7f);

        // momentum 0.9: b1 = g1, b2 = 0.9 b1 + g2
        Var q = param(1f);
        Sgd mom = new Sgd(0.1, 0.9, false, 0);
        grad(q, 1f);
        mom.step(List.of(q));
        grad(q, 0.5f);
        mom.step(List.of(q));
        assertEquals(1 - 0.1 * 1 - 0.1 * (0.9 + 0.5), q.value().get(0), 1e-6);

        // Nesterov: w -= lr (g + mu b)
        Var r = param(1f);
        Sgd nes = new Sgd(0.1, 0.9, true, 0);
        grad(r, 1f);
        nes.step(List.of(r));
        assertEquals(1 - 0.1 * (1 + 0.9 * 1), r.value().get(0), 1e-6);

        // weight decay adds wd * w to the gradient
        Var s = param(2f);
        Sgd wd = new Sgd(0.1, 0, false, 0.5);
        grad(s, 0f);
        wd.step(List.of(s));
        assertEquals(2 - 0.1 * 0.5 * 2, s.value().get(0), 1e-6);
    }

    @Test
    void adamMatchesItsFormula() {
        Var p = param(0.5f, -1f);
        Adam adam = new Adam(0.01);
        double[] w = {0.5, -1};
        double[] m = new double[2];
        double[] v = new double[2];
        float[][] grads = {{0.3f, -0.2f}, {0.1f, 0.4f}, {-0.5f, 0.0f}};
        for (int t = 1; t <= grads.length; t++) {
            grad(p, grads[t - 1]);
            adam.step(List.of(p));
            for (int i = 0; i < 2; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mh = m[i] / (1 - Math.pow(0.9, t));
                double vh = v[i] / (1 - Math.pow(0.999, t));
                w[i] -= 0.01 * mh / (Math.sqrt(vh) + 1e-8);
                assertEquals(w[i], p.value().get(i), 1e-6, "step " + t + " entry " + i);
            }
        }
        assertEquals(3, adam.steps());
    }

    @Test
    void parametersWithoutGradientsAreLeftAloneAndStateIsPerParameter() {
        Var a = param(1f);
        Var b = param(1f);
        Adam adam = new Adam(0.1);
        grad(a, 1f);
        adam.step(List.of(a, b));
        assertEquals(1f, b.value().get(0));
        float afterOne = a.value().get(0);
        // A fresh optimizer state for b does not disturb a's moments.
        a.zeroGrad();
        grad(b, 1f);
        adam.step(List.of(a, b));
        assertEquals(afterOne, a.value().get(0));
    }

    @Test
    void schedulesAndBadSettings() {
        LearningRateSchedule s = LearningRateSchedule.parse("step:10:0.5");
        assertEquals(1.0, s.rate(1.0, 9));
        assertEquals(0.5, s.rate(1.0, 10));
        assertEquals(0.25, s.rate(1.0, 25));
        assertEquals(0.3, LearningRateSchedule.parse("constant").rate(0.3, 1000));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("cosine"));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("warmup:0+cosine", 10));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("cosine:x", 10));
        assertThrows(IllegalArgumentException.class, () -> new Adam(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 0, true, 0));
    }

    @Test
    void cosineAndWarmupFollowTheirFormulas() {
        LearningRateSchedule cosine = LearningRateSchedule.parse("cosine", 10);
        assertEquals(1.0, cosine.rate(1.0, 0), 1e-15);
        assertEquals(0.5, cosine.rate(1.0, 5), 1e-15, "half way: half the base rate");
        assertEquals((1 + Math.cos(Math.PI * 0.9)) / 2, cosine.rate(1.0, 9), 1e-15);
        assertEquals(0.0, cosine.rate(1.0, 10), 0, "past its length it stays at 0");
        LearningRateSchedule warm = LearningRateSchedule.parse("warmup:4+cosine", 14);
        assertEquals(0.25, warm.rate(1.0, 0), 1e-15);
        assertEquals(1.0, warm.rate(1.0, 3), 1e-15);
        assertEquals(1.0, warm.rate(1.0, 4), 1e-15, "the cosine starts after the warm-up");
        assertEquals(0.5, warm.rate(1.0, 9), 1e-15, "and runs over the remaining 10 epochs");
        assertEquals(0.5, LearningRateSchedule.parse("warmup:2").rate(1.0, 0), 1e-15);
        assertEquals(1.0, LearningRateSchedule.parse("warmup:2").rate(1.0, 100), 1e-15);
        assertEquals(0.5, LearningRateSchedule.parse("cosine:4").rate(1.0, 2), 1e-15);
    }
}
