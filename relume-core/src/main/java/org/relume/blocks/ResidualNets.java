package org.relume.blocks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.relume.nn.Activations;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.GlobalPool;
import org.relume.nn.Initializer;
import org.relume.nn.LayerStage;
import org.relume.nn.Network;
import org.relume.nn.Stage;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * The CIFAR ResNets of He et al. (2016, Section 4.2) and their heavy-ball counterpart HB-Net (Li et
 * al., Section 6.1, eq. 16 with b1 = 1, b2 = -1): a 3x3 conv-BN-ReLU stem of {@code width} channels,
 * three blocks of n {@link ResidualStage residual units} at widths w, 2w, 4w (the second and third
 * entering with stride 2), global average pooling and a dense output layer: 6n + 2 weight layers,
 * plus a 1x1 projection on each shortcut whose shape changes. The paper's nets are w = 16 with n = 9
 * (56 layers) and n = 18 (110 layers).
 */
public final class ResidualNets {
    private ResidualNets() {}

    /** Which combination of the shortcuts. */
    public enum Kind {
        RESNET("resnet", 1, 0), HBNET("hbnet", 1, -1);

        private final String id;
        final double b1;
        final double b2;

        Kind(String id, double b1, double b2) {
            this.id = id;
            this.b1 = b1;
            this.b2 = b2;
        }

        public String id() {
            return id;
        }
    }

    /** The weight layers of a net with n units per block: 6n + 2 (projections not counted, as the papers do). */
    public static int depth(int n) {
        return 6 * n + 2;
    }

    /**
     * @param image   input channels, height, width
     * @param n       residual units per block
     * @param width   channels of the stem and the first block (16 in the papers)
     */
    public static Network build(Kind kind, int[] image, int n, int width, int outputs, boolean learnable,
                                Initializer init, long seed) {
        if (n <= 0 || width <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("a residual net needs n, width and outputs positive, got n " + n
                    + ", width " + width + ", outputs " + outputs);
        }
        if (image[1] < 4 || image[2] < 4) {
            throw new IllegalArgumentException("a residual net halves the image twice; " + image[1] + "x" + image[2]
                    + " is too small (at least 4x4)");
        }
        SplittableRandom root = new SplittableRandom(seed);
        PointwiseFunction relu = Activations.relu();
        List<Stage> stages = new ArrayList<>();
        int c = width;
        int h = image[1];
        int w = image[2];
        stages.add(new LayerStage(conv(new ConvGeometry(image[0], h, w, c, 3, 1, 1), relu, init, root)));
        for (int block = 0; block < 3; block++) {
            int out = width << block;
            int stride = block == 0 ? 1 : 2;
            for (int k = 0; k < n; k++) {
                int s = k == 0 ? stride : 1;
                Conv2d a = conv(new ConvGeometry(c, h, w, out, 3, s, 1), relu, init, root);
                ConvGeometry g = a.geometry();
                Conv2d b = conv(new ConvGeometry(out, g.outHeight(), g.outWidth(), out, 3, 1, 1),
                        PointwiseFunctions.IDENTITY, init, root);
                Conv2d p = k == 0 && (s != 1 || c != out)
                        ? conv(new ConvGeometry(c, h, w, out, 1, s, 0), PointwiseFunctions.IDENTITY, init, root) : null;
                // The entry unit has no heavy-ball terms, so nothing of its own to learn.
                stages.add(new ResidualStage(k, a, b, p, kind.b1, kind.b2, learnable && k > 0));
                c = out;
                h = g.outHeight();
                w = g.outWidth();
            }
        }
        GlobalPool pool = new GlobalPool(GlobalPool.Mode.AVG, c, h * w);
        stages.add(new LayerStage(pool));
        stages.add(new LayerStage(Dense.create(c, outputs, PointwiseFunctions.IDENTITY, true, init, root.split())));
        return Network.ofStages(stages);
    }

    /** conv (no bias: BN's shift replaces it), BN, then the activation. */
    private static Conv2d conv(ConvGeometry g, PointwiseFunction activation, Initializer init, SplittableRandom root) {
        return Conv2d.create(g, activation, false, init, root.split()).withBatchNorm();
    }
}
