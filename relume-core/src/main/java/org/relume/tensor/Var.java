package org.relume.tensor;

import org.relume.tensor.kernel.SideLane;

/**
 * A value on the autodiff tape and its gradient.
 *
 * <p>Gradients are written lazily: {@link #beginGradWrite()} tells a backward rule whether to
 * overwrite (first contribution this step) or add (shared node), so nothing has to zero gradient
 * buffers before a backward pass. {@link #hasGrad()} is false until something contributed.
 *
 * <p>Parameters are long-lived Vars; intermediate Vars belong to a {@link Tape} and are reused,
 * buffers included, after {@link Tape#reset()}: do not keep them across steps.
 */
public final class Var {
    private Tensor value;
    private Tensor grad;
    private boolean requiresGrad;
    private boolean gradValid;
    private String name;
    private boolean parameter;
    /** The side-lane ticket of the last queued task that writes this gradient (0: none). */
    private long pendingTicket;

    public Var(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /** A leaf that gradients flow into, e.g. a parameter. */
    public static Var parameter(String name, Tensor value) {
        Var v = new Var(value, true);
        v.name = name;
        v.parameter = true;
        return v;
    }

    /** A leaf that needs no gradient, e.g. a batch of inputs. */
    public static Var constant(Tensor value) {
        return new Var(value, false);
    }

    public Tensor value() {
        return value;
    }

    /** Replaces the value (e.g. a resized parameter); the gradient is dropped. */
    public void setValue(Tensor value) {
        this.value = value;
        this.grad = null;
        this.gradValid = false;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    void setRequiresGrad(boolean requiresGrad) {
        this.requiresGrad = requiresGrad;
    }

    public String name() {
        return name;
    }

    /**
     * True for a leaf made by {@link #parameter}: no tape node produces it, so during a backward pass
     * nothing reads its gradient, and a task on the {@link SideLane} may write it.
     */
    public boolean isParameter() {
        return parameter;
    }

    /**
     * Records that the side-lane task with this ticket writes the gradient; the next
     * {@link #beginGradWrite()} waits for it, so contributions keep their order.
     */
    public void gradWrittenBy(long ticket) {
        pendingTicket = ticket;
    }

    /** True once a backward pass has written a gradient into this Var since {@link #zeroGrad()}. */
    public boolean hasGrad() {
        return gradValid;
    }

    /** The gradient buffer, valid only when {@link #hasGrad()}; may be null before any backward. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the gradient (O(1): the buffer is overwritten by the next first contribution). */
    public void zeroGrad() {
        gradValid = false;
    }

    /**
     * Prepares the gradient buffer for a contribution and returns whether the contribution must be
     * added (true) or may overwrite (false).
     */
    public boolean beginGradWrite() {
        if (pendingTicket != 0) {
            SideLane.await(pendingTicket);
            pendingTicket = 0;
        }
        if (grad == null) {
            grad = Tensor.zeros(value.shape());
        } else if (!grad.sameShape(value)) {
            grad.reshapeInPlace(value.shapeRef());
        }
        boolean accumulate = gradValid;
        gradValid = true;
        return accumulate;
    }

    /** Sets the gradient to {@code g} (a seed for backward, or a gradient computed elsewhere). */
    public void setGrad(Tensor g) {
        if (!g.sameShape(value)) {
            throw new IllegalArgumentException("gradient of shape " + g.shapeString()
                    + " does not match value of shape " + value.shapeString());
        }
        beginGradWrite();
        grad.copyFrom(g);
    }

    @Override
    public String toString() {
        return "Var(" + (name == null ? "" : name + " ") + value.shapeString() + ")";
    }
}
