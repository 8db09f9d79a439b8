package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Parallelism;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/** A large elementwise pass split over cores gives the single-threaded values and gradients. */
class PointwiseSplitTest {

    @Test
    void splitPassesEqualOneCoreBitForBit() {
        int n = PointwiseOps.PARALLEL_THRESHOLD + 1234;
        SplittableRandom r = new SplittableRandom(31);
        float[] x = new float[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (3 * r.nextGaussian());
            w[i] = (float) r.nextGaussian();
        }
        List<PointwiseFunction> fs = List.of(PointwiseFunctions.relu(0f), PointwiseFunctions.relu(1f),
                PointwiseFunctions.leakyRelu(0.1f), PointwiseFunctions.SIGMOID, PointwiseFunctions.TANH,
                PointwiseFunctions.IDENTITY, PointwiseFunctions.elu(1f));
        int before = EngineParameters.maxThreads;
        try {
            EngineParameters.maxThreads = 3;
            for (PointwiseFunction f : fs) {
                float[][] one = Parallelism.callSingleThreaded(run(f, x, w));
                float[][] split = run(f, x, w).get();
                assertArrayEquals(one[0], split[0], f + " values");
                assertArrayEquals(one[1], split[1], f + " gradients");
            }
        } finally {
            EngineParameters.maxThreads = before;
        }
    }

    /** y = f(x) and d(sum(w * f(x)))/dx, with x used twice so the backward pass also accumulates. */
    private static Supplier<float[][]> run(PointwiseFunction f, float[] x, float[] w) {
        return () -> {
            Tape tape = new Tape();
            Var xv = Var.parameter("x", Tensor.of(x.clone(), x.length));
            Var y = PointwiseOps.apply(tape, xv, f);
            Var y2 = PointwiseOps.apply(tape, xv, f);
            Var loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, ArithmeticOps.add(tape, y, y2),
                    Var.constant(Tensor.of(w.clone(), w.length))));
            tape.backward(loss);
            return new float[][] {y.value().data().clone(), xv.grad().data().clone()};
        };
    }
}
