package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A convolution computes every sample the same way, whichever block of the batch (eight vectors,
 * four, one, or the scalar tail) it falls in: a sample's output and input gradient in a batch of
 * 300 equal those of the sample alone, bit for bit.
 */
class ConvBatchBlocksTest {

    @Test
    void everySampleMatchesItsOwnBatchOfOne() {
        ConvGeometry g = new ConvGeometry(2, 5, 5, 3, 3, 1, 1);
        int n = 300;
        SplittableRandom r = new SplittableRandom(41);
        float[] w = random(r, g.outChannels() * g.taps());
        float[] b = random(r, g.outChannels());
        float[] x = random(r, g.inSize() * n);
        float[] dz = random(r, g.outSize() * n);
        float[][] whole = run(g, n, w, b, x, dz);
        for (int j : new int[] {0, 17, 127, 128, 200, 255, 256, 299}) {
            float[] xj = new float[g.inSize()];
            for (int i = 0; i < g.inSize(); i++) {
                xj[i] = x[i * n + j];
            }
            float[] dzj = new float[g.outSize()];
            for (int i = 0; i < g.outSize(); i++) {
                dzj[i] = dz[i * n + j];
            }
            float[][] one = run(g, 1, w, b, xj, dzj);
            for (int i = 0; i < g.outSize(); i++) {
                assertEquals(one[0][i], whole[0][i * n + j], "output " + i + " of sample " + j);
            }
            for (int i = 0; i < g.inSize(); i++) {
                assertEquals(one[1][i], whole[1][i * n + j], "input gradient " + i + " of sample " + j);
            }
        }
    }

    /** The convolution's output and its input gradient for the upstream gradient dz. */
    private static float[][] run(ConvGeometry g, int n, float[] w, float[] b, float[] x, float[] dz) {
        Tape tape = new Tape();
        Var wv = Var.parameter("w", Tensor.of(w.clone(), g.outChannels(), g.taps()));
        Var bv = Var.parameter("b", Tensor.of(b.clone(), g.outChannels()));
        Var xv = Var.parameter("x", Tensor.of(x.clone(), g.inSize(), n));
        Var z = ConvOps.conv2d(tape, wv, xv, bv, g);
        Var loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, z, Var.constant(Tensor.of(dz.clone(), g.outSize(), n))));
        tape.backward(loss);
        return new float[][] {z.value().data().clone(), xv.grad().data().clone()};
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
