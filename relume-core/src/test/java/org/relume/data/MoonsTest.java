package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoonsTest {
    /** The raw noiseless moons span x in [-1, 2] and y in [-0.5, 1], so the global scale is 3. */
    private static final double RAW_RANGE = 3.0;

    @Test
    void paperSizeHasFiftyPointsPerMoon() {
        Dataset d = Moons.generate(100, 0, 1);
        assertEquals(100, d.size());
        assertEquals(2, d.inputs());
        assertEquals(Task.BINARY, d.task());
        assertEquals("moons", d.name());
        assertEquals(50, Arrays.stream(d.labels()).filter(l -> l == 0).count());
        assertEquals(50, Arrays.stream(d.labels()).filter(l -> l == 1).count());
    }

    @Test
    void oddCountGivesTheExtraPointToTheInnerMoon() {
        Dataset d = Moons.generate(7, 0, 1);
        assertEquals(3, Arrays.stream(d.labels()).filter(l -> l == 0).count());
        assertEquals(4, Arrays.stream(d.labels()).filter(l -> l == 1).count());
    }

    @Test
    void globalRangeIsOne() {
        for (double noise : new double[] {0, 0.2}) {
            float[] x = Moons.generate(100, noise, 5).features().toArray();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : x) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(1.0, max - min, 1e-6, "noise " + noise);
        }
    }

    @Test
    void unscaledPointsLieOnTheTwoHalfCirclesAtLinspaceAngles() {
        Dataset d = Moons.generate(100, 0, 3);
        List<Double> outerAngles = new ArrayList<>();
        List<Double> innerAngles = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            double x = d.features().get(i, 0) * RAW_RANGE;
            double y = d.features().get(i, 1) * RAW_RANGE;
            if (d.labels()[i] == 0) {
                assertEquals(1.0, x * x + y * y, 1e-5, "outer point " + i);
                assertTrue(y >= -1e-6, "outer moon is the upper half: y = " + y);
                outerAngles.add(Math.abs(Math.atan2(y, x))); // |.|: rounding can put t = pi at -pi
            } else {
                double cx = x - 1;
                double cy = y - 0.5;
                assertEquals(1.0, cx * cx + cy * cy, 1e-5, "inner point " + i);
                assertTrue(y <= 0.5 + 1e-6, "inner moon is the lower half around (1, 0.5): y = " + y);
                innerAngles.add(Math.abs(Math.atan2(-cy, -cx))); // t of (1 - cos t, 0.5 - sin t)
            }
        }
        outerAngles.sort(null);
        innerAngles.sort(null);
        for (int k = 0; k < 50; k++) {
            double t = Math.PI * k / 49;
            assertEquals(t, outerAngles.get(k), 1e-5, "outer angle " + k);
            assertEquals(t, innerAngles.get(k), 1e-5, "inner angle " + k);
        }
    }

    @Test
    void sameSeedSameDataDifferentSeedSamePointsInAnotherOrder() {
        Dataset a = Moons.generate(100, 0, 42);
        Dataset b = Moons.generate(100, 0, 42);
        Dataset c = Moons.generate(100, 0, 43);
        assertTrue(a.features().identical(b.features()));
        assertArrayEquals(a.labels(), b.labels());

        assertFalse(a.features().identical(c.features()), "another seed must give another order");
        assertEquals(sortedPoints(a), sortedPoints(c));
    }

    @Test
    void noiseMovesPointsButNotTheOrder() {
        Dataset clean = Moons.generate(100, 0, 9);
        Dataset noisy = Moons.generate(100, 0.1, 9);
        assertArrayEquals(clean.labels(), noisy.labels(), "noise and shuffle draw from separate streams");
        int offCircle = 0;
        for (int i = 0; i < noisy.size(); i++) {
            double x = noisy.features().get(i, 0) * RAW_RANGE;
            double y = noisy.features().get(i, 1) * RAW_RANGE;
            double r = noisy.labels()[i] == 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
            if (Math.abs(r - 1) > 1e-2) {
                offCircle++;
            }
        }
        assertTrue(offCircle > 50, "most noisy points leave the circles, only " + offCircle + " did");
        assertTrue(noisy.features().identical(Moons.generate(100, 0.1, 9).features()), "noise is seeded");
    }

    @Test
    void paperSplitIs85And15() {
        Dataset.Split s = Moons.generate(Moons.DEFAULT_SAMPLES, 0, 1).splitAt(85);
        assertEquals(85, s.train().size());
        assertEquals(15, s.validation().size());
        assertEquals(85, Math.round(Moons.DEFAULT_SAMPLES * (1 - Moons.DEFAULT_VALIDATION_FRACTION)));
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Moons.generate(1, 0, 1));
        assertTrue(e.getMessage().contains("n = 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Moons.generate(10, -0.1, 1));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Moons.generate(10, Double.NaN, 1));
    }

    private static List<String> sortedPoints(Dataset d) {
        List<String> points = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            points.add(d.features().get(i, 0) + "," + d.features().get(i, 1) + "," + d.labels()[i]);
        }
        points.sort(null);
        return points;
    }
}
