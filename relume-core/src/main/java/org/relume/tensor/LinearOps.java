package org.relume.tensor;

import org.relume.tensor.kernel.Gemm;
import org.relume.tensor.kernel.VectorKernels;

/**
 * Matrix products on the tape.
 *
 * <p>{@link #affine} is the feature-major dense layer Z = W X + b 1^T with X of shape [in, batch]:
 * the batch is contiguous, so even a width-3 layer vectorizes. Its backward:
 * dW = dZ X^T, db = rowsum(dZ), dX = W^T dZ.
 */
public final class LinearOps {
    private LinearOps() {}

    /** C = A B for rank-2 A [m, k] and B [k, n]. */
    public static Var matmul(Tape tape, Var a, Var b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        Shapes.requireRank("matmul", "A", av, 2);
        Shapes.requireRank("matmul", "B", bv, 2);
        int m = av.rows();
        int k = av.cols();
        int n = bv.cols();
        if (bv.rows() != k) {
            throw new ShapeException("matmul: A " + av.shapeString() + " times B " + bv.shapeString()
                    + ": A has " + k + " columns but B has " + bv.rows() + " rows");
        }
        boolean grad = tape.needsGrad(a, b);
        Var out = tape.alloc(m, n, grad);
        Gemm.multiply(false, false, m, n, k, av.data(), 0, k, bv.data(), 0, n, false, out.value().data(), 0, n);
        if (grad) {
            tape.record(MATMUL, out, a, b, null);
        }
        return out;
    }

    /**
     * Z = W X + b 1^T: W [out, in], X [in, batch], b [out] (or null), Z [out, batch].
     */
    public static Var affine(Tape tape, Var w, Var x, Var b) {
        Tensor wv = w.value();
        Tensor xv = x.value();
        Shapes.requireRank("dense layer", "weight", wv, 2);
        Shapes.requireRank("dense layer", "input", xv, 2);
        int out = wv.rows();
        int in = wv.cols();
        int batch = xv.cols();
        if (xv.rows() != in) {
            throw new ShapeException("dense layer: weight " + wv.shapeString() + " expects " + in
                    + " input features, got input of shape " + xv.shapeString() + " ([features, batch])");
        }
        if (b != null && (b.value().rank() != 1 || b.value().dim(0) != out)) {
            throw new ShapeException("dense layer: bias of shape " + b.value().shapeString()
                    + " does not match " + out + " output units");
        }
        boolean grad = tape.needsGrad(w, x, b);
        Var z = tape.alloc(out, batch, grad);
        float[] zd = z.value().data();
        if (b != null) {
            Gemm.multiplyAddBias(out, batch, in, wv.data(), 0, in, xv.data(), 0, batch, b.value().data(), zd, 0, batch);
        } else {
            Gemm.multiply(false, false, out, batch, in, wv.data(), 0, in, xv.data(), 0, batch, false, zd, 0, batch);
        }
        if (grad) {
            tape.record(AFFINE, z, w, x, b);
        }
        return z;
    }

    private static final Op MATMUL = new Op() {
        @Override public String name() { return "matmul"; }

        @Override public void backward(Node n) {
            Tensor a = n.in0.value();
            Tensor b = n.in1.value();
            float[] dc = n.out.grad().data();
            int m = a.rows();
            int k = a.cols();
            int cols = b.cols();
            if (n.in0.requiresGrad()) {
                boolean acc = n.in0.beginGradWrite();
                Gemm.multiply(false, true, m, k, cols, dc, 0, cols, b.data(), 0, cols, acc,
                        n.in0.grad().data(), 0, k);
            }
            if (n.in1.requiresGrad()) {
                boolean acc = n.in1.beginGradWrite();
                Gemm.multiply(true, false, k, cols, m, a.data(), 0, k, dc, 0, cols, acc,
                        n.in1.grad().data(), 0, cols);
            }
        }
    };

    private static final Op AFFINE = new Op() {
        @Override public String name() { return "affine"; }

        @Override public void backward(Node n) {
            Var w = n.in0;
            Var x = n.in1;
            Var b = n.in2;
            Tensor wv = w.value();
            Tensor xv = x.value();
            int out = wv.rows();
            int in = wv.cols();
            int batch = xv.cols();
            float[] dz = n.out.grad().data();
            if (w.requiresGrad()) {
                boolean acc = w.beginGradWrite();
                Gemm.multiply(false, true, out, in, batch, dz, 0, batch, xv.data(), 0, batch, acc,
                        w.grad().data(), 0, in);
            }
            if (b != null && b.requiresGrad()) {
                boolean acc = b.beginGradWrite();
                VectorKernels.rowSums(dz, out, batch, b.grad().data(), acc);
            }
            if (x.requiresGrad()) {
                boolean acc = x.beginGradWrite();
                Gemm.multiply(true, false, in, batch, out, wv.data(), 0, in, dz, 0, batch, acc,
                        x.grad().data(), 0, batch);
            }
        }
    };
}
