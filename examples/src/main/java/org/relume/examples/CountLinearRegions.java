package org.relume.examples;

import org.relume.geometry.LinearRegions1D;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;

/**
 * Exact linear pieces of 1-D ReLU networks on [0, 1] (the compositional networks paper's measure of
 * expressivity): a width-4 net per depth with PyTorch's default initialization (random biases put
 * kinks inside the interval), its pieces counted exactly, beside the 2^depth
 * that the compositional construction reaches at the same width.
 */
public final class CountLinearRegions {
    private CountLinearRegions() {}

    public static void main(String[] args) {
        for (int depth = 1; depth <= 8; depth++) {
            int[] hidden = new int[depth];
            java.util.Arrays.fill(hidden, 4);
            Network net = Mlp.builder().inputs(1).hidden(hidden).outputs(1).activation(Activations.relu())
                    .init(Initializer.TORCH_DEFAULT).seed(depth).build();
            System.out.printf("depth %d: %3d pieces (2^depth = %d)%n", depth, LinearRegions1D.count(net, 0, 1), 1 << depth);
        }
    }
}
