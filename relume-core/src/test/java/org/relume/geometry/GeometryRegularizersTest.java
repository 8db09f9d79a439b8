package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.data.Dataset;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.GradientCheck;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * The balance penalty and the redundancy barrier: finite-difference checks of their tape ops in
 * double precision, their values on hand-made layers, and their effect in training.
 */
class GeometryRegularizersTest {

    /** sum_i (||V[:, i]|| - ||(W[i, :], b_i)||)^2 in double, with the same smoothing. */
    private static double balanceReference(double[] w, double[] b, double[] v, int m, int d, int outputs) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double na = BalancePenalty.EPSILON;
            for (int k = 0; k < d; k++) {
                na += w[i * d + k] * w[i * d + k];
            }
            if (b != null) {
                na += b[i] * b[i];
            }
            double nc = BalancePenalty.EPSILON;
            for (int o = 0; o < outputs; o++) {
                nc += v[o * m + i] * v[o * m + i];
            }
            double diff = Math.sqrt(nc) - Math.sqrt(na);
            s += diff * diff;
        }
        return s;
    }

    private static double redundancyReference(double[] w, double[] b, int m, int d, double tau) {
        double[][] u = new double[m][d + (b == null ? 0 : 1)];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                u[i][k] = w[i * d + k];
            }
            if (b != null) {
                u[i][d] = b[i];
            }
        }
        double s = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double dot = 0;
                double ni = BalancePenalty.EPSILON;
                double nj = BalancePenalty.EPSILON;
                for (int k = 0; k < u[i].length; k++) {
                    dot += u[i][k] * u[j][k];
                    ni += u[i][k] * u[i][k];
                    nj += u[j][k] * u[j][k];
                }
                double excess = dot / Math.sqrt(ni * nj) - tau;
                s += excess > 0 ? excess * excess : 0;
            }
        }
        return s;
    }

    @Test
    void balancePenaltyPassesAFiniteDifferenceCheck() {
        SplittableRandom r = new SplittableRandom(1);
        int m = 4;
        int d = 3;
        int outputs = 2;
        BalancePenalty penalty = new BalancePenalty(0.7);
        for (int trial = 0; trial < 3; trial++) {
            Tensor[] in = GradientCheck.randomInputs(r, 0.05, new int[] {m, d}, new int[] {m}, new int[] {outputs, m});
            int compared = GradientCheck.check("balance penalty", in, new boolean[] {true, true, true},
                    (tape, v) -> penalty.layerPenalty(tape, v[0], v[1], v[2]),
                    x -> 0.7 * balanceReference(x[0], x[1], x[2], m, d, outputs));
            assertEquals(m * d + m + outputs * m, compared);
            GradientCheck.check("balance penalty without bias", new Tensor[] {in[0], in[2]}, new boolean[] {true, true},
                    (tape, v) -> penalty.layerPenalty(tape, v[0], null, v[1]),
                    x -> 0.7 * balanceReference(x[0], null, x[1], m, d, outputs));
        }
    }

    @Test
    void redundancyBarrierPassesAFiniteDifferenceCheck() {
        SplittableRandom r = new SplittableRandom(2);
        int m = 5;
        int d = 3;
        // A low threshold makes most pairs active, so most terms of the backward are exercised.
        RedundancyBarrier barrier = new RedundancyBarrier(0.9, -0.3);
        int active = 0;
        for (int trial = 0; trial < 3; trial++) {
            Tensor[] in = GradientCheck.randomInputs(r, 0.05, new int[] {m, d}, new int[] {m});
            double[] w = toDouble(in[0]);
            double[] b = toDouble(in[1]);
            active += redundancyReference(w, b, m, d, -0.3) > 0 ? 1 : 0;
            int compared = GradientCheck.check("redundancy barrier", in, new boolean[] {true, true},
                    (tape, v) -> barrier.layerPenalty(tape, v[0], v[1]),
                    x -> 0.9 * redundancyReference(x[0], x[1], m, d, -0.3));
            assertEquals(m * d + m, compared);
            GradientCheck.check("redundancy barrier without bias", new Tensor[] {in[0]}, new boolean[] {true},
                    (tape, v) -> barrier.layerPenalty(tape, v[0], null),
                    x -> 0.9 * redundancyReference(x[0], null, m, d, -0.3));
        }
        assertEquals(3, active, "every trial has active pairs");
    }

    private static double[] toDouble(Tensor t) {
        double[] out = new double[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data()[i];
        }
        return out;
    }

    @Test
    void valuesOnHandMadeLayers() {
        Tape tape = new Tape();
        // Unit 0: a = (3, 4) (norm 5), c = (5): balanced. Unit 1: a = (1, 0), c = (0): (0 - 1)^2 = 1.
        Var w = Var.parameter("w", Tensor.of(new float[] {3, 4, 1, 0}, 2, 2));
        Var v = Var.parameter("v", Tensor.of(new float[] {5, 0}, 1, 2));
        assertEquals(2.0, new BalancePenalty(2).layerPenalty(tape, w, null, v).value().item(), 1e-5);
        // Parallel rows: cos = 1 -> (1 - 0.9)^2 = 0.01; orthogonal rows: 0.
        Var parallel = Var.parameter("p", Tensor.of(new float[] {1, 2, 2, 4}, 2, 2));
        assertEquals(0.01, new RedundancyBarrier(1).layerPenalty(tape, parallel, null).value().item(), 1e-6);
        Var orthogonal = Var.parameter("o", Tensor.of(new float[] {1, 0, 0, 1}, 2, 2));
        assertEquals(0.0, new RedundancyBarrier(1).layerPenalty(tape, orthogonal, null).value().item(), 0);
        // Opposite rows are allowed (C.2 forbids only positively parallel ones).
        Var opposite = Var.parameter("n", Tensor.of(new float[] {1, 2, -1, -2}, 2, 2));
        assertEquals(0.0, new RedundancyBarrier(1).layerPenalty(tape, opposite, null).value().item(), 0);
        assertThrows(IllegalArgumentException.class, () -> new BalancePenalty(-1));
        assertThrows(IllegalArgumentException.class, () -> new RedundancyBarrier(1, 1));
    }

    @Test
    void aNetworkPenaltySumsItsHiddenLayersAndReachesTheParameters() {
        Network net = Mlp.builder().inputs(2).hidden(4, 3).outputs(1).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(5).build();
        BalancePenalty balance = new BalancePenalty(1);
        RedundancyBarrier barrier = new RedundancyBarrier(1, -1);
        Tape tape = new Tape();
        double expectedBalance = 0;
        double expectedBarrier = 0;
        for (int l = 0; l < 2; l++) {
            Dense in = (Dense) net.layer(l);
            Dense out = (Dense) net.layer(l + 1);
            expectedBalance += balance.layerPenalty(tape, in.weight(), in.bias(), out.weight()).value().item();
            expectedBarrier += barrier.layerPenalty(tape, in.weight(), in.bias()).value().item();
        }
        tape.reset();
        Var p = balance.penalty(tape, List.of(), net);
        assertEquals(expectedBalance, p.value().item(), 1e-5);
        tape.backward(p);
        List<Var> params = net.parameters();
        for (Var param : params.subList(0, params.size() - 1)) {
            assertTrue(param.hasGrad(), "every weight and hidden bias gets a gradient: " + param);
        }
        assertTrue(!params.get(params.size() - 1).hasGrad(), "the output bias is no part of any (a_i, c_i)");
        tape.reset();
        assertEquals(expectedBarrier, barrier.penalty(tape, List.of(), net).value().item(), 1e-5);
    }

    /** y = x^2 on [-1, 1], 64 points. */
    private static Dataset parabola() {
        float[] x = new float[64];
        float[] y = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i] = -1 + 2f * i / 63;
            y[i] = x[i] * x[i];
        }
        return Dataset.regression("parabola", Tensor.wrap(x, 64, 1), Tensor.wrap(y, 64, 1));
    }

    @Test
    void trainingWithThePenaltiesStaysInTheGoodSet() {
        Dataset data = parabola();
        Dataset none = data.range(0, 0, "empty");
        // Start badly: hidden weights and biases scaled by 4 and output weights by 1/4 (unbalanced),
        // and units 1 and 2 nearly parallel to unit 0.
        Network start = Mlp.builder().inputs(1).hidden(6).outputs(1).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(3).bias(true).build();
        Dense h = (Dense) start.layer(0);
        Dense o = (Dense) start.layer(1);
        float[] w = h.weight().value().data();
        float[] b = h.bias().value().data();
        w[1] = w[0] * 1.01f;
        b[1] = b[0] * 0.99f;
        w[2] = w[0] * 1.02f;
        b[2] = b[0] * 1.01f;
        for (int i = 0; i < 6; i++) {
            w[i] *= 4;
            b[i] *= 4;
            o.weight().value().data()[i] /= 4;
        }
        TrainResult plain = train(start.copy(), data, none, null, null);
        TrainResult regularized = train(start.copy(), data, none, new BalancePenalty(0.1), new RedundancyBarrier(1));
        double imbalancePlain = imbalance2(BiasedShallowNet.fromNetwork(plain.network()));
        double imbalanceReg = imbalance2(BiasedShallowNet.fromNetwork(regularized.network()));
        assertTrue(imbalanceReg < 0.05 && imbalancePlain > 0.9, "relative imbalance: plain " + imbalancePlain
                + ", regularized " + imbalanceReg);
        double cosPlain = maxCosine(BiasedShallowNet.fromNetwork(plain.network()));
        double cosReg = maxCosine(BiasedShallowNet.fromNetwork(regularized.network()));
        assertTrue(cosPlain > 0.95 && cosReg < 0.91, "largest cosine: plain " + cosPlain + ", regularized " + cosReg);
        assertTrue(regularized.train().mse() < 0.005, "still fits: MSE " + regularized.train().mse());
        assertTrue(regularized.history().columns().containsAll(List.of("balance", "redundancy")),
                regularized.history().columns().toString());
    }

    private static TrainResult train(Network net, Dataset data, Dataset validation, BalancePenalty balance,
                                     RedundancyBarrier barrier) {
        TrainConfig cfg = TrainConfig.defaults().epochs(1500).optimizer(new Adam(0.01)).logEvery(500).seed(1);
        if (balance != null) {
            cfg.regularizer(balance);
        }
        if (barrier != null) {
            cfg.regularizer(barrier);
        }
        return new Trainer(cfg).train(net, data, validation);
    }

    /** The largest relative difference of ||c_i||_2 and ||(a_i, b_i)||_2 over the neurons, what the penalty controls. */
    private static double imbalance2(BiasedShallowNet net) {
        ShallowNet aug = net.augmented();
        double worst = 0;
        for (int i = 0; i < aug.neurons(); i++) {
            double na = ShallowNet.norm2(aug.a(i));
            double nc = ShallowNet.norm2(aug.c(i));
            worst = Math.max(worst, Math.abs(na - nc) / Math.max(na, nc));
        }
        return worst;
    }

    private static double maxCosine(BiasedShallowNet net) {
        ShallowNet aug = net.augmented();
        double best = -1;
        for (int i = 0; i < aug.neurons(); i++) {
            for (int j = i + 1; j < aug.neurons(); j++) {
                double[] u = aug.a(i);
                double[] v = aug.a(j);
                best = Math.max(best, ShallowNet.dot(u, v) / (ShallowNet.norm2(u) * ShallowNet.norm2(v)));
            }
        }
        return best;
    }
}
