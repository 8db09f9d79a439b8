package org.relume.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * The exact linear pieces of a network with one input on an interval, found by following
 * breakpoints layer by layer rather than by sampling (used for the compositional networks' "bends",
 * Milkert et al., Sections 3.1 and 4.3; REFERENCES.md §2).
 *
 * <p>On every interval of the current partition, each unit of the current layer is an affine
 * function p x + q of the input. A layer maps these to preactivations, splits each interval where
 * a preactivation crosses zero strictly inside it, and applies the activation, which is affine on
 * every sub-interval. At the end, adjacent intervals on which every output has the same slope are
 * merged: the pieces of the function itself, so a unit that merely touches zero, or a bend that
 * cancels out, adds none. Arithmetic is double precision on the float weights.
 *
 * <p>Works for piecewise-linear activations: relu, leaky relu and identity.
 *
 * <p>Float weights can turn a zero that is exact in real arithmetic (a unit that only touches zero,
 * as in the compositional construction at the valleys of its waves) into a crossing a few 1e-8
 * wide. Those microscopic pieces are real for the float network, so {@link #pieces(Network, double,
 * double)} keeps them; {@link #pieces(Network, double, double, double)} absorbs pieces narrower than
 * a stated resolution and merges what becomes collinear.
 */
public final class LinearRegions1D {
    private LinearRegions1D() {}

    /** More intervals than this means the question was not meant for an exact answer. */
    public static final int MAX_INTERVALS = 20_000_000;

    /** A maximal interval on which every output is affine: output_k(x) = slope[k] x + intercept[k]. */
    public record Piece(double from, double to, double[] slope, double[] intercept) {
        public double value(int output, double x) {
            return slope[output] * x + intercept[output];
        }
    }

    /** The pieces of {@code network} on [lo, hi], left to right. */
    public static List<Piece> pieces(Network network, double lo, double hi) {
        if (network.inputSize() != 1) {
            throw new IllegalArgumentException("exact 1-D regions need a network with one input, this one has "
                    + network.inputSize());
        }
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("need a finite interval lo < hi, got [" + lo + ", " + hi + "]");
        }
        List<double[]> bounds = new ArrayList<>();
        List<double[][]> affine = new ArrayList<>();
        bounds.add(new double[] {lo, hi});
        affine.add(new double[][] {{1}, {0}});
        for (int l = 0; l < network.layerCount(); l++) {
            Layer layer = network.layer(l);
            if (!(layer instanceof Dense dense)) {
                throw new IllegalArgumentException("exact 1-D regions support dense layers only, layer " + l
                        + " is " + layer.type());
            }
            double slopeNeg = negativeSlope(layer.activation(), l);
            float[] w = dense.weight().value().data();
            float[] b = dense.hasBias() ? dense.bias().value().data() : null;
            int out = layer.outputSize();
            int in = layer.inputSize();
            boolean linear = layer.activation().isIdentity();
            List<double[]> nextBounds = new ArrayList<>();
            List<double[][]> nextAffine = new ArrayList<>();
            for (int k = 0; k < bounds.size(); k++) {
                double x0 = bounds.get(k)[0];
                double x1 = bounds.get(k)[1];
                double[] p = affine.get(k)[0];
                double[] q = affine.get(k)[1];
                double[] gp = new double[out];
                double[] gq = new double[out];
                for (int j = 0; j < out; j++) {
                    double sp = 0;
                    double sq = b == null ? 0 : b[j];
                    for (int i = 0; i < in; i++) {
                        sp += (double) w[j * in + i] * p[i];
                        sq += (double) w[j * in + i] * q[i];
                    }
                    gp[j] = sp;
                    gq[j] = sq;
                }
                if (linear) {
                    nextBounds.add(new double[] {x0, x1});
                    nextAffine.add(new double[][] {gp, gq});
                    continue;
                }
                double[] cuts = new double[out + 2];
                int n = 0;
                cuts[n++] = x0;
                for (int j = 0; j < out; j++) {
                    if (gp[j] != 0) {
                        double r = -gq[j] / gp[j];
                        if (r > x0 && r < x1) {
                            cuts[n++] = r;
                        }
                    }
                }
                cuts[n++] = x1;
                Arrays.sort(cuts, 0, n);
                for (int c = 0; c + 1 < n; c++) {
                    double a = cuts[c];
                    double z = cuts[c + 1];
                    if (!(z > a)) {
                        continue;
                    }
                    double mid = 0.5 * (a + z);
                    double[] hp = new double[out];
                    double[] hq = new double[out];
                    for (int j = 0; j < out; j++) {
                        double factor = gp[j] * mid + gq[j] > 0 ? 1 : slopeNeg;
                        hp[j] = factor * gp[j];
                        hq[j] = factor * gq[j];
                    }
                    nextBounds.add(new double[] {a, z});
                    nextAffine.add(new double[][] {hp, hq});
                }
                if (nextBounds.size() > MAX_INTERVALS) {
                    throw new IllegalArgumentException("more than " + MAX_INTERVALS + " intervals after layer " + l);
                }
            }
            bounds = nextBounds;
            affine = nextAffine;
        }
        return merge(bounds, affine);
    }

    /** The slope below zero of a piecewise-linear activation (shared with {@link LinearRegions2D}). */
    static double negativeSlope(PointwiseFunction f, int layer) {
        if (f.isIdentity()) {
            return 1;
        }
        if (f.name().equals("relu")) {
            return 0;
        }
        if (f.name().equals("leaky_relu")) {
            return PointwiseFunctions.parameters(f).get("negative_slope");
        }
        throw new IllegalArgumentException("exact regions need piecewise-linear activations (relu, leaky_relu, identity); layer "
                + layer + " uses " + f.name());
    }

    private static List<Piece> merge(List<double[]> bounds, List<double[][]> affine) {
        List<Piece> pieces = new ArrayList<>();
        double from = bounds.get(0)[0];
        double[] slope = affine.get(0)[0];
        double[] intercept = affine.get(0)[1];
        for (int k = 1; k < bounds.size(); k++) {
            double[] s = affine.get(k)[0];
            if (!sameSlopes(slope, s)) {
                pieces.add(new Piece(from, bounds.get(k)[0], slope, intercept));
                from = bounds.get(k)[0];
                slope = s;
                intercept = affine.get(k)[1];
            }
        }
        pieces.add(new Piece(from, bounds.get(bounds.size() - 1)[1], slope, intercept));
        return pieces;
    }

    private static boolean sameSlopes(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            double tol = 1e-12 * Math.max(1, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    /**
     * The pieces at a resolution: pieces narrower than {@code resolution} are absorbed into their
     * neighbours, and neighbours left with equal slopes (relative 1e-9) merge.
     */
    public static List<Piece> pieces(Network network, double lo, double hi, double resolution) {
        network.requireChain("exact linear pieces");
        List<Piece> exact = pieces(network, lo, hi);
        if (!(resolution > 0)) {
            return exact;
        }
        List<Piece> wide = new ArrayList<>();
        for (Piece p : exact) {
            if (p.to() - p.from() >= resolution) {
                wide.add(p);
            }
        }
        if (wide.isEmpty()) {
            return exact;
        }
        List<Piece> merged = new ArrayList<>();
        Piece current = new Piece(lo, wide.get(0).to(), wide.get(0).slope(), wide.get(0).intercept());
        for (int i = 1; i < wide.size(); i++) {
            Piece next = wide.get(i);
            if (close(current.slope(), next.slope(), 1e-9)) {
                current = new Piece(current.from(), next.to(), current.slope(), current.intercept());
            } else {
                // The boundary sits where the absorbed sliver was; take the next piece's start.
                merged.add(new Piece(current.from(), next.from(), current.slope(), current.intercept()));
                current = next;
            }
        }
        merged.add(new Piece(current.from(), hi, current.slope(), current.intercept()));
        return merged;
    }

    private static boolean close(double[] a, double[] b, double relative) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > relative * Math.max(1, Math.max(Math.abs(a[i]), Math.abs(b[i])))) {
                return false;
            }
        }
        return true;
    }

    /** The number of linear pieces on [lo, hi]. */
    public static int count(Network network, double lo, double hi) {
        return pieces(network, lo, hi).size();
    }

    /** The number of linear pieces at least {@code resolution} wide (see {@link #pieces(Network, double, double, double)}). */
    public static int count(Network network, double lo, double hi, double resolution) {
        return pieces(network, lo, hi, resolution).size();
    }

    /** The interior points where some output's slope changes (pieces - 1 of them). */
    public static double[] bends(Network network, double lo, double hi) {
        List<Piece> p = pieces(network, lo, hi);
        double[] b = new double[p.size() - 1];
        for (int i = 1; i < p.size(); i++) {
            b[i - 1] = p.get(i).from();
        }
        return b;
    }

    /** True if every output is constant on [lo, hi] (e.g. a dead layer). */
    public static boolean isConstant(Network network, double lo, double hi) {
        for (Piece p : pieces(network, lo, hi)) {
            for (double s : p.slope()) {
                if (Math.abs(s) > 1e-12) {
                    return false;
                }
            }
        }
        return true;
    }
}
