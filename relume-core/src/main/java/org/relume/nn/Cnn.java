package org.relume.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Builds the thin convolutional networks of the jumpstart paper's MNIST experiment (Riera et al.,
 * Experiment B): DEPTH convolutions of WIDTH channels, k x k kernels with {@code same} padding and
 * no pooling, then the feature maps flattened into one linear output layer. Flattening costs
 * nothing: a convolution's output is already the feature-major vector the dense layer reads.
 * Each layer draws from its own generator split off {@code SplittableRandom(seed)}, as in
 * {@link Mlp}.
 */
public final class Cnn {
    private Cnn() {}

    /**
     * @param channels, height, width the input image (C x H x W)
     * @param widths    output channels of each convolution
     */
    public static Network build(int channels, int height, int width, int[] widths, int kernel, int outputs,
                                PointwiseFunction activation, Initializer init, long seed) {
        return build(channels, height, width, widths, kernel, outputs, activation, init, seed, null);
    }

    /** As above, with a global pooling head before the output layer ({@code null}: flatten). */
    public static Network build(int channels, int height, int width, int[] widths, int kernel, int outputs,
                                PointwiseFunction activation, Initializer init, long seed, GlobalPool.Mode head) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("a CNN needs at least one convolution");
        }
        if (outputs <= 0) {
            throw new IllegalArgumentException("a CNN needs a positive output size, got " + outputs);
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int c = channels;
        int pad = ConvGeometry.padding("same", kernel);
        for (int w : widths) {
            if (w <= 0) {
                throw new IllegalArgumentException("convolution widths must be positive, got " + w);
            }
            ConvGeometry g = new ConvGeometry(c, height, width, w, kernel, 1, pad);
            layers.add(Conv2d.create(g, activation, true, init, root.split()));
            c = w;
        }
        int features = c * height * width;
        if (head != null) {
            GlobalPool pool = new GlobalPool(head, c, height * width);
            layers.add(pool);
            features = pool.outputSize();
        }
        layers.add(Dense.create(features, outputs, PointwiseFunctions.IDENTITY, true, init, root.split()));
        return new Network(layers);
    }
}
