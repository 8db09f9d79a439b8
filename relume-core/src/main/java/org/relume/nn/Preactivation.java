package org.relume.nn;

import org.relume.tensor.Var;

/**
 * One layer's preactivation g = W h + b during a forward pass, handed to whoever asked (a
 * regularizer such as jumpstart, a diagnostic). Valid until the tape is reset. Read only: a dense
 * layer may already have stored its activation from these values (see {@code LinearOps.affine}).
 *
 * <p>Layout, shared by dense and convolutional layers (both feature-major, the batch contiguous):
 * element (unit u, sample n, spatial position s) is at
 * {@code value.data()[(u * spatial + s) * samples + n]}. A dense layer has spatial = 1
 * ([units, batch]); a convolution's unit is a channel and its spatial positions are H x W
 * ([C * H * W, N]).
 *
 * @param layer  index of the layer in its network (0-based)
 * @param output true for the network's last layer
 */
public record Preactivation(int layer, Var value, int units, int samples, int spatial, boolean output) {

    /** The offset of element (unit, sample, position). */
    public int index(int unit, int sample, int position) {
        return (unit * spatial + position) * samples + sample;
    }
}
