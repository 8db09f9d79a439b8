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
 * {@link Mlp}. {@link Options} add what the engineering CNNs have: batch normalization before each
 * activation (conv-BN-ReLU), local pooling every few convolutions, a global pooling head.
 */
public final class Cnn {
    private Cnn() {}

    /**
     * @param channels, height, width the input image (C x H x W)
     * @param widths    output channels of each convolution
     */
    public static Network build(int channels, int height, int width, int[] widths, int kernel, int outputs,
                                PointwiseFunction activation, Initializer init, long seed) {
        return build(channels, height, width, widths, kernel, outputs, activation, init, seed, Options.PLAIN);
    }

    /**
     * What may be added to the plain thin CNN.
     *
     * @param head      global pooling before the output layer, or null to flatten
     * @param batchNorm a batch normalization before each convolution's activation (the convolutions
     *                  then have no bias: the normalization's shift takes its place)
     * @param pool      local pooling (2 x 2 windows, stride 2) after every {@code poolEvery}
     *                  convolutions, or null for none
     */
    public record Options(GlobalPool.Mode head, boolean batchNorm, Pool2d.Mode pool, int poolEvery) {
        public static final Options PLAIN = new Options(null, false, null, 0);

        public Options {
            if (pool != null && poolEvery <= 0) {
                throw new IllegalArgumentException("pooling every " + poolEvery + " convolutions: must be positive");
            }
        }

        public static Options head(GlobalPool.Mode head) {
            return new Options(head, false, null, 0);
        }
    }

    /** As above, with a global pooling head before the output layer ({@code null}: flatten). */
    public static Network build(int channels, int height, int width, int[] widths, int kernel, int outputs,
                                PointwiseFunction activation, Initializer init, long seed, GlobalPool.Mode head) {
        return build(channels, height, width, widths, kernel, outputs, activation, init, seed, Options.head(head));
    }

    public static Network build(int channels, int height, int width, int[] widths, int kernel, int outputs,
                                PointwiseFunction activation, Initializer init, long seed, Options options) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("a CNN needs at least one convolution");
        }
        if (outputs <= 0) {
            throw new IllegalArgumentException("a CNN needs a positive output size, got " + outputs);
        }
        if (options.pool() != null && options.poolEvery() > widths.length) {
            throw new IllegalArgumentException("pooling every " + options.poolEvery() + " convolutions, but there are only "
                    + widths.length + ": no pooling layer would be added");
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int c = channels;
        int h = height;
        int wd = width;
        int pad = ConvGeometry.padding("same", kernel);
        for (int i = 0; i < widths.length; i++) {
            int w = widths[i];
            if (w <= 0) {
                throw new IllegalArgumentException("convolution widths must be positive, got " + w);
            }
            ConvGeometry g = new ConvGeometry(c, h, wd, w, kernel, 1, pad);
            Conv2d layer = Conv2d.create(g, activation, !options.batchNorm(), init, root.split());
            layers.add(options.batchNorm() ? layer.withBatchNorm() : layer);
            c = w;
            if (options.pool() != null && (i + 1) % options.poolEvery() == 0) {
                if (h < 2 || wd < 2) {
                    throw new IllegalArgumentException("pooling after convolution " + (i + 1) + ": the maps are "
                            + h + "x" + wd + ", too small for 2x2 windows; pool less often or use fewer convolutions");
                }
                Pool2d p = Pool2d.of(options.pool(), c, h, wd, 2);
                layers.add(p);
                h = p.geometry().outHeight();
                wd = p.geometry().outWidth();
            }
        }
        int features = c * h * wd;
        GlobalPool.Mode head = options.head();
        if (head != null) {
            GlobalPool pool = new GlobalPool(head, c, h * wd);
            layers.add(pool);
            features = pool.outputSize();
        }
        layers.add(Dense.create(features, outputs, PointwiseFunctions.IDENTITY, true, init, root.split()));
        return new Network(layers);
    }
}
