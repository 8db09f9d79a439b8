package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.GlobalPool;
import org.relume.nn.Initializer;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.Stage;
import org.relume.tensor.ArithmeticOps;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.ReductionOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Finite-difference checks of the ResNet and HB-Net units (Li et al. eq. 16, Section 6.1): whole
 * tiny nets (stem, three blocks of two units with stride-2 entries and projections, average
 * pooling, dense head) in training mode, against a double-precision forward written here from the
 * definitions (convolution, batch statistics, ReLU after the shortcut sum), with respect to every
 * weight, normalization parameter, coefficient and input.
 */
class ResidualStageGradientTest {
    private static final int BATCH = 4;

    @Test
    void resnetAndHbNetWithFixedAndLearnableCoefficients() {
        for (ResidualNets.Kind kind : ResidualNets.Kind.values()) {
            for (boolean learnable : new boolean[] {false, true}) {
                Network net = ResidualNets.build(kind, new int[] {1, 4, 4}, 2, 2, 3, learnable, Initializer.KAIMING_UNIFORM, 5);
                assertEquals(ResidualNets.depth(2) + 2 + 1, net.layerCount(), "6n + 2 weight layers, two projections, the pooling");
                assertEquals("residual", net.stages().get(1).type());
                check(kind + (learnable ? " learnable" : ""), net);
            }
        }
    }

