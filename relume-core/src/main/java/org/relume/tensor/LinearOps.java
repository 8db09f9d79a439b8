package org.relume.tensor;

import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Gemm;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;
import org.relume.tensor.kernel.SideLane;
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
        return affine(tape, w, x, b, null);
    }

    /**
     * Z = W X + b 1^T as above, for a layer whose activation {@code next} is applied to Z next.
     * Where next is relu and the product runs in the small kernels, relu(Z) is stored from the
     * same registers as Z and handed to the {@link PointwiseOps#apply} that asks for it, saving a
     * pass over Z (a tenth of a width-25 step); Z itself is unchanged, so whatever reads the
     * preactivation in between sees the same values.
     */
    public static Var affine(Tape tape, Var w, Var x, Var b, PointwiseFunction next) {
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
        if (b != null && next != null && PointwiseFunctions.isRelu(next) && Gemm.fusesRelu(out, batch, in)) {
            Var a = tape.alloc(out, batch, grad);
            Gemm.multiplyAddBiasRelu(out, batch, in, wv.data(), 0, in, xv.data(), 0, batch, b.value().data(),
                    zd, 0, batch, a.value().data());
            tape.prepare(z, next, a);
        } else if (b != null) {
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
            if (!WeightGradient.handOff(n, w, b, out, in, batch, dz, xv.data())) {
                if (w.requiresGrad()) {
                    boolean acc = w.beginGradWrite();
                    WeightGradient.weight(out, in, batch, dz, xv.data(), acc, w.grad().data());
                }
                if (b != null && b.requiresGrad()) {
                    boolean acc = b.beginGradWrite();
                    VectorKernels.rowSums(dz, out, batch, b.grad().data(), acc);
                }
            }
            if (x.requiresGrad()) {
                boolean acc = x.beginGradWrite();
                Gemm.multiply(true, false, in, batch, out, wv.data(), 0, in, dz, 0, batch, acc,
                        x.grad().data(), 0, batch);
            }
        }
    };

    /**
     * dW = dZ X^T and db = rowsum(dZ) of one dense layer, as a task for the {@link SideLane}: nothing
     * reads them before the optimizer, so the caller goes on with dX while the other core computes
     * them. Only parameters qualify (nothing on the tape reads their gradients), and only products
     * large enough to pay for the hand-off.
     */
    private static final class WeightGradient implements Runnable {
        /** Below this many multiply-adds (out x in x batch), handing dW over costs more than it saves. */
        static final long MIN_WORK = 4096;

        private int out;
        private int in;
        private int batch;
        private float[] dz;
        private float[] x;
        private float[] dw;
        private boolean dwAccumulate;
        private float[] db;
        private boolean dbAccumulate;

        static void weight(int out, int in, int batch, float[] dz, float[] x, boolean acc, float[] dw) {
            Gemm.multiply(false, true, out, in, batch, dz, 0, batch, x, 0, batch, acc, dw, 0, in);
        }

        /** Queues the layer's weight and bias gradients on the side lane; false if this layer does not qualify. */
        static boolean handOff(Node n, Var w, Var b, int out, int in, int batch, float[] dz, float[] x) {
            boolean weight = w.requiresGrad();
            boolean bias = b != null && b.requiresGrad();
            if (!weight || !w.isParameter() || (b != null && !b.isParameter())
                    || (long) out * in * batch < MIN_WORK || (long) out * in * batch >= EngineParameters.gemmParallelThreshold
                    || !SideLane.isOpen()) {
                return false;
            }
            WeightGradient task = n.sideTask instanceof WeightGradient g ? g : new WeightGradient();
            n.sideTask = task;
            task.out = out;
            task.in = in;
            task.batch = batch;
            task.dz = dz;
            task.x = x;
            task.dwAccumulate = w.beginGradWrite();
            task.dw = w.grad().data();
            task.dbAccumulate = bias && b.beginGradWrite();
            task.db = bias ? b.grad().data() : null;
            long ticket = SideLane.submit(task);
            w.gradWrittenBy(ticket);
            if (bias) {
                b.gradWrittenBy(ticket);
            }
            return true;
        }

        @Override public void run() {
            weight(out, in, batch, dz, x, dwAccumulate, dw);
            if (db != null) {
                VectorKernels.rowSums(dz, out, batch, db, dbAccumulate);
            }
        }
    }
}
