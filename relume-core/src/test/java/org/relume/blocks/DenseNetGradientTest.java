package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.nn.Initializer;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.Stage;

/**
 * Finite-difference checks of DenseNet (Huang et al., eq. 2) and AGD-Net (Li et al., eq. 21) on
 * whole tiny nets (stem, three blocks of two layers, transitions with average pooling, BN-ReLU,
 * average pooling, dense head) in training mode, against a double-precision forward written here
 * from the equations: DenseNet concatenates and convolves everything before it; AGD-Net keeps each
 * T_j(z_j), sums them with alpha and adds beta (z_k - sum_j h^j_{k+1} z_j) with h from eq. 5.
 */
class DenseNetGradientTest {

    @Test
    void denseNetAndAgdNet() {
        for (DenseNets.Kind kind : DenseNets.Kind.values()) {
            Network net = DenseNets.build(kind, new int[] {2, 4, 4}, 10, 2, 3, 3, Initializer.KAIMING_UNIFORM, 7);
            // stem, 3 x 2 dense layers of two, 2 transitions of three, BN-ReLU, pooling, dense.
            assertEquals(1 + 3 * 2 * 2 + 2 * 3 + 3, net.layerCount());
            assertEquals(kind.id().equals("agdnet") ? "agdnet" : "dense", net.stages().get(1).type());
            new Reference(net).check(kind.id(), 13);
        }
    }

    @Test
    void depthsThatAreNotThreeBlocksArePointedOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseNets.build(DenseNets.Kind.DENSENET, new int[] {1, 8, 8}, 41, 12, 16, 10,
                        Initializer.KAIMING_UNIFORM, 1));
        assertEquals("a DenseNet's depth L must be 3m + 4 with m >= 1 layers per block (e.g. 7, 10, 40, 52), got 41",
                e.getMessage());
    }

    @Test
    void theMomentumTermUsesEquationFive() {
        // h_3 = (0, 0.12229, 1.43404): layer k = 2 adds beta ((1 - h^2_3) z_2 - h^1_3 z_1).
        double[] h = ThetaSequence.h(3);
        assertEquals(0, h[0], 0);
        assertEquals(0.12229, h[1], 1e-5);
        assertEquals(1.43404, h[2], 1e-5);
    }

    private static final class Reference extends ImageNetReference {
        Reference(Network net) {
            super(net);
        }

        @Override
        double[] forward(double[][] p) {
            double[] x = p[p.length - 1];
            List<double[]> z = new ArrayList<>();
            List<double[]> t = new ArrayList<>();
            for (Stage stage : net.stages()) {
                List<Layer> l = stage.layers();
                int k = stage.position();
                if (stage instanceof DenseStage) {
                    x = concat(x, layer(p, l.get(1), layer(p, l.get(0), x)));
                } else if (stage instanceof AgdDenseStage agd) {
                    if (k == 0) {
                        z = new ArrayList<>(List.of(x));
                        t = new ArrayList<>();
                    }
                    t.add(layer(p, l.get(1), layer(p, l.get(0), z.get(k))));
                    double[] next = new double[t.get(0).length];
                    double[] alpha = p[index.get(agd.coefficients().get(0))];
                    for (int j = 0; j <= k; j++) {
                        next = add(next, alpha[j], t.get(j));
                    }
                    double[] h = ThetaSequence.h(k + 1);
                    for (int j = 1; j <= k; j++) {
                        next = add(next, AgdDenseStage.BETA * ((j == k ? 1 : 0) - h[j]), z.get(j));
                    }
                    z.add(next);
                    x = concat(x, next);
                } else {
                    x = layer(p, l.get(0), x);
                }
            }
            return x;
        }
    }
}
