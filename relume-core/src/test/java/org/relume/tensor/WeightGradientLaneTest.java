package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.kernel.Parallelism;
import org.relume.tensor.kernel.PointwiseFunctions;
import org.relume.tensor.kernel.SideLane;

/**
 * Dense layers hand dW and db to the side lane during backward: the gradients are the same bits as
 * on one thread, also when a weight is shared by two layers and by a product that writes its
 * gradient on the calling thread (the contributions keep their order), and complete when backward
 * returns.
 */
class WeightGradientLaneTest {

    private static Tensor random(SplittableRandom r, int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 2 - 1) * 0.3f;
        }
        return Tensor.wrap(d, rows, cols);
    }

    /** Gradients of every parameter after one backward pass through a net with a shared weight. */
    private static List<float[]> gradients() {
        SplittableRandom r = new SplittableRandom(5);
        Var shared = Var.parameter("shared", random(r, 40, 40));
        Var bias = Var.parameter("bias", Tensor.zeros(40).fill(0.01f));
        Var first = Var.parameter("first", random(r, 40, 3));
        Var last = Var.parameter("last", random(r, 2, 40));
        Var input = Var.constant(random(r, 3, 85));
        Tape tape = new Tape();
        for (int step = 0; step < 3; step++) {
            tape.reset();
            Var h = PointwiseOps.apply(tape, LinearOps.affine(tape, first, input, bias), PointwiseFunctions.relu(0f));
            for (int layer = 0; layer < 4; layer++) {
                h = PointwiseOps.apply(tape, LinearOps.affine(tape, shared, h, bias), PointwiseFunctions.relu(0f));
            }
            // The shared weight again, through a product whose backward writes on the calling thread.
            Var mixed = LinearOps.matmul(tape, shared, h);
            Var out = LinearOps.affine(tape, last, ArithmeticOps.add(tape, h, mixed), null);
            tape.backward(ReductionOps.sumOfSquares(tape, out));
        }
        List<float[]> grads = new ArrayList<>();
        for (Var p : List.of(shared, bias, first, last)) {
            grads.add(p.grad().data().clone());
        }
        return grads;
    }

    @Test
    void theLaneGivesTheSameGradientsAsOneThread() {
        long before = SideLane.tasksFinished();
        List<float[]> lane = gradients();
        boolean used = SideLane.tasksFinished() > before;
        List<float[]> single = Parallelism.callSingleThreaded(WeightGradientLaneTest::gradients);
        for (int i = 0; i < lane.size(); i++) {
            assertArrayEquals(single.get(i), lane.get(i), "parameter " + i);
        }
        if (Parallelism.threadsAvailable() > 1) {
            assertTrue(used, "on two or more cores the dense layers' weight gradients go to the side lane");
        }
    }
}
