package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A convolution computes every sample the same way, whichever block of the batch (four vectors,
 * two, one, or the scalar tail) and of the channels (a quad or a leftover) it falls in: a sample's
 * output and input gradient in a batch of 300 equal those of the sample alone, bit for bit. And the
 * split over cores changes no bit of the output or of either gradient.
 */
class ConvBatchBlocksTest {

    @Test
    void everySampleMatchesItsOwnBatchOfOne() {
        // Three channels in and out: no quad of channels, both ways.
        everySampleMatchesItsOwnBatchOfOne(new ConvGeometry(3, 5, 5, 3, 3, 1, 1));
    }

    @Test
    void everySampleMatchesItsOwnBatchOfOneWithQuadsOfChannels() {
        // Nine channels in, six out: quads and leftovers, both ways; stride 2 for the reaching taps.
        everySampleMatchesItsOwnBatchOfOne(new ConvGeometry(9, 6, 5, 6, 3, 1, 1));
        everySampleMatchesItsOwnBatchOfOne(new ConvGeometry(4, 7, 7, 8, 3, 2, 1));
    }

    private static void everySampleMatchesItsOwnBatchOfOne(ConvGeometry g) {
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

    /** Rows, channel quads or taps split over threads give the one-thread results. */
    @Test
    void anyThreadCountGivesTheSameBits() {
        anyThreadCountGivesTheSameBits(new ConvGeometry(5, 6, 6, 7, 3, 1, 1), 70);
        // A batch of 64: the weight gradient by quads of channels (two output quads, then by taps).
        anyThreadCountGivesTheSameBits(new ConvGeometry(9, 6, 5, 10, 3, 1, 1), 64);
        anyThreadCountGivesTheSameBits(new ConvGeometry(4, 6, 5, 4, 3, 1, 1), 64);
    }

    private static void anyThreadCountGivesTheSameBits(ConvGeometry g, int n) {
        SplittableRandom r = new SplittableRandom(43);
        float[] w = random(r, g.outChannels() * g.taps());
        float[] b = random(r, g.outChannels());
        float[] x = random(r, g.inSize() * n);
        float[] dz = random(r, g.outSize() * n);
        long threshold = org.relume.tensor.kernel.EngineParameters.convParallelThreshold;
        int threads = org.relume.tensor.kernel.EngineParameters.maxThreads;
        try {
            org.relume.tensor.kernel.EngineParameters.convParallelThreshold = 0;
            org.relume.tensor.kernel.EngineParameters.maxThreads = 1;
            float[][] one = run(g, n, w, b, x, dz);
            for (int t : new int[] {2, 3, 4}) {
                org.relume.tensor.kernel.EngineParameters.maxThreads = t;
                float[][] many = run(g, n, w, b, x, dz);
                org.junit.jupiter.api.Assertions.assertArrayEquals(one[0], many[0], t + " threads, output");
                org.junit.jupiter.api.Assertions.assertArrayEquals(one[1], many[1], t + " threads, input gradient");
                org.junit.jupiter.api.Assertions.assertArrayEquals(one[2], many[2], t + " threads, weight gradient");
            }
        } finally {
            org.relume.tensor.kernel.EngineParameters.convParallelThreshold = threshold;
            org.relume.tensor.kernel.EngineParameters.maxThreads = threads;
        }
    }

    /** The accumulated input gradient is the sum of the two convolutions' own (to rounding). */
    @Test
    void anInputGradientAccumulatesOverBothUses() {
        ConvGeometry g = new ConvGeometry(3, 5, 5, 3, 3, 1, 1);
        int n = 140;
        SplittableRandom r = new SplittableRandom(42);
        float[] w = random(r, g.outChannels() * g.taps());
        float[] x = random(r, g.inSize() * n);
        float[] dz = random(r, g.outSize() * n);
        float[] both = inputGradient(g, n, w, x, dz, true, true);
        float[] first = inputGradient(g, n, w, x, dz, true, false);
        float[] second = inputGradient(g, n, w, x, dz, false, true);
        for (int i = 0; i < both.length; i++) {
            assertEquals(first[i] + second[i], both[i], 1e-4f * (1 + Math.abs(both[i])), "element " + i);
        }
    }

    private static float[] inputGradient(ConvGeometry g, int n, float[] w, float[] x, float[] dz, boolean one, boolean two) {
        Tape tape = new Tape();
        Var wv = Var.parameter("w", Tensor.of(w.clone(), g.outChannels(), g.taps()));
        Var xv = Var.parameter("x", Tensor.of(x.clone(), g.inSize(), n));
        Var dzv = Var.constant(Tensor.of(dz.clone(), g.outSize(), n));
        Var loss = null;
        if (one) {
            loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, ConvOps.conv2d(tape, wv, xv, null, g), dzv));
        }
        if (two) {
            Var l2 = ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                    ConvOps.conv2d(tape, ArithmeticOps.scale(tape, wv, -0.5f), xv, null, g), dzv));
            loss = loss == null ? l2 : ArithmeticOps.add(tape, loss, l2);
        }
        tape.backward(loss);
        return xv.grad().data().clone();
    }

    /** The first convolution's output and the input gradient of both for the upstream gradient dz. */
    private static float[][] run(ConvGeometry g, int n, float[] w, float[] b, float[] x, float[] dz) {
        Tape tape = new Tape();
        Var wv = Var.parameter("w", Tensor.of(w.clone(), g.outChannels(), g.taps()));
        Var bv = Var.parameter("b", Tensor.of(b.clone(), g.outChannels()));
        Var xv = Var.parameter("x", Tensor.of(x.clone(), g.inSize(), n));
        Var z = ConvOps.conv2d(tape, wv, xv, bv, g);
        // x feeds a second convolution too, so its gradient is also accumulated into.
        Var z2 = ConvOps.conv2d(tape, ArithmeticOps.scale(tape, wv, -0.5f), xv, null, g);
        Var loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, ArithmeticOps.add(tape, z, z2),
                Var.constant(Tensor.of(dz.clone(), g.outSize(), n))));
        tape.backward(loss);
        return new float[][] {z.value().data().clone(), xv.grad().data().clone(), wv.grad().data().clone()};
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
