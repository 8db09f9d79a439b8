package org.relume.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

class NetworkTest {

    @Test
    void parametersAreNamedLikePyTorchSequential() {
        Network net = Mlp.builder().inputs(2).hidden(3, 4).outputs(1).seed(1).build();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "layers.2.weight", "layers.2.bias"), new ArrayList<>(net.namedParameters().keySet()));
        assertArrayEquals(new int[] {4, 3}, net.parameter("layers.1.weight").value().shape());
        assertEquals(2 * 3 + 3 + 3 * 4 + 4 + 4 + 1, net.parameterCount());
        assertEquals("2-3-4-1", net.architecture());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.parameter("layers.9.weight"));
        assertTrue(e.getMessage().contains("layers.0.weight"), e.getMessage());
    }

    @Test
    void setParameterChecksShapeAndCopies() {
        Network net = Mlp.builder().inputs(2).hidden(3).outputs(1).seed(1).build();
        Tensor w = Tensor.zeros(3, 2).fill(0.5f);
        net.setParameter("layers.0.weight", w);
        w.fill(9f);
        assertEquals(0.5f, net.parameter("layers.0.weight").value().get(1, 1));
        assertThrows(IllegalArgumentException.class, () -> net.setParameter("layers.0.weight", Tensor.zeros(2, 3)));
    }

    @Test
    void sameSeedSameWeightsAndCopiesAreIndependent() {
        Network a = Mlp.of(2, 5, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 42);
        Network b = Mlp.of(2, 5, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 42);
        Network c = Mlp.of(2, 5, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 43);
        assertTrue(a.parameter("layers.1.weight").value().identical(b.parameter("layers.1.weight").value()));
        assertTrue(!a.parameter("layers.1.weight").value().identical(c.parameter("layers.1.weight").value()));
        Network copy = a.copy();
        assertNotSame(copy.parameter("layers.0.weight"), a.parameter("layers.0.weight"));
        copy.parameter("layers.0.weight").value().fill(0f);
        assertTrue(a.parameter("layers.0.weight").value().maxAbsDifference(b.parameter("layers.0.weight").value()) == 0f);
    }

    @Test
    void predictMatchesFeatureMajorForwardAndHandsOutPreactivations() {
        Network net = Mlp.of(3, 4, 2, 2, Activations.byName("tanh"), Initializer.GLOROT_NORMAL, 5);
        Tensor samples = Tensor.ofRows(new float[][] {{1, 2, 3}, {-1, 0.5f, 0}, {0, 0, 1}});
        Tensor pred = net.predict(samples);
        assertArrayEquals(new int[] {3, 2}, pred.shape());
        Tape tape = new Tape();
        List<Preactivation> seen = new ArrayList<>();
        Var out = net.forward(tape, Var.constant(samples.transpose()), seen::add);
        assertEquals(3, seen.size());
        assertTrue(seen.get(2).output());
        assertEquals(4, seen.get(0).units());
        assertEquals(3, seen.get(0).samples());
        assertTrue(out.value().transpose().maxAbsDifference(pred) < 1e-6f);
        // The layer-0 preactivation is W x + b for the first sample, unit 0.
        Tensor w = net.parameter("layers.0.weight").value();
        float g = net.parameter("layers.0.bias").value().get(0) + w.get(0, 0) * 1 + w.get(0, 1) * 2 + w.get(0, 2) * 3;
        assertEquals(g, seen.get(0).value().value().data()[seen.get(0).index(0, 0, 0)], 1e-5f);
    }

    @Test
    void mismatchedShapesGiveClearErrors() {
        Network net = Mlp.of(3, 4, 1, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("3 input features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Network(List.of(
                Dense.create(2, 3, Activations.relu(), true, Initializer.ZEROS, new java.util.SplittableRandom(1)),
                Dense.create(4, 1, Activations.relu(), true, Initializer.ZEROS, new java.util.SplittableRandom(1)))));
        assertTrue(e.getMessage().contains("layer 1 expects 4 inputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.byName("gelu"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.byName("he"));
    }

    @Test
    void tapeReusesItsBuffersAcrossSteps() {
        Network net = Mlp.of(2, 3, 4, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 3);
        Tape tape = new Tape();
        Var x = Var.constant(Tensor.zeros(2, 8).fill(0.3f));
        Var first = net.forward(tape, x, null);
        float[] firstBuffer = first.value().data();
        tape.reset();
        Var second = net.forward(tape, x, null);
        assertEquals(first, second);
        assertEquals(firstBuffer, second.value().data());
    }
}
