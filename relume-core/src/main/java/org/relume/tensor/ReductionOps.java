package org.relume.tensor;

import java.util.Arrays;
import org.relume.tensor.kernel.VectorKernels;

/** Reductions to a scalar on the tape: sum, mean and sum of squares. */
public final class ReductionOps {
    private ReductionOps() {}

    /** The sum of all elements, as a scalar. */
    public static Var sum(Tape tape, Var x) {
        return scaledSum(tape, x, 1f);
    }

    /** The mean of all elements, as a scalar (0 for an empty tensor, with zero gradient). */
    public static Var mean(Tape tape, Var x) {
        int n = x.value().numel();
        return scaledSum(tape, x, n == 0 ? 0f : 1f / n);
    }

    /** The sum of squares of all elements, as a scalar: ||x||^2. */
    public static Var sumOfSquares(Tape tape, Var x) {
        Tensor xv = x.value();
        boolean grad = tape.needsGrad(x);
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = VectorKernels.dot(xv.data(), 0, xv.data(), 0, xv.numel());
        if (grad) {
            tape.record(SUM_OF_SQUARES, out, x, null, null);
        }
        return out;
    }

    private static Var scaledSum(Tape tape, Var x, float factor) {
        Tensor xv = x.value();
        boolean grad = tape.needsGrad(x);
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = factor * VectorKernels.sum(xv.data(), 0, xv.numel());
        if (grad) {
            tape.record(SCALED_SUM, out, x, null, null).f0 = factor;
        }
        return out;
    }

    private static final Op SCALED_SUM = new Op() {
        @Override public String name() { return "sum"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            float g = n.out.grad().data()[0] * n.f0;
            boolean acc = n.in0.beginGradWrite();
            Tensor dx = n.in0.grad();
            int len = dx.numel();
            float[] d = dx.data();
            if (acc) {
                for (int i = 0; i < len; i++) {
                    d[i] += g;
                }
            } else {
                Arrays.fill(d, 0, len, g);
            }
        }
    };

    private static final Op SUM_OF_SQUARES = new Op() {
        @Override public String name() { return "sum_of_squares"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            float g = 2f * n.out.grad().data()[0];
            boolean acc = n.in0.beginGradWrite();
            Tensor x = n.in0.value();
            VectorKernels.scale(g, x.data(), n.in0.grad().data(), x.numel(), acc);
        }
    };
}
