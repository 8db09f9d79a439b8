package org.relume.blocks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Layer;
import org.relume.nn.LayerStage;
import org.relume.nn.Network;
import org.relume.nn.Stage;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Builds networks of the optimization-inspired structures (Li et al., Sections 4-6) and rebuilds
 * their stages from model files.
 *
 * <p>Two shapes: {@link #unrolled} is the paper's simulation network (Section 5.3), every layer a T
 * of the same width and the output the last state; {@link #forTask} wraps a block of structured
 * layers between an input layer (x_0 = its output) and a linear output layer, for data whose input
 * and output sizes differ from the width. Each layer draws from its own generator split off
 * {@code SplittableRandom(seed)} in layer order, as {@code Mlp} does.
 */
public final class Structures {
    private Structures() {}

    /** How a structure's coefficients are set. {@code beta} is NaN for the structure's default. */
    public record Options(double beta, boolean learnable) {
        public static final Options DEFAULTS = new Options(Double.NaN, false);
    }

    /** The default beta of the heavy-ball simulation (Li et al., Section 5.3). */
    public static final double HB_BETA = 0.3;

    /**
     * {@code depth} structured layers T_0..T_{depth-1} of {@code width} units, input x_0, output x_depth
     * (the simulation network; {@link Structure#GD} gives a plain chain).
     */
    public static Network unrolled(Structure s, Options o, int width, int depth, PointwiseFunction activation,
                                   Initializer init, long seed) {
        requirePositive(width, depth);
        SplittableRandom root = new SplittableRandom(seed);
        return Network.ofStages(block(s, o, width, depth, activation, init, root));
    }

    /**
     * An input layer (inputs to width, with the activation), then {@code depth - 1} structured layers,
     * then a linear output layer: {@code depth} hidden layers in all, so {@link Structure#GD} is
     * exactly the plain MLP of that depth.
     */
    public static Network forTask(Structure s, Options o, int inputs, int width, int depth, int outputs,
                                  PointwiseFunction activation, Initializer init, long seed) {
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("a network needs positive input and output sizes, got " + inputs
                    + " and " + outputs);
        }
        requirePositive(width, depth);
        SplittableRandom root = new SplittableRandom(seed);
        List<Stage> stages = new ArrayList<>();
        stages.add(new LayerStage(Dense.create(inputs, width, activation, true, init, root.split())));
        stages.addAll(block(s, o, width, depth - 1, activation, init, root));
        stages.add(new LayerStage(Dense.create(width, outputs, PointwiseFunctions.IDENTITY, true, init, root.split())));
        return Network.ofStages(stages);
    }

    private static List<Stage> block(Structure s, Options o, int width, int depth, PointwiseFunction activation,
                                     Initializer init, SplittableRandom root) {
        if (o.learnable() && !s.hasCoefficients()) {
            throw new IllegalArgumentException("the " + s.id() + " structure has no coefficients to learn");
        }
        if (!Double.isNaN(o.beta()) && !(s == Structure.HB || s == Structure.AGD)) {
            throw new IllegalArgumentException("--beta applies to the hb and agd structures, not " + s.id());
        }
        List<Stage> stages = new ArrayList<>(depth);
        for (int k = 0; k < depth; k++) {
            List<Layer> t = new ArrayList<>(s.layersPerStep());
            for (int i = 0; i < s.layersPerStep(); i++) {
                t.add(Dense.create(width, width, activation, true, init, root.split()));
            }
            stages.add(stage(s, o, k, t));
        }
        return stages;
    }

    private static Stage stage(Structure s, Options o, int k, List<Layer> t) {
        boolean learn = o.learnable();
        double beta = o.beta();
        return switch (s) {
            case GD -> new LayerStage(t.get(0));
            case HB -> {
                double b = Double.isNaN(beta) ? HB_BETA : beta;
                yield new HeavyBallStage(k, t.get(0), b, -b, learn);
            }
            case RESNET -> new HeavyBallStage(k, t.get(0), 1, 0, learn);
            case HBNET -> new HeavyBallStage(k, t.get(0), 1, -1, learn);
            case AGD -> Double.isNaN(beta)
                    ? NesterovStage.theta(k, t.get(0), learn)
                    : new NesterovStage(k, t.get(0), 1 + beta, -beta, learn);
            case AGD2 -> NesterovSumStage.fromH(k, t.get(0), learn);
            case ADMM -> TwoPathStage.admm(k, t.get(0), t.get(1));
            case DMRNET -> TwoPathStage.dmr(k, t.get(0), t.get(1), 0.5, 0.5, learn);
        };
    }

    /**
     * Rebuilds a stage from its model-file config around its layers. Learnable coefficients start
     * from the config's values; the tensor file then sets them by name.
     */
    public static Stage fromConfig(Map<String, Object> config, List<Layer> layers) {
        String type = String.valueOf(config.get("type"));
        if ("layer".equals(type)) {
            requireLayers(type, layers, 1);
            return new LayerStage(layers.get(0));
        }
        int k = intField(config, "position");
        boolean learnable = Boolean.TRUE.equals(config.get("learnable"));
        switch (type) {
            case "hb", "agd" -> {
                requireLayers(type, layers, 1);
                double[] c = coefficients(config, 2);
                return "hb".equals(type)
                        ? new HeavyBallStage(k, layers.get(0), c[0], c[1], learnable)
                        : new NesterovStage(k, layers.get(0), c[0], c[1], learnable);
            }
            case "agd2" -> {
                requireLayers(type, layers, 1);
                return NesterovSumStage.of(k, layers.get(0), coefficients(config, 2 * (k + 1)), learnable);
            }
            case "admm" -> {
                requireLayers(type, layers, 2);
                return TwoPathStage.admm(k, layers.get(0), layers.get(1));
            }
            case "dmrnet" -> {
                requireLayers(type, layers, 2);
                double[] c = coefficients(config, 2);
                return TwoPathStage.dmr(k, layers.get(0), layers.get(1), c[0], c[1], learnable);
            }
            case "residual" -> {
                requireLayers(type, layers, layerCount(config));
                return ResidualStage.fromConfig(k, layers, coefficients(config, 2), learnable);
            }
            case "dense" -> {
                requireLayers(type, layers, 2);
                return new DenseStage(k, layers.get(0), layers.get(1));
            }
            case "agdnet" -> {
                requireLayers(type, layers, 2);
                return AgdDenseStage.fromConfig(k, intField(config, "input"), layers, coefficients(config, k + 1),
                        number(config, "beta"), learnable);
            }
            default -> throw new IllegalArgumentException("unknown stage type '" + type
                    + "'; this version reads: layer, hb, agd, agd2, admm, dmrnet, residual, dense, agdnet");
        }
    }

    /** How many layers a stage of this type holds. */
    public static int layerCount(Map<String, Object> config) {
        String type = String.valueOf(config.get("type"));
        if ("residual".equals(type)) {
            return Boolean.TRUE.equals(config.get("projection")) ? 3 : 2;
        }
        return switch (type) {
            case "admm", "dmrnet", "dense", "agdnet" -> 2;
            default -> 1;
        };
    }

    static void requireSquare(String what, Layer t) {
        if (t.inputSize() != t.outputSize()) {
            throw new IllegalArgumentException("a " + what + " layer adds T(x) to earlier states, so T must keep the width; got "
                    + t.inputSize() + " -> " + t.outputSize());
        }
    }

    private static void requireLayers(String type, List<Layer> layers, int n) {
        if (layers.size() != n) {
            throw new IllegalArgumentException("a " + type + " stage holds " + n + " layer(s), got " + layers.size());
        }
    }

    private static void requirePositive(int width, int depth) {
        if (width <= 0 || depth <= 0) {
            throw new IllegalArgumentException("width and depth must be positive, got width " + width + ", depth " + depth);
        }
    }

    private static int intField(Map<String, Object> config, String name) {
        Object v = config.get(name);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
                || n.doubleValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("stage field '" + name + "' must be a non-negative integer, got " + v);
        }
        return n.intValue();
    }

    private static double number(Map<String, Object> config, String name) {
        if (!(config.get(name) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException("stage field '" + name + "' must be a finite number, got " + config.get(name));
        }
        return ((Number) config.get(name)).doubleValue();
    }

    private static double[] coefficients(Map<String, Object> config, int n) {
        Object v = config.get("coefficients");
        if (!(v instanceof List<?> list) || list.size() != n) {
            throw new IllegalArgumentException("stage field 'coefficients' must be a list of " + n + " numbers, got " + v);
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(list.get(i) instanceof Number x) || !Double.isFinite(x.doubleValue())) {
                throw new IllegalArgumentException("stage coefficient " + i + " must be a finite number, got " + list.get(i));
            }
            c[i] = ((Number) list.get(i)).doubleValue();
        }
        return c;
    }
}