    private void check(String name, Network net) {
        SplittableRandom r = new SplittableRandom(11);
        List<Var> all = new ArrayList<>(net.parameters());
        Var input = Var.parameter("x", Tensor.zeros(net.inputSize(), BATCH));
        all.add(input);
        for (Var v : all) {
            if (v == input || v.name().equals("coefficients")) {
                continue;
            }
            // Perturb every parameter, normalization's included, away from its symmetric start.
            for (int i = 0; i < v.value().numel(); i++) {
                v.value().data()[i] += (float) (0.5 * (2 * r.nextDouble() - 1));
            }
        }
        for (int i = 0; i < input.value().numel(); i++) {
            input.value().data()[i] = (float) (2 * r.nextDouble() - 1);
        }
        double[] w = new double[net.outputSize() * BATCH];
        Tensor weights = Tensor.zeros(net.outputSize(), BATCH);
        for (int i = 0; i < w.length; i++) {
            w[i] = 2 * r.nextDouble() - 1;
            weights.data()[i] = (float) w[i];
        }
        Tape tape = new Tape();
        Var loss = ReductionOps.sum(tape, ArithmeticOps.mul(tape, net.forward(tape, input, null), Var.constant(weights)));
        tape.backward(loss);

        Map<Var, Integer> index = new IdentityHashMap<>();
        double[][] x = new double[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i), i);
            x[i] = new double[all.get(i).value().numel()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = all.get(i).value().data()[j];
            }
        }
        Reference ref = new Reference(net, index, w);
        assertEquals(ref.loss(x), loss.value().item(), 1e-4 * Math.max(1, Math.abs(loss.value().item())), name + ": forward");
        int compared = 0;
        double h = 1e-6;
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < x[i].length; j++) {
                double saved = x[i][j];
                x[i][j] = saved + h;
                double plus = ref.loss(x);
                x[i][j] = saved - h;
                double minus = ref.loss(x);
                x[i][j] = saved;
                double numeric = (plus - minus) / (2 * h);
                Var v = all.get(i);
                double analytic = v.hasGrad() ? v.grad().data()[j] : 0;
                assertEquals(numeric, analytic, 5e-4 + 5e-3 * Math.abs(numeric), name + ": d/d " + v.name() + "[" + j
                        + "] of parameter " + i);
                compared++;
            }
        }
        assertTrue(compared > 1000, name + ": compared " + compared);
    }

    /** The net in double precision, feature-major [features][batch] as flat arrays. */
    private record Reference(Network net, Map<Var, Integer> index, double[] outWeights) {
        double loss(double[][] p) {
            double[] x = p[p.length - 1];
            List<double[]> states = new ArrayList<>();
            for (Stage stage : net.stages()) {
                if (stage.position() == 0) {
                    states = new ArrayList<>(List.of(x));
                }
                int k = stage.position();
                if (stage instanceof ResidualStage unit) {
                    double[] xk = states.get(k);
                    List<Layer> l = unit.layers();
                    double[] t = layer(p, l.get(1), layer(p, l.get(0), xk));
                    double[] next;
                    if (k == 0) {
                        next = add(t, 1, l.size() > 2 ? layer(p, l.get(2), xk) : xk);
                    } else {
                        double b1 = coefficient(p, unit, 0);
                        double b2 = coefficient(p, unit, 1);
                        next = add(add(t, b1, xk), b2, states.get(Math.max(1, k - 1)));
                    }
                    for (int i = 0; i < next.length; i++) {
                        next[i] = Math.max(0, next[i]);
                    }
                    x = next;
                } else {
                    x = layer(p, stage.layers().get(0), states.get(k));
                }
                states.add(x);
            }
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += x[i] * outWeights[i];
            }
            return s;
        }

        private double coefficient(double[][] p, ResidualStage unit, int i) {
            return unit.coefficients().isEmpty() ? unit.coefficient(i) : p[index.get(unit.coefficients().get(0))][i];
        }

        private double[] layer(double[][] p, Layer layer, double[] x) {
            if (layer instanceof Conv2d conv) {
                double[] z = conv(conv.geometry(), p[index.get(conv.weight())], x);
                List<Var> bn = conv.batchNorm().parameters();
                z = batchNorm(z, conv.geometry().outChannels(), p[index.get(bn.get(0))], p[index.get(bn.get(1))]);
                if (!conv.activation().isIdentity()) {
                    for (int i = 0; i < z.length; i++) {
                        z[i] = Math.max(0, z[i]);
                    }
                }
                return z;
            }
            if (layer instanceof GlobalPool pool) {
                int c = pool.outputSize();
                int positions = pool.inputSize() / c;
                double[] out = new double[c * BATCH];
                for (int i = 0; i < x.length; i++) {
                    out[(i / (positions * BATCH)) * BATCH + i % BATCH] += x[i] / positions;
                }
                return out;
            }
            Dense d = (Dense) layer;
            double[] w = p[index.get(d.weight())];
            double[] b = p[index.get(d.bias())];
            int in = d.inputSize();
            double[] out = new double[d.outputSize() * BATCH];
            for (int o = 0; o < d.outputSize(); o++) {
                for (int j = 0; j < BATCH; j++) {
                    double z = b[o];
                    for (int i = 0; i < in; i++) {
                        z += w[o * in + i] * x[i * BATCH + j];
                    }
                    out[o * BATCH + j] = z;
                }
            }
            return out;
        }

        private static double[] conv(ConvGeometry g, double[] w, double[] x) {
            int k = g.kernel();
            double[] z = new double[g.outSize() * BATCH];
            for (int co = 0; co < g.outChannels(); co++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        for (int j = 0; j < BATCH; j++) {
                            double s = 0;
                            for (int ci = 0; ci < g.inChannels(); ci++) {
                                for (int ky = 0; ky < k; ky++) {
                                    for (int kx = 0; kx < k; kx++) {
                                        int iy = oy * g.stride() - g.padding() + ky;
                                        int ix = ox * g.stride() - g.padding() + kx;
                                        if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                            s += w[co * g.taps() + (ci * k + ky) * k + kx]
                                                    * x[((ci * g.height() + iy) * g.width() + ix) * BATCH + j];
                                        }
                                    }
                                }
                            }
                            z[((co * g.outHeight() + oy) * g.outWidth() + ox) * BATCH + j] = s;
                        }
                    }
                }
            }
            return z;
        }

        private static double[] batchNorm(double[] z, int channels, double[] gamma, double[] beta) {
            int count = z.length / channels;
            double[] y = new double[z.length];
            for (int c = 0; c < channels; c++) {
                double mean = 0;
                for (int i = c * count; i < (c + 1) * count; i++) {
                    mean += z[i] / count;
                }
                double var = 0;
                for (int i = c * count; i < (c + 1) * count; i++) {
                    var += (z[i] - mean) * (z[i] - mean) / count;
                }
                for (int i = c * count; i < (c + 1) * count; i++) {
                    y[i] = gamma[c] * (z[i] - mean) / Math.sqrt(var + 1e-5) + beta[c];
                }
            }
            return y;
        }

        private static double[] add(double[] a, double c, double[] b) {
            double[] s = a.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += c * b[i];
            }
            return s;
        }
    }
}
