package org.relume.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Curves;
import org.relume.data.Dataset;

class ConvexityTest {
    private static Sign chosen(Dataset d) {
        return Convexity.waves(CurveFrame.of(d).toUnit(d));
    }

    @Test
    void theDataGiveThePapersSignForItsTargets() {
        assertEquals(Sign.SUBTRACTED, chosen(Curves.generate("x3")));
        assertEquals(Sign.SUBTRACTED, chosen(Curves.generate("x11")));
        assertEquals(Sign.ADDED, chosen(Curves.generate("tanh3")));
        assertEquals(Sign.ADDED, chosen(Curves.generate("sin")));
    }

    @Test
    void otherCurvesFollowTheirSideOfTheChord() {
        Dataset issue = Curves.sample("fn", x -> (Math.exp(x) - 1) / (Math.E - 1), 500, 0, 1);
        assertEquals(Sign.SUBTRACTED, chosen(issue), "convex");
        assertTrue(Convexity.meanGap(CurveFrame.of(issue).toUnit(issue)) < -0.01);
        assertEquals(Sign.ADDED, chosen(Curves.sample("fn", Math::log, 200, 1, 10)), "concave");
        // A decreasing convex curve: the frame's negative rise flips it above its chord in the unit frame.
        assertEquals(Sign.ADDED, chosen(Curves.sample("fn", x -> Math.exp(-x), 200, 0, 3)));
        assertEquals(Sign.ADDED, chosen(Curves.sample("fn", x -> -Math.exp(-x), 200, 0, 3)), "concave and increasing");
        assertEquals(Sign.SUBTRACTED, chosen(Curves.sample("fn", x -> Math.log(11 - x), 200, 1, 10)), "concave and "
                + "decreasing: flipped below its chord");
    }
}
