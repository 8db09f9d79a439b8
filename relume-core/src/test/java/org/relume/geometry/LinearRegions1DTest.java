package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

class LinearRegions1DTest {

    private static Dense dense(float[] w, float[] b, int out, int in, String act) {
        return new Dense(Tensor.of(w, out, in), b == null ? null : Tensor.of(b, out), Activations.byName(act));
    }

    @Test
    void absoluteValueHasTwoPiecesAndAHatHasFour() {
        // |x| = relu(x) + relu(-x)
        Network abs = new Network(List.of(dense(new float[] {1, -1}, new float[] {0, 0}, 2, 1, "relu"),
                dense(new float[] {1, 1}, new float[] {0}, 1, 2, "identity")));
        List<LinearRegions1D.Piece> p = LinearRegions1D.pieces(abs, -1, 1);
        assertEquals(2, p.size());
        assertEquals(0.0, p.get(1).from(), 0);
        assertEquals(-1.0, p.get(0).slope()[0]);
        assertEquals(1.0, p.get(1).slope()[0]);
        // relu(x + 0.5) - 2 relu(x) + relu(x - 0.5): a hat with bends at -0.5, 0, 0.5, flat outside.
        Network hat = new Network(List.of(dense(new float[] {1, 1, 1}, new float[] {0.5f, 0, -0.5f}, 3, 1, "relu"),
                dense(new float[] {1, -2, 1}, new float[] {0}, 1, 3, "identity")));
        assertArrayEquals(new double[] {-0.5, 0, 0.5}, LinearRegions1D.bends(hat, -1, 1), 1e-12);
        assertEquals(4, LinearRegions1D.count(hat, -1, 1));
        assertEquals(2, LinearRegions1D.count(hat, 0.1, 1), "only the bend at 0.5 lies inside");
        assertFalse(LinearRegions1D.isConstant(hat, -1, 1));
        assertTrue(LinearRegions1D.isConstant(hat, 0.6, 1), "flat beyond the hat");
    }

    @Test
    void aUnitThatOnlyTouchesZeroAddsNoPiece() {
        // relu(x) + relu(-x) - relu(|x|) style cancellation: output relu(x) - relu(x) = 0 has one piece.
        Network n = new Network(List.of(dense(new float[] {1, 1}, new float[] {0, 0}, 2, 1, "relu"),
                dense(new float[] {1, -1}, new float[] {0}, 1, 2, "identity")));
        assertEquals(1, LinearRegions1D.count(n, -1, 1));
        assertTrue(LinearRegions1D.isConstant(n, -1, 1));
    }

    @Test
    void exactCountBoundsDenseSamplingOnRandomNetworks() {
        for (long seed = 1; seed <= 20; seed++) {
            Network net = Mlp.builder().inputs(1).hidden(5, 5, 4).outputs(1).activation(Activations.relu())
                    .init(Initializer.TORCH_DEFAULT).seed(seed).build();
            int exact = LinearRegions1D.count(net, -2, 2);
            int sampled = sampledPieces(net, -2, 2, 200_001);
            assertTrue(sampled <= exact, "seed " + seed + ": sampling found " + sampled + " > exact " + exact);
            // Pieces wider than the sampling step are all seen: equality unless some piece is tiny.
            double narrowest = LinearRegions1D.pieces(net, -2, 2).stream().mapToDouble(p -> p.to() - p.from()).min().orElse(1);
            if (narrowest > 1e-3) {
                assertEquals(exact, sampled, "seed " + seed);
            }
        }
    }

    /** Counts slope changes between consecutive sample segments of a double-precision forward pass. */
    private static int sampledPieces(Network net, double lo, double hi, int n) {
        double[] y = new double[n];
        double step = (hi - lo) / (n - 1);
        for (int i = 0; i < n; i++) {
            y[i] = forwardDouble(net, lo + step * i);
        }
        int pieces = 1;
        double prevSlope = (y[1] - y[0]) / step;
        for (int i = 2; i < n; i++) {
            double slope = (y[i] - y[i - 1]) / step;
            if (Math.abs(slope - prevSlope) > 1e-7 * Math.max(1, Math.abs(prevSlope))) {
                pieces++;
                // Skip the segment that straddles the bend.
                if (i + 1 < n) {
                    i++;
                    slope = (y[i] - y[i - 1]) / step;
                }
            }
            prevSlope = slope;
        }
        return pieces;
    }

    /** The network's single output at x, computed in double from its float weights. */
    private static double forwardDouble(Network net, double x) {
        double[] h = {x};
        for (int l = 0; l < net.layerCount(); l++) {
            Dense d = (Dense) net.layer(l);
            float[] w = d.weight().value().data();
            float[] b = d.bias().value().data();
            double[] g = new double[d.outputSize()];
            for (int j = 0; j < g.length; j++) {
                double z = b[j];
                for (int i = 0; i < h.length; i++) {
                    z += (double) w[j * h.length + i] * h[i];
                }
                g[j] = l < net.layerCount() - 1 ? Math.max(z, 0) : z;
            }
            h = g;
        }
        return h[0];
    }

    @Test
    void leakyReluIsSupportedAndSmoothActivationsAreRefused() {
        Network leaky = new Network(List.of(
                new Dense(Tensor.of(new float[] {1}, 1, 1), Tensor.of(new float[] {0}, 1),
                        Activations.byName("leaky_relu", java.util.Map.of("negative_slope", 0.1))),
                dense(new float[] {1}, new float[] {0}, 1, 1, "identity")));
        List<LinearRegions1D.Piece> p = LinearRegions1D.pieces(leaky, -1, 1);
        assertEquals(2, p.size());
        assertEquals(0.1, p.get(0).slope()[0], 1e-7);
        Network smooth = Mlp.of(1, 3, 1, 1, Activations.byName("tanh"), Initializer.GLOROT_UNIFORM, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearRegions1D.count(smooth, 0, 1));
        assertTrue(e.getMessage().contains("tanh"), e.getMessage());
        Network twoInputs = Mlp.of(2, 3, 1, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        assertThrows(IllegalArgumentException.class, () -> LinearRegions1D.count(twoInputs, 0, 1));
    }
}
