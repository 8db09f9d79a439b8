package org.relume.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.geometry.LinearRegions1D;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** The width-4 encoding against the closed form, its 2^d pieces, Yarotsky's x^2 and eq. 5's shrinking jumps. */
class CompositionalEncodingTest {

    private static double[] randomPeaks(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.2 + 0.6 * r.nextDouble();
        }
        return a;
    }

    @Test
    void encodedNetworkEqualsTheClosedFormAndHasTwoToTheDPieces() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 10_000;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) i / (n - 1);
        }
        Tensor x = Tensor.of(xs, n, 1);
        for (Sign sign : Sign.values()) {
            for (int d = 1; d <= 8; d++) {
                for (int trial = 0; trial < 3; trial++) {
                    double[] a = randomPeaks(r, d + 1);
                    double[] s = TriangleWaves.enforcedScales(a, sign);
                    Network net = CompositionalEncoding.build(a, s, sign);
                    assertEquals(d, net.hiddenLayerCount());
                    Tensor y = net.predict(x);
                    double maxErr = 0;
                    for (int i = 0; i < n; i++) {
                        maxErr = Math.max(maxErr, Math.abs(y.data()[i] - TriangleWaves.output(a, s, sign, xs[i])));
                    }
                    assertTrue(maxErr < 1e-5, sign + " depth " + d + ": max error " + maxErr);
                    // Counted at 40% of the narrowest true piece, which absorbs the float slivers
                    // (units touching zero cross it over ~1e-8..3e-7) and nothing real.
                    double resolution = 0.4 * CompositionalEncoding.narrowestPiece(a, d);
                    assertEquals(1 << d, LinearRegions1D.count(net, 0, 1, resolution),
                            sign + " depth " + d + " pieces on [0, 1]");
                }
            }
        }
    }

    @Test
    void halfPeaksApproximateXSquaredWithYarotskysError() {
        for (int d = 1; d <= 8; d++) {
            double[] a = new double[d + 1];
            java.util.Arrays.fill(a, 0.5);
            double[] s = TriangleWaves.enforcedScales(a, 0.25);
            assertEquals(Math.pow(4, -(d)), s[d - 1], 1e-15, "s_i = 4^-(i+1)");
            Network net = CompositionalEncoding.build(a, s, Sign.SUBTRACTED);
            // Exact: on each linear piece the error p x + q - x^2 peaks at an end or at x = p / 2.
            double maxErr = 0;
            for (LinearRegions1D.Piece piece : LinearRegions1D.pieces(net, 0, 1)) {
                double p = piece.slope()[0];
                double q = piece.intercept()[0];
                for (double t : new double[] {piece.from(), piece.to(), Math.min(piece.to(), Math.max(piece.from(), p / 2))}) {
                    maxErr = Math.max(maxErr, Math.abs(p * t + q - t * t));
                }
            }
            double bound = Math.pow(4, -(d + 1));
            assertEquals(bound, maxErr, 1e-6 * bound + 1e-9, "depth " + d);
        }
    }

    @Test
    void derivativeJumpAtTheFirstBendShrinksGeometricallyWithDepth() {
        SplittableRandom r = new SplittableRandom(5);
        for (Sign sign : Sign.values()) {
            for (int trial = 0; trial < 5; trial++) {
                double[] a = randomPeaks(r, 10);
                double previous = Double.NaN;
                double first = Double.NaN;
                for (int d = 1; d <= 8; d++) {
                    double[] peaks = java.util.Arrays.copyOf(a, d + 1);
                    Network net = CompositionalEncoding.build(peaks, TriangleWaves.enforcedScales(peaks, sign), sign);
                    double jump = jumpAt(LinearRegions1D.pieces(net, 0, 1, 0.4 * CompositionalEncoding.narrowestPiece(peaks, d)), a[0]);
                    if (d == 1) {
                        first = jump;
                    } else {
                        // Each extra layer multiplies the jump at a_0 by (1 - a_d) <= 0.8 for peaks in [0.2, 0.8].
                        assertTrue(jump <= 0.8 * previous * (1 + 1e-4), sign + " trial " + trial + " depth " + d
                                + ": jump " + jump + " after " + previous);
                    }
                    previous = jump;
                }
                assertTrue(previous <= first * Math.pow(0.8, 7) * (1 + 1e-3), "geometric over depths 1..8");
            }
        }
    }

    /** |slope right - slope left| at the bend nearest to x. */
    private static double jumpAt(List<LinearRegions1D.Piece> pieces, double x) {
        int best = 1;
        for (int i = 1; i < pieces.size(); i++) {
            if (Math.abs(pieces.get(i).from() - x) < Math.abs(pieces.get(best).from() - x)) {
                best = i;
            }
        }
        assertTrue(Math.abs(pieces.get(best).from() - x) < 1e-5, "a bend at " + x);
        return Math.abs(pieces.get(best).slope()[0] - pieces.get(best - 1).slope()[0]);
    }

    @Test
    void closedFormBasics() {
        assertEquals(0.5, TriangleWaves.triangle(0.25, 0.125), 1e-15);
        assertEquals(1.0, TriangleWaves.triangle(0.25, 0.25), 1e-15);
        assertEquals(0.5, TriangleWaves.triangle(0.25, 0.625), 1e-15);
        double[] a = {0.3, 0.6, 0.5};
        assertEquals(0.4 * 0.6, TriangleWaves.firstScale(a, Sign.SUBTRACTED) == 0.3 * 0.6 ? 0.24 : -1, 1e-15);
        assertEquals(0.7 * 0.6, TriangleWaves.firstScale(a, Sign.ADDED), 1e-15);
        double[] s = TriangleWaves.enforcedScales(a, 0.1);
        assertEquals(0.1 * (1 - 0.6) * 0.5, s[1], 1e-15);
        assertEquals(1.0, TriangleWaves.output(a, s, Sign.SUBTRACTED, 1.0), 1e-15, "every wave vanishes at 1");
    }
}
