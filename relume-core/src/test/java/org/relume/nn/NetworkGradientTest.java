package org.relume.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.GradientCheck;
import org.relume.tensor.LossOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * Whole-network gradient checks: a 3-layer MLP with each activation and each loss, its parameters
 * and its input differentiated through the engine and compared with finite differences of a
 * double-precision reference forward written out here.
 */
class NetworkGradientTest {
    private static final int IN = 3;
    private static final int H1 = 4;
    private static final int H2 = 5;
    private static final int BATCH = 6;

    @Test
    void everyActivationWithMse() {
        for (String name : Activations.NAMES) {
            check(Activations.byName(name), "mse", 1);
        }
        check(Activations.byName("relu", java.util.Map.of("grad_at_zero", 1)), "mse", 1);
    }

    @Test
    void everyLoss() {
        check(Activations.byName("tanh"), "bce", 1);
        check(Activations.byName("tanh"), "softmax", 3);
        check(Activations.byName("relu"), "softmax", 3);
    }

    private void check(PointwiseFunction act, String loss, int outs) {
        SplittableRandom r = new SplittableRandom(7);
        Network net = Mlp.builder().inputs(IN).hidden(H1, H2).outputs(outs).activation(act)
                .init(Initializer.TORCH_DEFAULT).seed(11).build();
        List<Var> params = net.parameters();
        Tensor[] inputs = new Tensor[params.size() + 1];
        for (int i = 0; i < params.size(); i++) {
            inputs[i] = params.get(i).value().copy();
        }
        inputs[params.size()] = GradientCheck.randomInputs(r, 0, new int[] {IN, BATCH})[0];
        boolean[] req = new boolean[inputs.length];
        java.util.Arrays.fill(req, true);
        Tensor target = GradientCheck.randomInputs(r, 0, new int[] {outs, BATCH})[0];
        Tensor binary = Tensor.zeros(1, BATCH);
        int[] labels = new int[BATCH];
        for (int j = 0; j < BATCH; j++) {
            binary.data()[j] = j % 2;
            labels[j] = j % outs;
        }
        int compared = GradientCheck.check("network " + act + " " + loss, inputs, req,
                (tape, v) -> {
                    // Rebuild the network on the checked Vars so gradients land in them.
                    Network n = withParameters(net, v);
                    Var out = n.forward(tape, v[v.length - 1], null);
                    return switch (loss) {
                        case "mse" -> LossOps.mse(tape, out, target);
                        case "bce" -> LossOps.bceWithLogits(tape, out, binary);
                        default -> LossOps.softmaxCrossEntropy(tape, out, labels);
                    };
                },
                x -> reference(x, act, loss, outs, target, labels));
        assertTrue(compared > 50);
    }

    /** A network whose parameter Vars are the given ones (same layout as the template). */
    private static Network withParameters(Network template, Var[] v) {
        return new Network(List.of(
                new VarDense(v[0], v[1], template.layer(0).activation()),
                new VarDense(v[2], v[3], template.layer(1).activation()),
                new VarDense(v[4], v[5], template.layer(2).activation())));
    }

    private static double reference(double[][] x, PointwiseFunction act, String loss, int outs,
                                    Tensor target, int[] labels) {
        double[][] h = new double[BATCH][];
        for (int j = 0; j < BATCH; j++) {
            h[j] = new double[IN];
            for (int i = 0; i < IN; i++) {
                h[j][i] = x[6][i * BATCH + j];
            }
        }
        int[] sizes = {IN, H1, H2, outs};
        for (int l = 0; l < 3; l++) {
            double[] w = x[2 * l];
            double[] b = x[2 * l + 1];
            for (int j = 0; j < BATCH; j++) {
                double[] next = new double[sizes[l + 1]];
                for (int o = 0; o < next.length; o++) {
                    double z = b[o];
                    for (int i = 0; i < sizes[l]; i++) {
                        z += w[o * sizes[l] + i] * h[j][i];
                    }
                    next[o] = l < 2 ? act.value(z) : z;
                }
                h[j] = next;
            }
        }
        double s = 0;
        for (int j = 0; j < BATCH; j++) {
            switch (loss) {
                case "mse" -> {
                    for (int o = 0; o < outs; o++) {
                        double d = h[j][o] - target.data()[o * BATCH + j];
                        s += d * d / outs;
                    }
                }
                case "bce" -> {
                    double z = h[j][0];
                    double t = j % 2;
                    s += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
                }
                default -> {
                    double sum = 0;
                    for (int o = 0; o < outs; o++) {
                        sum += Math.exp(h[j][o]);
                    }
                    s += -(h[j][labels[j]] - Math.log(sum));
                }
            }
        }
        return s / BATCH;
    }

    /** A dense layer over given Vars, so the check differentiates exactly these Vars. */
    private static final class VarDense implements Layer {
        private final Var w;
        private final Var b;
        private final PointwiseFunction f;

        VarDense(Var w, Var b, PointwiseFunction f) {
            this.w = w;
            this.b = b;
            this.f = f;
        }

        @Override public String type() { return "dense"; }

        @Override public int inputSize() { return w.value().cols(); }

        @Override public int outputSize() { return w.value().rows(); }

        @Override public List<Var> parameters() { return List.of(w, b); }

        @Override public Var preactivate(Tape tape, Var input) {
            return org.relume.tensor.LinearOps.affine(tape, w, input, b);
        }

        @Override public Var activate(Tape tape, Var g) {
            return f.isIdentity() ? g : org.relume.tensor.PointwiseOps.apply(tape, g, f);
        }

        @Override public PointwiseFunction activation() { return f; }

        @Override public java.util.Map<String, Object> config() { return java.util.Map.of(); }

        @Override public Layer copy() { return this; }
    }
}
