package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** Unit and point states on a hand-built network whose states are known in advance. */
class UnitPointStatesTest {

    /**
     * One input x in {-2, -1, 1, 2}. Hidden layer 0 has three units:
     * unit 0: g = -x - 5 (always negative: dead), unit 1: g = x + 5 (always positive: linear),
     * unit 2: g = x (on for x &gt; 0: nonlinear). Hidden layer 1 has one unit, g = -h2 - 1: dead.
     */
    private static Network network() {
        Dense l0 = new Dense(Tensor.of(new float[] {-1, 1, 1}, 3, 1), Tensor.of(new float[] {-5, 5, 0}, 3), Activations.relu());
        Dense l1 = new Dense(Tensor.of(new float[] {0, 0, -1}, 1, 3), Tensor.of(new float[] {-1}, 1), Activations.relu());
        Dense out = new Dense(Tensor.of(new float[] {1}, 1, 1), Tensor.of(new float[] {0}, 1), Activations.byName("identity"));
        return new Network(List.of(l0, l1, out));
    }

    @Test
    void statesMatchTheConstruction() {
        Tensor x = Tensor.of(new float[] {-2, -1, 1, 2}, 4, 1);
        UnitPointStates.Report r = UnitPointStates.analyze(network(), x);
        assertEquals(2, r.layers().size(), "only hidden layers");
        UnitPointStates.LayerStates l0 = r.layers().get(0);
        assertArrayEquals(new int[] {0}, l0.deadUnits());
        assertArrayEquals(new int[] {1}, l0.linearUnits());
        assertEquals(1, l0.nonlinearUnits());
        // Points: x < 0 has only unit 1 on (nonlinear point), x > 0 has units 1 and 2 on (nonlinear: unit 0 off).
        assertEquals(0, l0.deadPoints().length);
        assertEquals(0, l0.linearPoints().length);
        assertFalse(l0.isDead());
        UnitPointStates.LayerStates l1 = r.layers().get(1);
        assertTrue(l1.isDead());
        assertArrayEquals(new int[] {0, 1, 2, 3}, l1.deadPoints());
        assertEquals(4, r.deadPointsAnyLayer());
        assertEquals(1, r.deadLayers());
        assertEquals(1, r.firstDeadLayer());
        assertEquals(2.0, r.columns().get("dead_units"));
        assertEquals(1.0, r.columns().get("linear_units"));
        assertTrue(r.summary().contains("first at layer 1"), r.summary());
    }

    @Test
    void linearPointsAndLinearLayers() {
        // All units on for every sample: a linear layer, every point linear.
        Dense l0 = new Dense(Tensor.of(new float[] {1, 2}, 2, 1), Tensor.of(new float[] {10, 10}, 2), Activations.relu());
        Dense out = new Dense(Tensor.of(new float[] {1, 1}, 1, 2), null, Activations.byName("identity"));
        UnitPointStates.Report r = UnitPointStates.analyze(new Network(List.of(l0, out)), Tensor.of(new float[] {-1, 0, 1}, 3, 1));
        assertTrue(r.layers().get(0).isLinear());
        assertArrayEquals(new int[] {0, 1, 2}, r.layers().get(0).linearPoints());
        assertEquals(1, r.linearLayers());
        assertEquals(0, r.deadPointsAnyLayer());
    }
}
