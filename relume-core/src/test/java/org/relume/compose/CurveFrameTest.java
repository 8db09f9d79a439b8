package org.relume.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Curves;
import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

class CurveFrameTest {
    private static Dataset curve(float[] x, float[] y) {
        return Dataset.regression("test", Tensor.of(x, x.length, 1), Tensor.of(y, y.length, 1));
    }

    @Test
    void thePapersTargetsNeedNoFrame() {
        assertTrue(CurveFrame.of(Curves.generate("x3")).isIdentity());
        assertTrue(CurveFrame.of(Curves.generate("sin")).isIdentity());
        Dataset x3 = Curves.generate("x3");
        assertSame(x3, CurveFrame.IDENTITY.toUnit(x3));
    }

    @Test
    void theUnitFrameMapsTheEndsToZeroAndOne() {
        Dataset d = Curves.sample("fn", x -> 2 * x * x + 5, 21, 1, 3);
        CurveFrame f = CurveFrame.of(d);
        assertEquals(1, f.xLo(), 0);
        assertEquals(3, f.xHi(), 0);
        assertEquals(7, f.yLo(), 1e-6);
        assertEquals(23, f.yHi(), 1e-6);
        assertEquals(256, f.mseScale(), 1e-3);
        Dataset u = f.toUnit(d);
        assertEquals(0, u.features().data()[0], 0);
        assertEquals(0, u.targets().data()[0], 1e-7);
        assertEquals(1, u.features().data()[20], 0);
        assertEquals(1, u.targets().data()[20], 1e-7);
        // 2x^2 + 5 on [1, 3] is u^2-like after the map: v(1/2) = (2 * 4 + 5 - 7) / 16 = 0.375.
        assertEquals(0.375, u.targets().data()[10], 1e-6);
    }

    @Test
    void aFoldedNetworkComputesTheSameCurveInTheDataUnits() {
        Dataset d = Curves.sample("fn", x -> Math.exp(-x), 41, -2, 2);
        CurveFrame f = CurveFrame.of(d);
        Network unit = CompositionalEncoding.build(new double[] {0.4, 0.6, 0.3, 0.5}, new double[] {0.2, 0.05, 0.01},
                Sign.ADDED);
        Tensor u = f.toUnit(d).features();
        float[] yUnit = unit.predict(u).data();
        Network data = f.toData(unit);
        float[] yData = data.predict(d.features()).data();
        for (int i = 0; i < d.size(); i++) {
            double expected = f.yLo() + (f.yHi() - f.yLo()) * yUnit[i];
            assertEquals(expected, yData[i], 1e-4 * Math.abs(expected) + 1e-5, "sample " + i);
        }
        assertTrue(unit.predict(u).identical(Tensor.of(yUnit, yUnit.length, 1)), "the unit network itself is left as it was");
    }

    @Test
    void dataWithoutAChordOrNotOneDimensionalAreRefusedInOneLine() {
        String flat = assertThrows(IllegalArgumentException.class,
                () -> CurveFrame.of(Curves.sample("fn:sin(pi*x)", x -> Math.sin(Math.PI * x), 101, 0, 1))).getMessage();
        assertTrue(flat.contains("(nearly) equal") && flat.contains("fn:sin(pi*x)") && !flat.contains("\n"), flat);
        String moons = assertThrows(IllegalArgumentException.class, () -> CurveFrame.of(Moons.generate(20, 0, 1))).getMessage();
        assertTrue(moons.contains("one input to one target") && moons.contains("classification"), moons);
        String single = assertThrows(IllegalArgumentException.class,
                () -> CurveFrame.of(curve(new float[] {2, 2}, new float[] {1, 3}))).getMessage();
        assertTrue(single.contains("two distinct x values"), single);
    }

    @Test
    void severalSamplesAtAnEndAreAveraged() {
        CurveFrame f = CurveFrame.of(curve(new float[] {0, 0, 0.5f, 1}, new float[] {1, 3, 2.5f, 6}));
        assertEquals(2, f.yLo(), 0);
        assertEquals(6, f.yHi(), 0);
    }
}
