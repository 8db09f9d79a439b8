package org.relume.tensor;

/**
 * Concatenation of feature-major tensors along the features: [ra, N] and [rb, N] to [ra + rb, N].
 * On images [C*H*W, N] this stacks the channels, DenseNet's concatenation of a layer's input with
 * its new feature maps (Huang et al. 2017, eq. 2; Li et al., eq. 19), as one copy of two
 * contiguous blocks, and the backward pass hands each input its block of the gradient.
 */
public final class ConcatOps {
    private ConcatOps() {}

    /** [a; b]: the rows of {@code a}, then those of {@code b}; both rank 2 with the same columns. */
    public static Var rows(Tape tape, Var a, Var b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        Shapes.requireRank("concatenation", "first input", av, 2);
        Shapes.requireRank("concatenation", "second input", bv, 2);
        if (av.cols() != bv.cols()) {
            throw new ShapeException("concatenation: inputs of shapes " + av.shapeString() + " and " + bv.shapeString()
                    + " differ in the batch");
        }
        boolean grad = tape.needsGrad(a, b);
        Var out = tape.alloc(av.rows() + bv.rows(), av.cols(), grad);
        float[] o = out.value().data();
        System.arraycopy(av.data(), 0, o, 0, av.numel());
        System.arraycopy(bv.data(), 0, o, av.numel(), bv.numel());
        if (grad) {
            tape.record(ROWS, out, a, b, null);
        }
        return out;
    }

    private static final Op ROWS = new Op() {
        @Override public String name() { return "concat_rows"; }

        @Override public void backward(Node node) {
            float[] g = node.out.grad().data();
            take(node.in0, g, 0);
            take(node.in1, g, node.in0.value().numel());
        }

        private void take(Var x, float[] g, int from) {
            if (!x.requiresGrad()) {
                return;
            }
            int n = x.value().numel();
            boolean acc = x.beginGradWrite();
            float[] dx = x.grad().data();
            if (acc) {
                for (int i = 0; i < n; i++) {
                    dx[i] += g[from + i];
                }
            } else {
                System.arraycopy(g, from, dx, 0, n);
            }
        }
    };
}
