package org.relume.tensor;

import org.relume.tensor.kernel.VectorKernels;

/** Elementwise sums, differences, products and scaling of same-shaped tensors on the tape. */
public final class ArithmeticOps {
    private ArithmeticOps() {}

    /** a + b. */
    public static Var add(Tape tape, Var a, Var b) {
        return linearCombination(tape, a, 1f, b, 1f, "add");
    }

    /** a - b. */
    public static Var sub(Tape tape, Var a, Var b) {
        return linearCombination(tape, a, 1f, b, -1f, "sub");
    }

    /** alpha * a. */
    public static Var scale(Tape tape, Var a, float alpha) {
        Tensor av = a.value();
        boolean grad = tape.needsGrad(a);
        Var out = tape.allocLike(av, grad);
        VectorKernels.scale(alpha, av.data(), out.value().data(), av.numel(), false);
        if (grad) {
            tape.record(SCALE, out, a, null, null).f0 = alpha;
        }
        return out;
    }

    /** Elementwise a * b. */
    public static Var mul(Tape tape, Var a, Var b) {
        Shapes.requireSameShape("mul", a.value(), b.value());
        boolean grad = tape.needsGrad(a, b);
        Var out = tape.allocLike(a.value(), grad);
        VectorKernels.multiply(a.value().data(), b.value().data(), out.value().data(), a.value().numel(), false);
        if (grad) {
            tape.record(MUL, out, a, b, null);
        }
        return out;
    }

    private static Var linearCombination(Tape tape, Var a, float ca, Var b, float cb, String op) {
        Shapes.requireSameShape(op, a.value(), b.value());
        boolean grad = tape.needsGrad(a, b);
        Var out = tape.allocLike(a.value(), grad);
        int n = a.value().numel();
        float[] o = out.value().data();
        VectorKernels.scale(ca, a.value().data(), o, n, false);
        VectorKernels.scale(cb, b.value().data(), o, n, true);
        if (grad) {
            Node node = tape.record(LINEAR_COMBINATION, out, a, b, null);
            node.f0 = cb;
        }
        return out;
    }

    /** out = a + cb * b with a's coefficient 1 (add, sub). */
    private static final Op LINEAR_COMBINATION = new Op() {
        @Override public String name() { return "add"; }

        @Override public void backward(Node n) {
            Tensor g = n.out.grad();
            int len = g.numel();
            if (n.in0.requiresGrad()) {
                boolean acc = n.in0.beginGradWrite();
                VectorKernels.scale(1f, g.data(), n.in0.grad().data(), len, acc);
            }
            if (n.in1.requiresGrad()) {
                boolean acc = n.in1.beginGradWrite();
                VectorKernels.scale(n.f0, g.data(), n.in1.grad().data(), len, acc);
            }
        }
    };

    private static final Op SCALE = new Op() {
        @Override public String name() { return "scale"; }

        @Override public void backward(Node n) {
            if (n.in0.requiresGrad()) {
                boolean acc = n.in0.beginGradWrite();
                Tensor g = n.out.grad();
                VectorKernels.scale(n.f0, g.data(), n.in0.grad().data(), g.numel(), acc);
            }
        }
    };

    private static final Op MUL = new Op() {
        @Override public String name() { return "mul"; }

        @Override public void backward(Node n) {
            Tensor g = n.out.grad();
            int len = g.numel();
            if (n.in0.requiresGrad()) {
                boolean acc = n.in0.beginGradWrite();
                VectorKernels.multiply(g.data(), n.in1.value().data(), n.in0.grad().data(), len, acc);
            }
            if (n.in1.requiresGrad()) {
                boolean acc = n.in1.beginGradWrite();
                VectorKernels.multiply(g.data(), n.in0.value().data(), n.in1.grad().data(), len, acc);
            }
        }
    };
}
