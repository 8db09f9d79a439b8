package org.relume.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChartBuilder;

/** The tick chooser on ranges the figures meet, on random ranges, and as XChart draws it. */
class NiceTicksTest {
    private static List<String> labels(NiceTicks t) {
        List<String> l = new ArrayList<>();
        for (double v : t.values()) {
            l.add(t.label(v));
        }
        return l;
    }

    @Test
    void epochsFromTwentyToTwoThousand() {
        // XChart's own ticks here were 20, 180, 340, ... (the evenly spaced epochs).
        NiceTicks t = NiceTicks.covering(20, 2000);
        assertEquals(List.of("0", "500", "1000", "1500", "2000"), labels(t));
    }

    @Test
    void aNarrowRangeGetsOnlyTheDigitsItsStepNeeds() {
        // Labels like 0.493345888746071 and .08 came from a pattern that ignored the step.
        assertEquals(List.of("0.80", "0.85", "0.90", "0.95", "1.00"), labels(NiceTicks.covering(0.835, 1.0)));
        assertEquals(List.of("0.4930", "0.4932", "0.4934", "0.4936", "0.4938"),
                labels(NiceTicks.covering(0.49301, 0.49378)));
    }

    @Test
    void withinAFixedBoxTheEndsAreNotMoved() {
        NiceTicks t = NiceTicks.within(-1.5, 2.5);
        assertArrayEquals(new double[] {-1, 0, 1, 2}, t.values(), 1e-12, "steps of 0.5 would give 9 ticks");
        assertEquals(List.of("-1", "0", "1", "2"), labels(t));
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(NiceTicks.within(0, 1)));
    }

    @Test
    void tinyAndHugeValuesAreScientificWithTheStepsDigits() {
        assertEquals(List.of("0.0e+00", "5.0e-08", "1.0e-07", "1.5e-07", "2.0e-07"), labels(NiceTicks.covering(1e-9, 1.9e-7)));
        assertEquals(List.of("2.0e+06", "2.1e+06", "2.2e+06", "2.3e+06", "2.4e+06", "2.5e+06", "2.6e+06"),
                labels(NiceTicks.covering(2.01e6, 2.55e6)), "7 ticks are nearer 6 than the 4 of steps of 2e5");
    }

    @Test
    void oneValueOrReversedEndsStillGiveTicks() {
        NiceTicks one = NiceTicks.covering(3, 3);
        assertTrue(one.lo() < 3 && one.hi() > 3 && one.count() >= NiceTicks.MIN_TICKS, one.toString());
        assertEquals(labels(NiceTicks.covering(0, 7)), labels(NiceTicks.covering(7, 0)));
        assertEquals(List.of("-0.4", "-0.2", "0.0", "0.2", "0.4"), labels(NiceTicks.covering(-0.4, 0.4)), "no -0.0");
        assertThrows(IllegalArgumentException.class, () -> NiceTicks.covering(0, Double.NaN));
    }

    /** On random ranges: 4-8 ticks, a 1-2-5 step, ticks on multiples of it, covering or inside as asked. */
    @Test
    void randomRanges() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            double lo = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 7));
            double hi = lo + r.nextDouble() * Math.pow(10, r.nextInt(-6, 7));
            if (hi == lo) {
                continue;
            }
            for (boolean cover : new boolean[] {true, false}) {
                NiceTicks t = cover ? NiceTicks.covering(lo, hi) : NiceTicks.within(lo, hi);
                String at = (cover ? "covering" : "within") + " [" + lo + ", " + hi + "]: " + t;
                if (cover) {
                    assertTrue(t.count() >= NiceTicks.MIN_TICKS && t.count() <= NiceTicks.MAX_TICKS, at);
                } else if (t.count() < NiceTicks.MIN_TICKS || t.count() > NiceTicks.MAX_TICKS) {
                    // Fixed ends: 4-8 ticks are not always possible; then no 1-2-5 step gives them.
                    for (int k = -8; k <= 8; k++) {
                        for (int mant : new int[] {1, 2, 5}) {
                            double s = mant * Math.pow(10, Math.floor(Math.log10(t.step())) + k);
                            long n = (long) Math.floor(hi / s + 1e-9) - (long) Math.ceil(lo / s - 1e-9) + 1;
                            assertTrue(n < NiceTicks.MIN_TICKS || n > NiceTicks.MAX_TICKS, "step " + s + " gives " + n + ": " + at);
                        }
                    }
                    assertTrue(t.count() == NiceTicks.MIN_TICKS - 1 || t.count() == NiceTicks.MAX_TICKS + 1, at);
                }
                double m = t.step() / Math.pow(10, Math.floor(Math.log10(t.step()) + 1e-9));
                assertTrue(Math.abs(m - 1) < 1e-9 || Math.abs(m - 2) < 1e-9 || Math.abs(m - 5) < 1e-9, at);
                double slack = 1e-9 * t.step();
                if (cover) {
                    assertTrue(t.lo() <= lo + slack && t.hi() >= hi - slack, at);
                } else {
                    assertTrue(t.lo() >= lo - slack && t.hi() <= hi + slack, at);
                }
                List<String> l = labels(t);
                assertEquals(l.size(), l.stream().distinct().count(), "labels must differ: " + l + " " + at);
            }
        }
    }

    /** XChart, steered by TickedChart, draws exactly the chooser's labels on the epoch axis. */
    @Test
    void xchartDrawsTheChosenTicks() {
        double[] epochs = new double[100];
        double[] loss = new double[100];
        for (int i = 0; i < 100; i++) {
            epochs[i] = 20 * (i + 1);
            loss[i] = 0.5 + 0.3 * Math.exp(-i / 10.0);
        }
        TickedChart c = new TickedChart(new XYChartBuilder().width(600).height(440).title("t").xAxisTitle("epoch")
                .yAxisTitle("loss"));
        c.addSeries("loss", epochs, loss);
        c.niceTicks(null, null);
        BufferedImage img = new BufferedImage(600, 440, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        c.paint(g, 600, 440);
        g.dispose();
        assertEquals(labels(NiceTicks.covering(20, 2000)), c.xTicksDrawn());
    }
}
