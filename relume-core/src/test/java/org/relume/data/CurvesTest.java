package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurvesTest {
    @Test
    void namesInFixedOrder() {
        assertEquals(List.of("x3", "x11", "tanh3", "sin", "x2"), Curves.names());
    }

    @Test
    void valuesAtKnownPoints() {
        assertEquals(0.125, Curves.value("x3", 0.5), 1e-15);
        assertEquals(-8, Curves.value("x3", -2), 1e-15);
        assertEquals(2048, Curves.value("x11", 2), 1e-12);
        assertEquals(Math.pow(0.5, 11), Curves.value("x11", 0.5), 1e-18);
        assertEquals(Math.tanh(3), Curves.value("tanh3", 1), 1e-15);
        assertEquals(0, Curves.value("tanh3", 0), 0);
        assertEquals(1, Curves.value("sin", 1), 1e-15);
        assertEquals(Math.sqrt(0.5), Curves.value("sin", 0.5), 1e-15);
        assertEquals(9, Curves.value("x2", 3), 0);
    }

    @Test
    void gridIncludesBothEnds() {
        Dataset d = Curves.generate("x3", 5, 0, 1);
        assertEquals("curve:x3", d.name());
        assertEquals(Task.REGRESSION, d.task());
        float[] xs = {0f, 0.25f, 0.5f, 0.75f, 1f};
        for (int i = 0; i < 5; i++) {
            assertEquals(xs[i], d.features().get(i, 0), 0);
            assertEquals(xs[i] * xs[i] * xs[i], d.targets().get(i, 0), 1e-7);
        }
        Dataset wide = Curves.generate("sin", 333, -1, 1);
        assertEquals(-1f, wide.features().get(0, 0), 0);
        assertEquals(1f, wide.features().get(332, 0), 0);
        assertEquals(-1f, wide.targets().get(0, 0), 1e-7);
        assertEquals(1f, wide.targets().get(332, 0), 1e-7);
    }

    @Test
    void defaultGridIsThePapers() {
        Dataset d = Curves.generate("tanh3");
        assertEquals(500, d.size());
        assertEquals(0f, d.features().get(0, 0), 0);
        assertEquals(1f, d.features().get(499, 0), 0);
        assertEquals((float) (1.0 / 499), d.features().get(1, 0), 0);
        assertEquals((float) Math.tanh(3.0 * (float) (1.0 / 499)), d.targets().get(1, 0), 0);
    }

    @Test
    void fromGridUsesTheGivenPoints() {
        Dataset d = Curves.fromGrid("x2", new float[] {-3, 0.5f, 2});
        assertEquals(3, d.size());
        assertEquals(9f, d.targets().get(0, 0), 0);
        assertEquals(0.25f, d.targets().get(1, 0), 0);
        assertEquals(4f, d.targets().get(2, 0), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Curves.fromGrid("x2", new float[] {0, Float.NaN}));
        assertTrue(e.getMessage().contains("grid point 1"), e.getMessage());
    }

    @Test
    void unknownNameListsKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Curves.value("x4", 1));
        assertTrue(e.getMessage().contains("'x4'"), e.getMessage());
        assertTrue(e.getMessage().contains("x3, x11, tanh3, sin, x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Curves.generate("cos", 10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Curves.fromGrid(null, new float[1]));
    }

    @Test
    void rejectsBadGrids() {
        assertThrows(IllegalArgumentException.class, () -> Curves.generate("x3", 0, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Curves.generate("x3", 10, 1, 0));
        assertTrue(e.getMessage().contains("lo < hi"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Curves.generate("x3", 10, 0, Double.POSITIVE_INFINITY));
    }
}
