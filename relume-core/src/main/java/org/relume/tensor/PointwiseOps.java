package org.relume.tensor;

import org.relume.tensor.kernel.PointwiseFunction;

/** An elementwise function on the tape: y = f(x), dx = dy * f'(x). */
public final class PointwiseOps {
    private PointwiseOps() {}

    public static Var apply(Tape tape, Var x, PointwiseFunction f) {
        Tensor xv = x.value();
        boolean grad = tape.needsGrad(x);
        Var y = tape.allocLike(xv, grad);
        f.forward(xv.data(), y.value().data(), xv.numel());
        if (grad) {
            tape.record(POINTWISE, y, x, null, null).aux = f;
        }
        return y;
    }

    private static final Op POINTWISE = new Op() {
        @Override public String name() { return "pointwise"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            PointwiseFunction f = (PointwiseFunction) n.aux;
            boolean acc = n.in0.beginGradWrite();
            Tensor x = n.in0.value();
            f.backward(x.data(), n.out.value().data(), n.out.grad().data(), n.in0.grad().data(), x.numel(), acc);
        }
    };
}
