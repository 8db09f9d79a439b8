package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.relume.nn.BatchNorm;
import org.relume.nn.Conv2d;
import org.relume.nn.Dense;
import org.relume.nn.GlobalPool;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.NormActivation;
import org.relume.nn.Pool2d;
import org.relume.tensor.ArithmeticOps;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.ReductionOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * The finite-difference harness of the convolutional block tests: a whole net's loss sum(w * net(x))
 * in training mode, its tape gradients against central differences of a double-precision forward
 * that each test writes from the paper's definitions, with respect to every weight, normalization
 * parameter, coefficient and input. The layers' double forwards (convolution, batch statistics,
 * pooling, dense) live here, written from their definitions and not from the engine's code.
 */
abstract class ImageNetReference {
    static final int BATCH = 4;

    final Network net;
    final Map<Var, Integer> index = new IdentityHashMap<>();

    ImageNetReference(Network net) {
        this.net = net;
    }

    /** The net's output [outputs][batch] for the parameters {@code p} (the input last). */
    abstract double[] forward(double[][] p);

    /** Perturbs the parameters off their symmetric start and compares every gradient. */
    void check(String name, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Var> all = new ArrayList<>(net.parameters());
        Var input = Var.parameter("x", Tensor.zeros(net.inputSize(), BATCH));
        all.add(input);
        for (Var v : all) {
            if (v == input || v.name().equals("coefficients")) {
                continue;
            }
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
        double[][] x = new double[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i), i);
            x[i] = new double[all.get(i).value().numel()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = all.get(i).value().data()[j];
            }
        }
        assertEquals(loss(x, w), loss.value().item(), 1e-4 * Math.max(1, Math.abs(loss.value().item())), name + ": forward");
        int compared = 0;
        double h = 1e-6;
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < x[i].length; j++) {
                double saved = x[i][j];
                x[i][j] = saved + h;
                double plus = loss(x, w);
                x[i][j] = saved - h;
                double minus = loss(x, w);
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

    private double loss(double[][] p, double[] w) {
        double[] out = forward(p);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += out[i] * w[i];
        }
        return s;
    }

    /** One layer in double precision; batch norm with the batch's statistics. */
    double[] layer(double[][] p, Layer layer, double[] x) {
        if (layer instanceof Conv2d conv) {
            double[] z = conv(conv.geometry(), p[index.get(conv.weight())], x);
            if (conv.batchNorm() != null) {
                z = batchNorm(p, conv.batchNorm(), z);
            }
            return conv.activation().isIdentity() ? z : relu(z);
        }
        if (layer instanceof NormActivation n) {
            double[] z = batchNorm(p, n.batchNorm(), x);
            return n.activation().isIdentity() ? z : relu(z);
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
        if (layer instanceof Pool2d pool) {
            return averagePool(pool.geometry(), x);
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

    static double[] conv(ConvGeometry g, double[] w, double[] x) {
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

    /** Average of each k x k window at the stride, no padding. */
    static double[] averagePool(ConvGeometry g, double[] x) {
        int k = g.kernel();
        double[] out = new double[g.outSize() * BATCH];
        for (int c = 0; c < g.inChannels(); c++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    for (int j = 0; j < BATCH; j++) {
                        double s = 0;
                        for (int t = 0; t < k * k; t++) {
                            s += x[((c * g.height() + oy * g.stride() + t / k) * g.width() + ox * g.stride() + t % k) * BATCH + j];
                        }
                        out[((c * g.outHeight() + oy) * g.outWidth() + ox) * BATCH + j] = s / (k * k);
                    }
                }
            }
        }
        return out;
    }

    double[] batchNorm(double[][] p, BatchNorm bn, double[] z) {
        double[] gamma = p[index.get(bn.parameters().get(0))];
        double[] beta = p[index.get(bn.parameters().get(1))];
        int channels = gamma.length;
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

    static double[] relu(double[] z) {
        double[] y = z.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, y[i]);
        }
        return y;
    }

    static double[] add(double[] a, double c, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += c * b[i];
        }
        return s;
    }

    static double[] concat(double[] a, double[] b) {
        double[] s = new double[a.length + b.length];
        System.arraycopy(a, 0, s, 0, a.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }
}
