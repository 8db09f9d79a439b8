package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.nn.Stage;
import org.relume.tensor.ArithmeticOps;
import org.relume.tensor.ReductionOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * Finite-difference gradient checks of every structure of Li et al. (eqs. 7, 11-14, 16, 20), fixed
 * and with learnable coefficients: the engine's float forward and backward against a
 * double-precision forward written here straight from the equations, and its central differences
 * with respect to every weight, bias, coefficient and input.
 */
class StructureGradientTest {
    private static final int WIDTH = 3;
    private static final int DEPTH = 4;
    private static final int BATCH = 5;
    private final PointwiseFunction tanh = Activations.byName("tanh");

    @Test
    void everyStructureWithFixedCoefficients() {
        for (Structure s : Structure.values()) {
            check(s, Structures.Options.DEFAULTS);
        }
        check(Structure.AGD, new Structures.Options(0.4, false));
        check(Structure.HB, new Structures.Options(0.7, false));
    }

    @Test
    void everyStructureWithLearnableCoefficients() {
        for (Structure s : Structure.values()) {
            if (s.hasCoefficients()) {
                check(s, new Structures.Options(Double.NaN, true));
            }
        }
    }

    @Test
    void structuredNetworkBetweenInputAndOutputLayers() {
        Network net = Structures.forTask(Structure.HB, new Structures.Options(Double.NaN, true), 2, WIDTH, 4, 2,
                tanh, Initializer.GLOROT_UNIFORM, 3);
        assertEquals(1 + 3 + 1, net.layerCount());
        assertEquals("hb", net.structure());
        checkNetwork("hb with input and output layers", net, 2);
    }

    private void check(Structure s, Structures.Options o) {
        Network net = Structures.unrolled(s, o, WIDTH, DEPTH, tanh, Initializer.GLOROT_UNIFORM, 17);
        checkNetwork(s.id() + " " + o, net, WIDTH);
    }

