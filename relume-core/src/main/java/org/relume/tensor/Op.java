package org.relume.tensor;

/**
 * One primitive of the autodiff tape: its forward is an ordinary static method that computes the
 * output and {@link Tape#record records} a {@link Node}; this is the local backward rule.
 *
 * <p>The rule reads {@code node.out.grad()} and adds (via {@link Var#beginGradWrite()}) into the
 * gradients of those inputs that {@link Var#requiresGrad() require} one. Ops are stateless
 * singletons; per-call state lives in the node. Technique packages define their own ops (the
 * jumpstart penalty, for one) the same way.
 */
public interface Op {
    String name();

    void backward(Node node);
}
