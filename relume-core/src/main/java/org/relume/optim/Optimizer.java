package org.relume.optim;

import java.util.List;
import java.util.Map;
import org.relume.tensor.Var;

/**
 * Updates parameters from their gradients.
 *
 * <p>Call order (Tribuo's habit of documenting it): construct with a configuration, then
 * {@link #step} once per batch after the backward pass, {@link #setLearningRate} between epochs as
 * a schedule dictates, and {@link #reset} to forget all state (e.g. at the switch between two
 * training stages). {@link #copy()} returns the same configuration with fresh state.
 *
 * <p>State (momentum, Adam's moments) is kept per parameter Var, so a network that gains or
 * replaces parameters keeps the state of the others. A parameter with no gradient this step
 * ({@link Var#hasGrad()} false) is left untouched, as in PyTorch.
 */
public interface Optimizer {

    /** Applies one update to each parameter in {@code params} that has a gradient. */
    void step(List<Var> params);

    double learningRate();

    void setLearningRate(double lr);

    /** Forgets every parameter's state (and the step count). */
    void reset();

    /** Forgets the state of one parameter (it restarts fresh at its next step). */
    void forget(Var param);

    /**
     * Carries a parameter's state over a resize (network surgery): after the call, element e of
     * the parameter's state is the old state's element {@code sourceIndex[e]}, or fresh (zero) where
     * that is -1. Call it after the parameter's value has been replaced by the resized tensor.
     */
    void remapState(Var param, int[] sourceIndex);

    /** The state of every named parameter that has any, plus the step count, for a checkpoint. */
    OptimizerState saveState(Map<String, Var> parameters);

    /**
     * Replaces this optimizer's state by {@code state} (from {@link #saveState} of an optimizer of
     * the same kind), matching parameters by name.
     *
     * @throws IllegalArgumentException if the kind, a name or a buffer size does not match
     */
    void loadState(OptimizerState state, Map<String, Var> parameters);

    /** The same configuration, fresh state. */
    Optimizer copy();

    /** The configuration as typed fields ({@code name}, {@code lr}, ...), for JSON files. */
    Map<String, Object> settings();

    /** A one-line description of the configuration, e.g. {@code adam(lr=0.01, ...)}. */
    String describe();
}
