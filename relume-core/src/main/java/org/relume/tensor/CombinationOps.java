package org.relume.tensor;

import java.util.Arrays;
import org.relume.tensor.kernel.VectorKernels;

/**
 * A weighted sum of same-shaped tensors, out = sum_i c_i x_i, in one tape node. It is the side path
 * of the optimization-inspired structures (Li et al., eqs. 11-20): the coefficients are fixed
 * numbers or entries of a learnable coefficient vector, so one node replaces a chain of scaled adds
 * (an AGD2 layer sums 2(k+1) terms; a chain would hold k intermediate buffers per layer).
 */
public final class CombinationOps {
    private CombinationOps() {}

    /**
     * The terms and their coefficients. Owned by the caller and reused across steps (the node keeps
     * a reference until the tape is reset), so a warm step allocates nothing.
     */
    public static final class Combination {
        final Var[] terms;
        final float[] fixed;
        final int[] learnableIndex;
        int size;
        Var learnable;

        /** Room for up to {@code capacity} terms. */
        public Combination(int capacity) {
            terms = new Var[capacity];
            fixed = new float[capacity];
            learnableIndex = new int[capacity];
        }

        /** Starts a new sum whose learnable coefficients (if any) are entries of {@code coefficients}. */
        public Combination begin(Var coefficients) {
            for (int i = 0; i < size; i++) {
                terms[i] = null;
            }
            size = 0;
            learnable = coefficients;
            return this;
        }

        /** Adds c * x with a fixed c; terms with c = 0 are dropped. */
        public Combination add(float c, Var x) {
            if (c == 0f) {
                return this;
            }
            return put(x, c, -1);
        }

        /** Adds coefficients[index] * x. */
        public Combination addLearnable(int index, Var x) {
            if (learnable == null) {
                throw new IllegalStateException("no learnable coefficient vector was given to begin()");
            }
            if (index < 0 || index >= learnable.value().numel()) {
                throw new IndexOutOfBoundsException("coefficient " + index + " of " + learnable.value().numel());
            }
            return put(x, 0f, index);
        }

        private Combination put(Var x, float c, int index) {
            if (size == terms.length) {
                throw new IllegalStateException("combination holds at most " + terms.length + " terms");
            }
            terms[size] = x;
            fixed[size] = c;
            learnableIndex[size] = index;
            size++;
            return this;
        }

        float coefficient(int i) {
            int idx = learnableIndex[i];
            return idx >= 0 ? learnable.value().data()[idx] : fixed[i];
        }
    }

    /** out = sum_i c_i x_i over the terms of {@code c} (at least one). */
    public static Var combine(Tape tape, Combination c) {
        if (c.size == 0) {
            throw new IllegalArgumentException("a combination needs at least one term with a non-zero coefficient");
        }
        Tensor first = c.terms[0].value();
        boolean grad = false;
        for (int i = 0; i < c.size; i++) {
            Shapes.requireSameShape("combine", first, c.terms[i].value());
            grad |= tape.needsGrad(c.terms[i]);
        }
        grad |= c.learnable != null && tape.needsGrad(c.learnable);
        Var out = tape.allocLike(first, grad);
        int n = first.numel();
        float[] o = out.value().data();
        for (int i = 0; i < c.size; i++) {
            VectorKernels.scale(c.coefficient(i), c.terms[i].value().data(), o, n, i > 0);
        }
        if (grad) {
            tape.record(COMBINE, out, c.learnable, null, null).aux = c;
        }
        return out;
    }

    private static final Op COMBINE = new Op() {
        @Override public String name() { return "combine"; }

        @Override public void backward(Node node) {
            Combination c = (Combination) node.aux;
            float[] g = node.out.grad().data();
            int n = node.out.value().numel();
            Var coefficients = c.learnable;
            boolean coefficientGrad = coefficients != null && coefficients.requiresGrad();
            if (coefficientGrad) {
                // Several terms may share an entry, so the entries are summed before the write.
                float[] cg = node.scratch(1, coefficients.value().numel()).data();
                Arrays.fill(cg, 0f);
                for (int i = 0; i < c.size; i++) {
                    if (c.learnableIndex[i] >= 0) {
                        cg[c.learnableIndex[i]] += VectorKernels.dot(g, 0, c.terms[i].value().data(), 0, n);
                    }
                }
                boolean acc = coefficients.beginGradWrite();
                VectorKernels.scale(1f, cg, coefficients.grad().data(), cg.length, acc);
            }
            for (int i = 0; i < c.size; i++) {
                Var x = c.terms[i];
                if (x.requiresGrad()) {
                    boolean acc = x.beginGradWrite();
                    VectorKernels.scale(c.coefficient(i), g, x.grad().data(), n, acc);
                }
            }
        }
    };
}
