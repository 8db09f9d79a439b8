package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.nn.Initializer;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.Stage;

/**
 * Finite-difference checks of the ResNet and HB-Net units (Li et al. eq. 16, Section 6.1): whole
 * tiny nets (stem, three blocks of two units with stride-2 entries and projections, average
 * pooling, dense head) in training mode, against a double-precision forward written here from the
 * definitions (ReLU after the shortcut sum), with respect to every weight, normalization
 * parameter, coefficient and input.
 */
class ResidualStageGradientTest {

    @Test
    void resnetAndHbNetWithFixedAndLearnableCoefficients() {
        for (ResidualNets.Kind kind : ResidualNets.Kind.values()) {
            for (boolean learnable : new boolean[] {false, true}) {
                Network net = ResidualNets.build(kind, new int[] {1, 4, 4}, 2, 2, 3, learnable, Initializer.KAIMING_UNIFORM, 5);
                assertEquals(ResidualNets.depth(2) + 2 + 1, net.layerCount(), "6n + 2 weight layers, two projections, the pooling");
                assertEquals("residual", net.stages().get(1).type());
                new Reference(net).check(kind + (learnable ? " learnable" : ""), 11);
            }
        }
    }

    /** The net in double precision, feature-major [features][batch] as flat arrays. */
    private static final class Reference extends ImageNetReference {
        Reference(Network net) {
            super(net);
        }

        @Override
        double[] forward(double[][] p) {
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
                    x = relu(next);
                } else {
                    x = layer(p, stage.layers().get(0), states.get(k));
                }
                states.add(x);
            }
            return x;
        }

        private double coefficient(double[][] p, ResidualStage unit, int i) {
            return unit.coefficients().isEmpty() ? unit.coefficient(i) : p[index.get(unit.coefficients().get(0))][i];
        }
    }
}