    private void checkNetwork(String name, Network net, int inputs) {
        SplittableRandom r = new SplittableRandom(5);
        List<Var> params = net.parameters();
        Var input = Var.parameter("x", Tensor.zeros(inputs, BATCH));
        for (int i = 0; i < input.value().numel(); i++) {
            input.value().data()[i] = (float) (2 * r.nextDouble() - 1);
        }
        Tensor weights = Tensor.zeros(net.outputSize(), BATCH);
        for (int i = 0; i < weights.numel(); i++) {
            weights.data()[i] = (float) (2 * r.nextDouble() - 1);
        }
        Tape tape = new Tape();
        Var loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, net.forward(tape, input, null), Var.constant(weights)));
        tape.backward(loss);

        List<Var> all = new ArrayList<>(params);
        all.add(input);
        double[][] x = new double[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            float[] d = all.get(i).value().data();
            x[i] = new double[all.get(i).value().numel()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = d[j];
            }
        }
        double[] w = new double[weights.numel()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.data()[i];
        }
        assertEquals(reference(net, x, w), loss.value().item(), 1e-5 * Math.max(1, Math.abs(loss.value().item())),
                name + ": forward");
        int compared = 0;
        double h = 1e-6;
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < x[i].length; j++) {
                double saved = x[i][j];
                x[i][j] = saved + h;
                double plus = reference(net, x, w);
                x[i][j] = saved - h;
                double minus = reference(net, x, w);
                x[i][j] = saved;
                double numeric = (plus - minus) / (2 * h);
                Var v = all.get(i);
                double analytic = v.hasGrad() ? v.grad().data()[j] : 0;
                String what = name + ": d/d " + (i < params.size() ? net.namedParameters().keySet().toArray()[i] : "x")
                        + "[" + j + "]";
                assertEquals(numeric, analytic, 2e-4 + 2e-3 * Math.abs(numeric), what);
                compared++;
            }
        }
        assertTrue(compared > 50, name + ": compared " + compared);
    }

    /**
     * The network in double precision from the equations. Parameters arrive in the network's order:
     * each layer's weight and bias, then each stage's coefficient vector; the input last.
     */
    private double reference(Network net, double[][] p, double[] outWeights) {
        int nLayers = net.layerCount();
        double[] x0 = p[p.length - 1];
        List<double[]> states = new ArrayList<>();
        List<double[]> ts = new ArrayList<>();
        List<double[]> sides = new ArrayList<>();
        states.add(x0);
        int layer = 0;
        int coefficient = 2 * nLayers;
        for (Stage stage : net.stages()) {
            if (stage.position() == 0) {
                double[] start = states.get(states.size() - 1);
                states = new ArrayList<>(List.of(start));
                ts = new ArrayList<>();
                sides = new ArrayList<>(List.of(start));
            }
            int k = stage.position();
            double[] c = stage.coefficients().isEmpty() ? fixed(stage) : p[coefficient++];
            double[] xk = states.get(k);
            double[] xPrev = states.get(Math.max(k - 1, 0));
            double[] next;
            switch (stage.type()) {
                case "layer" -> next = dense(net, p, layer++, xk);
                case "hb" -> next = sum(sum(dense(net, p, layer++, xk), 1, xk, c[0]), 1, xPrev, c[1]);
                case "agd" -> next = dense(net, p, layer++, sum(xk, c[0], xPrev, c[1]));
                case "agd2" -> {
                    ts.add(dense(net, p, layer++, xk));
                    next = new double[xk.length];
                    for (int j = 0; j <= k; j++) {
                        next = sum(next, 1, ts.get(j), c[j]);
                        next = sum(next, 1, states.get(j), c[k + 1 + j]);
                    }
                }
                case "admm" -> {
                    double[] side = sides.get(k);
                    double[] tSide = dense(net, p, layer++, side);
                    double[] tMain = dense(net, p, layer++, xk);
                    double[] s = new double[xk.length];
                    for (int t = 1; t <= k; t++) {
                        s = sum(s, 1, sides.get(t), 1);
                        s = sum(s, 1, states.get(t), -1);
                    }
                    double[] sideNext = sum(sum(tSide, 0.5, xk, 0.5), 1, s, -0.5);
                    sides.add(sideNext);
                    next = sum(sum(tMain, 0.5, sideNext, 0.5), 1, s, 0.5);
                }
                case "dmrnet" -> {
                    double[] side = sides.get(k);
                    double[] tSide = dense(net, p, layer++, side);
                    double[] tMain = dense(net, p, layer++, xk);
                    sides.add(sum(sum(tSide, 1, side, c[0]), 1, xk, c[1]));
                    next = sum(sum(tMain, 1, side, c[0]), 1, xk, c[1]);
                }
                default -> throw new AssertionError(stage.type());
            }
            states.add(next);
        }
        double[] out = states.get(states.size() - 1);
        double loss = 0;
        for (int i = 0; i < out.length; i++) {
            loss += out[i] * outWeights[i];
        }
        return loss;
    }

    @SuppressWarnings("unchecked")
    private static double[] fixed(Stage stage) {
        Object c = stage.config().get("coefficients");
        if (c == null) {
            return new double[0];
        }
        List<Double> l = (List<Double>) c;
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = l.get(i);
        }
        return d;
    }

    /** act(W x + b) for layer l, x feature-major [in, batch]. */
    private double[] dense(Network net, double[][] p, int l, double[] x) {
        int out = net.layer(l).outputSize();
        int in = net.layer(l).inputSize();
        double[] w = p[2 * l];
        double[] b = p[2 * l + 1];
        boolean identity = net.layer(l).activation().isIdentity();
        double[] y = new double[out * BATCH];
        for (int o = 0; o < out; o++) {
            for (int n = 0; n < BATCH; n++) {
                double z = b[o];
                for (int i = 0; i < in; i++) {
                    z += w[o * in + i] * x[i * BATCH + n];
                }
                y[o * BATCH + n] = identity ? z : Math.tanh(z);
            }
        }
        return y;
    }

    private static double[] sum(double[] a, double ca, double[] b, double cb) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = ca * a[i] + cb * b[i];
        }
        return y;
    }

}
