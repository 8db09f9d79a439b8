package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Gemm;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * A dense layer whose relu is stored by its product ({@link LinearOps#affine} with the activation
 * that follows) gives the same preactivation, activation and gradients, bit for bit, as the
 * product followed by its own relu pass.
 */
class FusedReluTest {

    @Test
    void fusedLayerEqualsProductThenReluBitForBit() {
        SplittableRandom r = new SplittableRandom(41);
        // 4-row blocks and remainder rows, a vector tail, fewer columns than a vector; relu'(0) = 0 and 1.
        int[][] shapes = {{25, 85, 25}, {3, 85, 3}, {6, 33, 17}, {5, 7, 4}};
        for (int[] sh : shapes) {
            for (float gradAtZero : new float[] {0f, 1f}) {
                PointwiseFunction relu = PointwiseFunctions.relu(gradAtZero);
                assertTrue(Gemm.fusesRelu(sh[0], sh[1], sh[2]), "the shape takes the fused path");
                float[] w = random(r, sh[0] * sh[2]);
                float[] x = random(r, sh[2] * sh[1]);
                float[] b = random(r, sh[0]);
                // An exact zero preactivation, where relu'(0) decides the gradient.
                b[0] = 0f;
                java.util.Arrays.fill(w, 0, sh[2], 0f);
                float[][] fused = layer(w, x, b, sh, relu, true);
                float[][] plain = layer(w, x, b, sh, relu, false);
                for (int t = 0; t < fused.length; t++) {
                    assertArrayEquals(plain[t], fused[t], sh[0] + "x" + sh[1] + "x" + sh[2] + " output " + t);
                }
            }
        }
    }

    @Test
    void theProductStoresTheReluOnlyWhereItsSmallKernelsRun() {
        Tape tape = new Tape();
        PointwiseFunction relu = PointwiseFunctions.relu(0f);
        SplittableRandom r = new SplittableRandom(43);
        Var w = Var.parameter("w", Tensor.of(random(r, 25 * 25), 25, 25));
        Var x = Var.constant(Tensor.of(random(r, 25 * 85), 25, 85));
        Var b = Var.parameter("b", Tensor.of(random(r, 25), 25));
        Var z = LinearOps.affine(tape, w, x, b, relu);
        int afterProduct = tape.allocated();
        Var a = PointwiseOps.apply(tape, z, relu);
        assertEquals(afterProduct, tape.allocated(), "the relu took the product's prepared output");
        assertNotSame(z, a);
        // A second relu of the same Z is a pass of its own.
        Var again = PointwiseOps.apply(tape, z, relu);
        assertEquals(afterProduct + 1, tape.allocated());
        assertArrayEquals(again.value().data(), a.value().data());
        float[] zd = z.value().data();
        for (int i = 0; i < zd.length; i++) {
            assertEquals(Math.max(zd[i], 0f), a.value().data()[i]);
        }
        // Above the small kernels' range the product leaves the relu to its pass.
        long saved = EngineParameters.gemmBlockedThreshold;
        try {
            EngineParameters.gemmBlockedThreshold = 0;
            assertTrue(!Gemm.fusesRelu(25, 85, 25));
            Tape t2 = new Tape();
            Var z2 = LinearOps.affine(t2, w, x, b, relu);
            int n = t2.allocated();
            PointwiseOps.apply(t2, z2, relu);
            assertEquals(n + 1, t2.allocated());
        } finally {
            EngineParameters.gemmBlockedThreshold = saved;
        }
        // A different function on the same Z is not handed the relu.
        Tape t3 = new Tape();
        Var z3 = LinearOps.affine(t3, w, x, b, relu);
        PointwiseOps.apply(t3, z3, PointwiseFunctions.SIGMOID);
        assertTrue(t3.takePrepared(z3, relu) != null, "the sigmoid left the prepared relu alone");
        // A reset forgets it.
        Var z4 = LinearOps.affine(t3, w, x, b, relu);
        t3.reset();
        assertSame(null, t3.takePrepared(z4, relu));
    }

    /** Z, relu(Z), dW, db and dX of sum(v * relu(W X + b)). */
    private static float[][] layer(float[] w, float[] x, float[] b, int[] sh, PointwiseFunction relu, boolean fused) {
        int m = sh[0];
        int n = sh[1];
        int k = sh[2];
        Tape tape = new Tape();
        Var wv = Var.parameter("w", Tensor.of(w.clone(), m, k));
        Var xv = Var.parameter("x", Tensor.of(x.clone(), k, n));
        Var bv = Var.parameter("b", Tensor.of(b.clone(), m));
        Var z = fused ? LinearOps.affine(tape, wv, xv, bv, relu) : LinearOps.affine(tape, wv, xv, bv);
        Var a = PointwiseOps.apply(tape, z, relu);
        float[] v = new float[m * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) - 3f;
        }
        Var loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, a, Var.constant(Tensor.of(v, m, n))));
        tape.backward(loss);
        return new float[][] {z.value().data().clone(), a.value().data().clone(), wv.grad().data().clone(),
            bv.grad().data().clone(), xv.grad().data().clone()};
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }
}
