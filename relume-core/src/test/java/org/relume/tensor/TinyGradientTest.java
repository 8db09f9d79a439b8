package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The loss gradients of a memorized sample: probabilities of other classes far below 1e-20 give
 * exactly zero at the logits, never a subnormal float (which the backward products would multiply
 * through microcode), while every gradient of ordinary size is left as it was.
 */
class TinyGradientTest {

    @Test
    void softmaxOfAMemorizedSampleHasNoSubnormalGradient() {
        // Sample 0 is memorized (logit gaps of 60 and 95: probabilities 9e-27 and 5e-42, a subnormal float); sample 1 is not.
        Var logits = Var.parameter("z", Tensor.wrap(new float[] {60f, 0.3f, 0f, 0.1f, -35f, 0.2f}, 3, 2));
        Tape tape = new Tape();
        tape.backward(LossOps.softmaxCrossEntropy(tape, logits, new int[] {0, 2}));
        float[] g = logits.grad().data();
        for (float v : g) {
            assertTrue(v == 0 || Math.abs(v) >= Float.MIN_NORMAL, "subnormal gradient " + v);
        }
        assertEquals(0f, g[2], "a 9e-27 probability is flushed");
        assertEquals(0f, g[4], "a subnormal 5e-42 probability is flushed");
        assertEquals(0f, g[0], "the memorized sample's own class: 1 - p rounds to 0 in float");
        // The ordinary sample keeps its softmax gradient (p - y) / batch.
        double e0 = Math.exp(0.3 - 0.3);
        double e1 = Math.exp(0.1 - 0.3);
        double e2 = Math.exp(0.2 - 0.3);
        double sum = e0 + e1 + e2;
        assertEquals((e0 / sum) / 2, g[1], 1e-7);
        assertEquals((e2 / sum - 1) / 2, g[5], 1e-7);
    }

    @Test
    void binaryCrossEntropyFlushesTheSameWay() {
        Var logits = Var.parameter("z", Tensor.wrap(new float[] {-70f, 0.5f}, 1, 2));
        Tape tape = new Tape();
        tape.backward(LossOps.bceWithLogits(tape, logits, Tensor.wrap(new float[] {0f, 1f}, 1, 2)));
        assertEquals(0f, logits.grad().data()[0], "sigmoid(-70) - 0 = 4e-31 is flushed");
        assertEquals((1 / (1 + Math.exp(-0.5)) - 1) / 2, logits.grad().data()[1], 1e-7);
    }
}
