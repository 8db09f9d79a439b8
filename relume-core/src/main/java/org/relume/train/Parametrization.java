package org.relume.train;

import java.util.List;
import org.relume.nn.Network;
import org.relume.tensor.Var;

/**
 * A map from free parameters to a network's weights, trained through the ordinary loop: the
 * optimizer updates the free parameters, the network's weights are rebuilt from them after every
 * step, and gradients flow back through the map's vector-Jacobian product. The compositional
 * networks' peak reparameterization (REFERENCES.md §2) is one.
 *
 * <p>Call order in the trainer: {@link #build} once before the first batch; then per batch:
 * forward and backward on the network (its parameters receive gradients), {@link #pullBack}
 * (the free parameters receive theirs), an optimizer step on {@link #parameters()}, {@link #build}.
 */
public interface Parametrization {

    /** The free parameters, which the optimizer updates instead of the network's. */
    List<Var> parameters();

    /** Writes the network's weights from the current free parameters. */
    void build(Network network);

    /**
     * Sets the free parameters' gradients from the network parameters' gradients:
     * d(loss)/d(free) = J^T d(loss)/d(weights), J the Jacobian of {@link #build}'s map.
     */
    void pullBack(Network network);

    /** A one-line description for logs and reports. */
    String describe();
}
