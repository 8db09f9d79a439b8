package org.relume.nn;

import java.util.List;
import java.util.Map;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * One stage of a network that is a graph of blocks rather than a chain: it computes the next state
 * x_{k+1} from any of the states x_0..x_k of its block (Li et al., "Optimization algorithm inspired
 * deep neural network structure design", Section 4 and eqs. 16-20). The operators T inside a stage
 * are ordinary {@link Layer}s run through a {@link LayerRunner}, so every preactivation still reaches
 * the network's preactivation sink: regularizers and diagnostics need no special cases.
 *
 * <p>A stage at {@link #position()} 0 starts a block: its input state becomes the block's x_0.
 * Stages may hold learnable scalar coefficients as one parameter vector.
 */
public interface Stage {

    /** The structure's name in model files, e.g. {@code layer}, {@code hb}, {@code agd2}. */
    String type();

    /** k, this stage's index within its block: it computes x_{k+1}. */
    int position();

    /** The ordinary layers (the T's) this stage runs, in the order it runs them. */
    List<Layer> layers();

    /** Learnable coefficients, each named locally (e.g. {@code coefficients}); usually none or one vector. */
    List<Var> coefficients();

    int inputSize();

    int outputSize();

    /** x_{k+1} from the block's states; T_j is run with {@code run.apply(tape, j, input)}. */
    Var forward(Tape tape, StageStates states, LayerRunner run);

    /** Hyperparameters that rebuild this stage around its layers (not parameter values). */
    Map<String, Object> config();

    /** A copy over the given (already copied) layers, with copied coefficient values. */
    Stage copy(List<Layer> copiedLayers);

    /** Runs one of a stage's layers: preactivation (reported to the sink), then activation. */
    interface LayerRunner {
        /** T_local(input), where {@code local} indexes {@link Stage#layers()}. */
        Var apply(Tape tape, int local, Var input);
    }
}
