package org.relume.jumpstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Jumpstart on the optimization-inspired structures: every T of an HB (and a two-path ADMM) network
 * hands its preactivation to the sink, so the penalty sees and pushes every one of them, with no
 * special case for structures.
 */
class JumpstartOnStructuresTest {

    @Test
    void penaltySeesEveryOperatorOfAStructuredNetwork() {
        for (Structure s : new Structure[] {Structure.HB, Structure.ADMM, Structure.AGD2}) {
            Network net = Structures.forTask(s, Structures.Options.DEFAULTS, 2, 3, 6, 1,
                    Activations.byName("relu"), Initializer.GLOROT_UNIFORM, 4);
            int operators = 5 * s.layersPerStep();
            assertEquals(1 + operators + 1, net.layerCount(), s.id());

            Tensor x = Tensor.zeros(2, 16);
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.numel(); i++) {
                x.data()[i] = (float) (2 * r.nextDouble() - 1);
            }
            Tape tape = new Tape();
            List<Preactivation> seen = new ArrayList<>();
            net.forward(tape, Var.constant(x), seen::add);
            assertEquals(net.layerCount(), seen.size(), s.id() + ": one preactivation per layer");
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i).layer(), s.id() + ": layer order");
            }

            Jumpstart j = new Jumpstart(Aggregation.L1, 1.0, false);
            Var p = j.penalty(tape, seen, net);
            assertEquals(net.layerCount() - 1, j.penalizedLayers(), s.id() + ": every hidden layer penalized");
            tape.backward(p);
            for (int l = 0; l < net.layerCount() - 1; l++) {
                Var w = ((Dense) net.layer(l)).weight();
                assertTrue(w.hasGrad(), s.id() + ": layer " + l + " got no penalty gradient");
            }
        }
    }
}
