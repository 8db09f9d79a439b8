package org.relume.cli;

import java.util.Arrays;
import java.util.Locale;
import org.relume.blocks.DenseNets;
import org.relume.blocks.ResidualNets;
import org.relume.data.Dataset;
import org.relume.nn.Cnn;
import org.relume.nn.GlobalPool;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.nn.Pool2d;
import org.relume.tensor.Memory;
import org.relume.tensor.kernel.PointwiseFunction;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The options of {@code relume train} that build an image network: a thin CNN (--conv, the jumpstart
 * paper's MNIST and CIFAR nets) or a residual CNN (--arch, ResNet and HB-Net of Li et al.), their
 * image shape, and the checks that keep them from being mixed with each other or with MLP flags.
 */
final class ImageNetworkOptions {
    @Option(names = "--conv", paramLabel = "WxD",
            description = "A thin CNN instead of an MLP: D convolutions of W channels (k x k, same padding, no pooling),"
                    + " then a linear output layer on the flattened maps (the jumpstart paper's MNIST nets), e.g. 8x4.")
    String conv;

    @Option(names = "--kernel", defaultValue = "3", paramLabel = "K", description = "With --conv: kernel size, odd (default: ${DEFAULT-VALUE}).")
    int kernel;

    @Option(names = "--head", defaultValue = "flatten", paramLabel = "flatten|gap|gmp|gap+gmp",
            description = "With --conv: flatten the maps into the output layer (default), or global average (gap), max (gmp)"
                    + " or both (gap+gmp, the jumpstart paper's CIFAR head) pooling first.")
    String head;

    @Option(names = "--batchnorm",
            description = "With --conv: batch normalization before each activation (conv-BN-ReLU; the convolutions lose"
                    + " their bias). Training steps use the batch's statistics, prediction the running ones saved with the model.")
    boolean batchNorm;

    @Option(names = "--pool", paramLabel = "max|avg",
            description = "With --conv: 2x2 max or average pooling (stride 2) after every --pool-every convolutions.")
    String pool;

    @Option(names = "--pool-every", defaultValue = "1", paramLabel = "K",
            description = "With --pool: convolutions between poolings (default: ${DEFAULT-VALUE}).")
    int poolEvery;

    @Option(names = "--arch", paramLabel = "resnet|hbnet|densenet|agdnet",
            description = "A CNN of the structures paper on images. resnet, hbnet: ResNet (He et al.) or HB-Net (Li et al."
                    + " eq. 16, x_{k+1} = relu(T(x_k) + x_k - x_{k-1})): a conv stem, three blocks of --n units at widths W,"
                    + " 2W, 4W (W = --arch-width), average pooling, a dense output layer; 6n + 2 layers, batch norm"
                    + " throughout. densenet, agdnet: DenseNet (Huang et al.) or AGD-Net (Li et al. eq. 21, learned sums of"
                    + " each earlier layer's T plus 0.1 times a Nesterov momentum term): a stem of --arch-width maps, three"
                    + " dense blocks of (L - 4) / 3 BN-ReLU-conv layers adding --growth-rate maps each (L = --arch-depth),"
                    + " transitions with 2x2 average pooling, BN-ReLU, average pooling, a dense output layer.")
    String arch;

    @Option(names = "--n", defaultValue = "3", paramLabel = "N",
            description = "With --arch resnet|hbnet: residual units per block (the paper's 9 and 18 are ResNet-56 and -110;"
                    + " default: ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--arch-width", defaultValue = "16", paramLabel = "W",
            description = "With --arch: channels of the stem and the first residual block, or the DenseNet stem's maps"
                    + " (default: ${DEFAULT-VALUE}, as the papers).")
    int archWidth;

    @Option(names = "--arch-depth", defaultValue = "40", paramLabel = "L",
            description = "With --arch densenet|agdnet: weight layers, 3m + 4 for m layers per block (the paper's 40 and 52;"
                    + " default: ${DEFAULT-VALUE}).")
    int archDepth;

    @Option(names = "--growth-rate", defaultValue = "12", paramLabel = "K",
            description = "With --arch densenet|agdnet: maps each dense layer adds (default: ${DEFAULT-VALUE}, as the paper).")
    int growthRate;

    @Option(names = "--image", paramLabel = "CxHxW",
            description = "With --conv: the image shape of each sample (default: 1x28x28 for 784 features, 3x32x32 for 3072).")
    String image;


    /** True for the dense-block architectures (DenseNet, AGD-Net). */
    boolean dense() {
        return "densenet".equals(arch) || "agdnet".equals(arch);
    }

    /** True when these options build the network (a CNN or a residual net). */
    boolean builds() {
        return conv != null || arch != null;
    }

    /** The image network, or null when --conv and --arch are both absent. */
    Network build(Dataset train, PointwiseFunction act, Initializer initializer, long seed, boolean learnable) {
        if (dense()) {
            DenseNets.Kind kind = "agdnet".equals(arch) ? DenseNets.Kind.AGDNET : DenseNets.Kind.DENSENET;
            return DenseNets.build(kind, imageShape(train.inputs()), archDepth, growthRate, archWidth, train.outputs(),
                    initializer, seed);
        }
        if (arch != null) {
            ResidualNets.Kind kind = "hbnet".equals(arch) ? ResidualNets.Kind.HBNET : ResidualNets.Kind.RESNET;
            return ResidualNets.build(kind, imageShape(train.inputs()), units, archWidth, train.outputs(), learnable,
                    initializer, seed);
        }
        if (conv == null) {
            return null;
        }
        int[] wd = convWidthDepth();
        int[] img = imageShape(train.inputs());
        int[] channels = new int[wd[1]];
        Arrays.fill(channels, wd[0]);
        GlobalPool.Mode headPool = "flatten".equals(head) ? null : GlobalPool.Mode.byId(head);
        Cnn.Options options = new Cnn.Options(headPool, batchNorm, pool == null ? null : Pool2d.Mode.byId(pool), poolEvery);
        return Cnn.build(img[0], img[1], img[2], channels, kernel, train.outputs(), act, initializer, seed, options);
    }

    /**
     * Refuses, before allocating, an image network whose activations for one batch of {@code rows}
     * samples cannot fit in the heap; true when it checked (an image network), false otherwise.
     */
    boolean requireMemory(Dataset train, long rows) {
        if (dense()) {
            // Every layer of the first block keeps its concatenated state, BN and ReLU maps and their
            // gradients: about six maps of the block's final width per layer and sample.
            int positions = train.inputs() / Math.max(1, imageShape(train.inputs())[0]);
            int m = DenseNets.layersPerBlock(archDepth);
            long maps = Memory.product(archWidth + (long) m * growthRate, positions);
            Memory.require("a " + arch + " of depth " + archDepth + " and growth rate " + growthRate,
                    Memory.product(maps, m, rows, 24));
            return true;
        }
        if (arch != null) {
            // About eight float maps per layer and sample (conv, BN, ReLU, sums and their gradients),
            // at the first block's size, which dominates.
            long maps = Memory.product(archWidth, train.inputs() / Math.max(1, imageShape(train.inputs())[0]));
            Memory.require("a residual net of " + ResidualNets.depth(units) + " layers of width " + archWidth,
                    Memory.product(maps, ResidualNets.depth(units), rows, 32));
            return true;
        }
        if (conv == null) {
            return false;
        }
        int[] wd = convWidthDepth();
        long maps = Memory.product(wd[0], train.inputs() / Math.max(1, imageShape(train.inputs())[0]));
        long params = Memory.product(wd[1], wd[0], wd[0], kernel, kernel);
        long a = Memory.product(params, 16);
        long b = Memory.product(maps, wd[1], rows, 16);
        Memory.require("a CNN of " + wd[1] + " convolutions of " + wd[0] + " channels",
                a < 0 || b < 0 || a > Long.MAX_VALUE - b ? -1 : a + b);
        return true;
    }

    /** WIDTHxDEPTH of --conv. */
    int[] convWidthDepth() {
        String[] p = conv.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0].trim());
            int d = Integer.parseInt(p[1].trim());
            if (p.length != 2 || w <= 0 || d <= 0) {
                throw new NumberFormatException();
            }
            return new int[] {w, d};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--conv must be WIDTHxDEPTH with positive numbers (e.g. 8x4), got '" + conv + "'");
        }
    }

    /** C, H, W from --image, or guessed for MNIST (784) and CIFAR (3072) sized samples. */
    int[] imageShape(int features) {
        int[] shape;
        if (image != null) {
            String[] p = image.toLowerCase(Locale.ROOT).split("x");
            try {
                shape = new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim())};
                if (p.length != 3 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--image must be CxHxW with positive numbers (e.g. 1x28x28), got '" + image + "'");
            }
        } else if (features == 784) {
            shape = new int[] {1, 28, 28};
        } else if (features == 3072) {
            shape = new int[] {3, 32, 32};
        } else {
            throw new IllegalArgumentException("--conv needs --image CxHxW for samples of " + features + " features");
        }
        if (kernel > Math.max(shape[1], shape[2])) {
            throw new IllegalArgumentException("--kernel " + kernel + " is larger than the " + shape[1] + "x" + shape[2] + " image");
        }
        if ((long) shape[0] * shape[1] * shape[2] != features) {
            throw new IllegalArgumentException("--image " + shape[0] + "x" + shape[1] + "x" + shape[2] + " is "
                    + (long) shape[0] * shape[1] * shape[2] + " features but the data have " + features);
        }
        return shape;
    }

    /**
     * One line for every combination that cannot work.
     *
     * @param jumpstart      whether --jumpstart was given (--jumpstart-definition needs it)
     * @param mlpLayers      whether --structure or --widths was given
     * @param mlpPenalties   whether a balance or redundancy penalty was given
     */
    void validate(ParseResult parsed, boolean jumpstart, boolean mlpLayers, boolean mlpPenalties) {
        validateArch(parsed, mlpLayers);
        if (conv == null) {
            for (String convOnly : new String[] {"--kernel", "--image", "--head", "--jumpstart-definition", "--batchnorm",
                    "--pool", "--pool-every", "--augment"}) {
                boolean archToo = arch != null && (convOnly.equals("--image") || convOnly.equals("--jumpstart-definition")
                        || convOnly.equals("--augment"));
                if (!archToo && parsed.hasMatchedOption(convOnly)
                        && !(convOnly.equals("--jumpstart-definition") && jumpstart)) {
                    boolean images = convOnly.equals("--image") || convOnly.equals("--augment");
                    throw new IllegalArgumentException(convOnly + " applies to --conv" + (images ? " and --arch" : "")
                            + " networks" + (convOnly.equals("--jumpstart-definition") ? " trained with --jumpstart" : ""));
                }
            }
        }
        if (pool != null) {
            Pool2d.Mode.byId(pool);
        }
        if (poolEvery <= 0 || (pool == null && parsed.hasMatchedOption("--pool-every"))) {
            throw new IllegalArgumentException("--pool-every needs --pool and a positive count, got " + poolEvery);
        }
        if (!"flatten".equals(head)) {
            GlobalPool.Mode.byId(head);
            if (conv == null) {
                throw new IllegalArgumentException("--head applies to --conv networks");
            }
        }
        if (conv != null) {
            convWidthDepth();
            if (mlpLayers) {
                throw new IllegalArgumentException("--conv builds its own layers; it does not combine with --structure or --widths");
            }
            if (kernel <= 0 || kernel % 2 == 0) {
                throw new IllegalArgumentException("--kernel must be odd and positive for same padding, got " + kernel);
            }
            if (mlpPenalties) {
                throw new IllegalArgumentException("--balance-penalty and --redundancy-penalty work on plain MLPs only, not with --conv");
            }
        }
    }

    private void validateArch(ParseResult parsed, boolean mlpLayers) {
        if (arch == null) {
            for (String archOnly : new String[] {"--n", "--arch-width", "--arch-depth", "--growth-rate"}) {
                if (parsed.hasMatchedOption(archOnly)) {
                    throw new IllegalArgumentException(archOnly + " applies to --arch networks");
                }
            }
            return;
        }
        if (!"resnet".equals(arch) && !"hbnet".equals(arch) && !dense()) {
            throw new IllegalArgumentException("--arch must be resnet, hbnet, densenet or agdnet, got '" + arch + "'");
        }
        if (conv != null || mlpLayers) {
            throw new IllegalArgumentException("--arch builds the whole network; it does not combine with --conv, --structure"
                    + " or --widths");
        }
        for (String ignored : new String[] {"--width", "--depth", "--activation", "--relu-grad-at-zero", "--balance-penalty",
                "--redundancy-penalty"}) {
            if (parsed.hasMatchedOption(ignored)) {
                throw new IllegalArgumentException(ignored + " does not apply to --arch networks (ReLU units; size them with "
                        + (dense() ? "--arch-depth, --growth-rate" : "--n") + " and --arch-width)");
            }
        }
        String[] other = dense() ? new String[] {"--n"} : new String[] {"--arch-depth", "--growth-rate"};
        for (String o : other) {
            if (parsed.hasMatchedOption(o)) {
                throw new IllegalArgumentException(o + " does not apply to --arch " + arch);
            }
        }
        if (units <= 0 || units > 1000 || archWidth <= 0 || archWidth > 1024) {
            throw new IllegalArgumentException("--n must be in 1..1000 and --arch-width in 1..1024, got n " + units
                    + ", width " + archWidth);
        }
        if (dense()) {
            DenseNets.layersPerBlock(archDepth);
            if (archDepth > 1000 || growthRate <= 0 || growthRate > 1024) {
                throw new IllegalArgumentException("--arch-depth must be at most 1000 and --growth-rate in 1..1024, got "
                        + archDepth + " and " + growthRate);
            }
        }
    }
}
