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
import org.relume.nn.NormActivation;
import org.relume.nn.Pool2d;
import org.relume.nn.Stage;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * The CIFAR DenseNets of Huang et al. (2017, Section 3, the basic form without bottlenecks or
 * compression) and AGD-Net (Li et al., Section 6.2, eq. 21) on the same skeleton: a 3x3 stem
 * convolution of {@code stem} maps, three dense blocks of (L - 4) / 3 layers each adding
 * {@code growth} maps, transitions BN-ReLU-conv1x1-avgpool2x2 between the blocks, and BN-ReLU,
 * global average pooling and a dense output layer at the end: L weight layers in all. The papers'
 * nets are growth 12 with L = 40 and 52 and a stem of 16 maps.
 */
public final class DenseNets {
    private DenseNets() {}

    /** How a block's layers combine their predecessors. */
    public enum Kind {
        DENSENET("densenet"), AGDNET("agdnet");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Layers per dense block of a net of depth L, or an exception naming the valid depths. */
    public static int layersPerBlock(int depth) {
        if (depth < 7 || (depth - 4) % 3 != 0) {
            throw new IllegalArgumentException("a DenseNet's depth L must be 3m + 4 with m >= 1 layers per block"
                    + " (e.g. 7, 10, 40, 52), got " + depth);
        }
        return (depth - 4) / 3;
    }

    /**
     * @param image  input channels, height, width
     * @param depth  L, the weight layers
     * @param growth k, the maps each layer adds
     * @param stem   maps of the first convolution (16 in the papers)
     */
    public static Network build(Kind kind, int[] image, int depth, int growth, int stem, int outputs, Initializer init,
                                long seed) {
        int m = layersPerBlock(depth);
        if (growth <= 0 || stem <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("a DenseNet needs growth, stem and outputs positive, got growth " + growth
                    + ", stem " + stem + ", outputs " + outputs);
        }
        if (image[1] < 4 || image[2] < 4) {
            throw new IllegalArgumentException("a DenseNet halves the image twice; " + image[1] + "x" + image[2]
                    + " is too small (at least 4x4)");
        }
        SplittableRandom root = new SplittableRandom(seed);
        PointwiseFunction relu = Activations.relu();
        List<Stage> stages = new ArrayList<>();
        int h = image[1];
        int w = image[2];
        stages.add(new LayerStage(conv(new ConvGeometry(image[0], h, w, stem, 3, 1, 1), init, root)));
        int c = stem;
        for (int block = 0; block < 3; block++) {
            int z0 = c * h * w;
            for (int k = 0; k < m; k++) {
                int zIn = kind == Kind.AGDNET && k > 0 ? growth : c;
                NormActivation norm = NormActivation.fresh(zIn, h * w, relu);
                Conv2d t = conv(new ConvGeometry(zIn, h, w, growth, 3, 1, 1), init, root);
                int state = z0 + k * growth * h * w;
                stages.add(kind == Kind.AGDNET ? AgdDenseStage.create(k, state, norm, t, AgdDenseStage.BETA, true)
                        : new DenseStage(k, norm, t));
                c = (kind == Kind.AGDNET ? z0 / (h * w) + (k + 1) * growth : c + growth);
            }
            if (block < 2) {
                stages.add(new LayerStage(NormActivation.fresh(c, h * w, relu)));
                stages.add(new LayerStage(conv(new ConvGeometry(c, h, w, c, 1, 1, 0), init, root)));
                Pool2d pool = new Pool2d(Pool2d.Mode.AVG, new ConvGeometry(c, h, w, c, 2, 2, 0));
                stages.add(new LayerStage(pool));
                h = pool.geometry().outHeight();
                w = pool.geometry().outWidth();
            }
        }
        stages.add(new LayerStage(NormActivation.fresh(c, h * w, relu)));
        stages.add(new LayerStage(new GlobalPool(GlobalPool.Mode.AVG, c, h * w)));
        stages.add(new LayerStage(Dense.create(c, outputs, PointwiseFunctions.IDENTITY, true, init, root.split())));
        return Network.ofStages(stages);
    }

    /** A linear convolution without bias: the batch norm that reads it next has its own shift. */
    private static Conv2d conv(ConvGeometry g, Initializer init, SplittableRandom root) {
        return Conv2d.create(g, PointwiseFunctions.IDENTITY, false, init, root.split());
    }
}
