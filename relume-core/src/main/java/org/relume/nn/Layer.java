package org.relume.nn;

import java.util.List;
import java.util.Map;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * A layer is a forward function on the tape split in two: the preactivation g = (linear map of
 * the input) and the activation h = f(g). The split lets a {@link Network} hand every g to whoever
 * asks before f is applied; the local backward rules live in the tape's ops.
 *
 * <p>Inputs and outputs are feature-major: [features, batch] for dense layers.
 */
public interface Layer {

    /** The type name used in model files, e.g. {@code dense}. */
    String type();

    int inputSize();

    int outputSize();

    /** The layer's parameters, each named locally (e.g. {@code weight}, {@code bias}), in a fixed order. */
    List<Var> parameters();

    /** g = the layer's linear part applied to {@code input}. */
    Var preactivate(Tape tape, Var input);

    /**
     * State that is saved with the parameters but not trained (a batch normalization's running
     * statistics), by local name; the tensors are live and updated in place.
     */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /** h = f(g). */
    Var activate(Tape tape, Var preactivation);

    PointwiseFunction activation();

    /**
     * Spatial positions per unit of the output: 1 for a dense layer, H' x W' for a convolution, whose
     * units are its channels. Decides how the preactivation sink sees the layer.
     */
    default int spatial() {
        return 1;
    }

    /**
     * False for layers that are not layers of units (pooling): their output is not handed to the
     * preactivation sink, so jumpstart and the unit/point states skip them.
     */
    default boolean hasPreactivation() {
        return true;
    }

    /** The hyperparameters that rebuild this layer's shape (not its parameter values), for model files. */
    Map<String, Object> config();

    /** A deep copy: same hyperparameters, copied parameter values, fresh gradients. */
    Layer copy();
}
