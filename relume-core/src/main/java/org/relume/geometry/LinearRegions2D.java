package org.relume.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.relume.nn.Dense;
import org.relume.nn.Layer;
import org.relume.nn.Network;

/**
 * The exact linear regions of a network with two inputs on a box, found by cutting polygons layer
 * by layer as {@link LinearRegions1D} cuts intervals (the "linear regions" of a ReLU network: on
 * each, the network is affine; Berner, Elbrächter, Grohs use them for eq. 21).
 *
 * <p>Start with the box as one cell on which the inputs are affine (the identity). For each layer
 * and each cell, every unit's preactivation is affine on the cell, p . x + q; cut the cell along
 * each unit's zero line where it crosses the cell's interior (a convex polygon cut by a line gives
 * two convex polygons), record on which side each unit is, and apply the activation, which is
 * affine on every resulting cell. Two counts come out:
 * <ul>
 *   <li><b>activation regions</b>: the cells. Each has one activation pattern (which units of all
 *       layers have g &gt; 0), and each pattern occurs in one cell, because the set of inputs with a
 *       given pattern is cut out by linear inequalities and is therefore convex;</li>
 *   <li><b>function pieces</b>: maximal connected unions of cells on which every output has the
 *       same affine map, i.e. adjacent cells (sharing an edge of positive length) with equal
 *       output slopes merged, so a unit whose switch does not change the output adds no piece.</li>
 * </ul>
 * Arithmetic is double precision on the float weights. A line is taken to cross a cell only if
 * the preactivation exceeds 1e-12 of its scale on both sides, so slivers narrower than that are
 * not created; wider slivers from float rounding are real for the float network and are counted.
 * Works for piecewise-linear activations: relu, leaky relu and identity.
 */
public final class LinearRegions2D {
    private LinearRegions2D() {}

    /** More cells than this means the question was not meant for an exact answer. */
    public static final int MAX_CELLS = 2_000_000;

    /** Relative tolerance for a line crossing a cell (see the class comment). */
    public static final double CUT_TOLERANCE = 1e-12;

    /** Relative tolerance for equal output slopes when merging cells into function pieces. */
    public static final double SLOPE_TOLERANCE = 1e-10;

    /**
     * One activation region: a convex polygon (counter-clockwise vertices), its activation pattern
     * (bit u for the u-th unit counted over all layers, set where g &gt; 0), and the outputs' affine
     * map there: output_o(x) = slope[o][0] x0 + slope[o][1] x1 + intercept[o].
     */
    public record Region(double[] xs, double[] ys, BitSet pattern, double[][] slope, double[] intercept) {
        public double area() {
            return Math.abs(signedArea(xs, ys));
        }

        public double[] centroid() {
            double cx = 0;
            double cy = 0;
            for (int i = 0; i < xs.length; i++) {
                cx += xs[i];
                cy += ys[i];
            }
            return new double[] {cx / xs.length, cy / xs.length};
        }
    }

    /**
     * The regions of a network on a box.
     *
     * @param regions    the activation regions
     * @param pieceOf    for each region, the index of its function piece (0-based)
     * @param functionPieces the number of function pieces
     * @param box        {x0, x1, y0, y1}
     */
    public record Result(List<Region> regions, int[] pieceOf, int functionPieces, double[] box) {
        public int activationRegions() {
            return regions.size();
        }
    }

    /** The regions of {@code network} on [x0, x1] x [y0, y1]. */
    public static Result analyze(Network network, double x0, double x1, double y0, double y1) {
        network.requireChain("exact linear regions");
        if (network.inputSize() != 2) {
            throw new IllegalArgumentException("exact 2-D regions need a network with two inputs, this one has "
                    + network.inputSize());
        }
        if (!(x0 < x1) || !(y0 < y1) || !Double.isFinite(x0 + x1 + y0 + y1)) {
            throw new IllegalArgumentException("need a finite box x0 < x1, y0 < y1, got [" + x0 + ", " + x1 + "] x ["
                    + y0 + ", " + y1 + "]");
        }
        double extent = Math.max(Math.max(Math.abs(x0), Math.abs(x1)), Math.max(Math.abs(y0), Math.abs(y1)));
        List<Cell> cells = new ArrayList<>();
        cells.add(new Cell(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1}, new BitSet(),
                new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}));
        int offset = 0;
        for (int l = 0; l < network.layerCount(); l++) {
            Layer layer = network.layer(l);
            if (!(layer instanceof Dense dense)) {
                throw new IllegalArgumentException("exact 2-D regions support dense layers only, layer " + l + " is "
                        + layer.type());
            }
            double slopeNeg = LinearRegions1D.negativeSlope(layer.activation(), l);
            boolean linear = layer.activation().isIdentity();
            float[] w = dense.weight().value().data();
            float[] b = dense.hasBias() ? dense.bias().value().data() : null;
            int out = layer.outputSize();
            int in = layer.inputSize();
            List<Cell> next = new ArrayList<>();
            for (Cell cell : cells) {
                double[][] gp = new double[out][2];
                double[] gq = new double[out];
                for (int j = 0; j < out; j++) {
                    double s0 = 0;
                    double s1 = 0;
                    double sq = b == null ? 0 : b[j];
                    for (int i = 0; i < in; i++) {
                        double wji = w[j * in + i];
                        s0 += wji * cell.p[i][0];
                        s1 += wji * cell.p[i][1];
                        sq += wji * cell.q[i];
                    }
                    gp[j][0] = s0;
                    gp[j][1] = s1;
                    gq[j] = sq;
                }
                if (linear) {
                    next.add(new Cell(cell.xs, cell.ys, cell.pattern, gp, gq));
                    continue;
                }
                List<Cell> pieces = new ArrayList<>();
                pieces.add(new Cell(cell.xs, cell.ys, (BitSet) cell.pattern.clone(), null, null));
                for (int j = 0; j < out; j++) {
                    double tol = CUT_TOLERANCE * (Math.abs(gp[j][0]) * extent + Math.abs(gp[j][1]) * extent + Math.abs(gq[j]));
                    List<Cell> cut = new ArrayList<>(pieces.size() + 2);
                    for (Cell piece : pieces) {
                        split(piece, gp[j], gq[j], tol, offset + j, cut);
                    }
                    pieces = cut;
                }
                for (Cell piece : pieces) {
                    double[][] hp = new double[out][2];
                    double[] hq = new double[out];
                    for (int j = 0; j < out; j++) {
                        double factor = piece.pattern.get(offset + j) ? 1 : slopeNeg;
                        hp[j][0] = factor * gp[j][0];
                        hp[j][1] = factor * gp[j][1];
                        hq[j] = factor * gq[j];
                    }
                    next.add(new Cell(piece.xs, piece.ys, piece.pattern, hp, hq));
                }
                if (next.size() > MAX_CELLS) {
                    throw new IllegalArgumentException("more than " + MAX_CELLS + " regions after layer " + l);
                }
            }
            cells = next;
            offset += out;
        }
        List<Region> regions = new ArrayList<>(cells.size());
        for (Cell c : cells) {
            regions.add(new Region(c.xs, c.ys, c.pattern, c.p, c.q));
        }
        int[] pieceOf = new int[regions.size()];
        int pieces = mergePieces(regions, new double[] {x0, x1, y0, y1}, pieceOf);
        return new Result(List.copyOf(regions), pieceOf, pieces, new double[] {x0, x1, y0, y1});
    }

    /** The number of activation regions of {@code network} on the box. */
    public static int count(Network network, double x0, double x1, double y0, double y1) {
        return analyze(network, x0, x1, y0, y1).activationRegions();
    }

    /**
     * The activation pattern at a point, in double precision, with the same unit numbering as
     * {@link Region#pattern()} (for checks by sampling).
     */
    public static BitSet pattern(Network network, double[] x) {
        network.requireChain("activation patterns");
        BitSet p = new BitSet();
        double[] h = x.clone();
        int offset = 0;
        for (int l = 0; l < network.layerCount(); l++) {
            if (!(network.layer(l) instanceof Dense dense)) {
                throw new IllegalArgumentException("activation patterns support dense layers only, layer " + l + " is "
                        + network.layer(l).type());
            }
            double slopeNeg = LinearRegions1D.negativeSlope(dense.activation(), l);
            boolean linear = dense.activation().isIdentity();
            float[] w = dense.weight().value().data();
            float[] b = dense.hasBias() ? dense.bias().value().data() : null;
            int out = dense.outputSize();
            int in = dense.inputSize();
            double[] g = new double[out];
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b[j];
                for (int i = 0; i < in; i++) {
                    s += w[j * in + i] * h[i];
                }
                if (!linear && s > 0) {
                    p.set(offset + j);
                }
                g[j] = linear || s > 0 ? s : slopeNeg * s;
            }
            h = g;
            offset += out;
        }
        return p;
    }

    /** A working cell: polygon, pattern so far, and the current layer's inputs as affine maps p . x + q. */
    private static final class Cell {
        final double[] xs;
        final double[] ys;
        final BitSet pattern;
        final double[][] p;
        final double[] q;

        Cell(double[] xs, double[] ys, BitSet pattern, double[][] p, double[] q) {
            this.xs = xs;
            this.ys = ys;
            this.pattern = pattern;
            this.p = p;
            this.q = q;
        }
    }

    /**
     * Cuts {@code piece} along g = p . x + q = 0 if the line crosses its interior (by more than
     * {@code tol} on both sides), marking bit {@code unit} on the side g &gt; 0; else marks the
     * side the whole piece is on (g &lt;= tol everywhere counts as off).
     */
    private static void split(Cell piece, double[] p, double q, double tol, int unit, List<Cell> out) {
        int n = piece.xs.length;
        double[] v = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            v[t] = p[0] * piece.xs[t] + p[1] * piece.ys[t] + q;
            max = Math.max(max, v[t]);
            min = Math.min(min, v[t]);
        }
        if (!(max > tol && min < -tol)) {
            if (max > tol) {
                piece.pattern.set(unit);
            }
            out.add(piece);
            return;
        }
        double[] px = new double[n + 2];
        double[] py = new double[n + 2];
        double[] nx = new double[n + 2];
        double[] ny = new double[n + 2];
        int np = 0;
        int nn = 0;
        for (int t = 0; t < n; t++) {
            int u = (t + 1) % n;
            int st = sign(v[t], tol);
            int su = sign(v[u], tol);
            if (st >= 0) {
                px[np] = piece.xs[t];
                py[np++] = piece.ys[t];
            }
            if (st <= 0) {
                nx[nn] = piece.xs[t];
                ny[nn++] = piece.ys[t];
            }
            if (st * su < 0) {
                double f = v[t] / (v[t] - v[u]);
                double ix = piece.xs[t] + f * (piece.xs[u] - piece.xs[t]);
                double iy = piece.ys[t] + f * (piece.ys[u] - piece.ys[t]);
                px[np] = ix;
                py[np++] = iy;
                nx[nn] = ix;
                ny[nn++] = iy;
            }
        }
        BitSet on = (BitSet) piece.pattern.clone();
        on.set(unit);
        out.add(new Cell(Arrays.copyOf(px, np), Arrays.copyOf(py, np), on, null, null));
        out.add(new Cell(Arrays.copyOf(nx, nn), Arrays.copyOf(ny, nn), piece.pattern, null, null));
    }

    private static int sign(double v, double tol) {
        return v > tol ? 1 : v < -tol ? -1 : 0;
    }

    static double signedArea(double[] xs, double[] ys) {
        double s = 0;
        for (int i = 0; i < xs.length; i++) {
            int j = (i + 1) % xs.length;
            s += xs[i] * ys[j] - xs[j] * ys[i];
        }
        return 0.5 * s;
    }

    /**
     * Union-find over pairs of regions with equal output slopes that share an edge of positive
     * length; returns the number of components and fills {@code pieceOf}. A uniform grid of buckets
     * over the box limits the pairs looked at to regions whose bounding boxes are near.
     */
    private static int mergePieces(List<Region> regions, double[] box, int[] pieceOf) {
        int n = regions.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int g = Math.max(1, (int) Math.sqrt(n));
        double w = (box[1] - box[0]) / g;
        double h = (box[3] - box[2]) / g;
        List<List<Integer>> buckets = new ArrayList<>(g * g);
        for (int i = 0; i < g * g; i++) {
            buckets.add(new ArrayList<>());
        }
        int[][] span = new int[n][];
        for (int r = 0; r < n; r++) {
            Region reg = regions.get(r);
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < reg.xs().length; t++) {
                minX = Math.min(minX, reg.xs()[t]);
                maxX = Math.max(maxX, reg.xs()[t]);
                minY = Math.min(minY, reg.ys()[t]);
                maxY = Math.max(maxY, reg.ys()[t]);
            }
            int cx0 = clamp((int) Math.floor((minX - box[0]) / w) - 1, g);
            int cx1 = clamp((int) Math.floor((maxX - box[0]) / w) + 1, g);
            int cy0 = clamp((int) Math.floor((minY - box[2]) / h) - 1, g);
            int cy1 = clamp((int) Math.floor((maxY - box[2]) / h) + 1, g);
            span[r] = new int[] {cx0, cx1, cy0, cy1};
            for (int cx = cx0; cx <= cx1; cx++) {
                for (int cy = cy0; cy <= cy1; cy++) {
                    buckets.get(cx * g + cy).add(r);
                }
            }
        }
        double scale = Math.max(box[1] - box[0], box[3] - box[2]);
        for (int r = 0; r < n; r++) {
            int[] s = span[r];
            for (int cx = s[0]; cx <= s[1]; cx++) {
                for (int cy = s[2]; cy <= s[3]; cy++) {
                    for (int other : buckets.get(cx * g + cy)) {
                        if (other <= r || find(parent, other) == find(parent, r)) {
                            continue;
                        }
                        Region a = regions.get(r);
                        Region b = regions.get(other);
                        if (sameSlopes(a.slope(), b.slope()) && shareEdge(a, b, scale)) {
                            parent[find(parent, other)] = find(parent, r);
                        }
                    }
                }
            }
        }
        int[] label = new int[n];
        Arrays.fill(label, -1);
        int pieces = 0;
        for (int r = 0; r < n; r++) {
            int root = find(parent, r);
            if (label[root] < 0) {
                label[root] = pieces++;
            }
            pieceOf[r] = label[root];
        }
        return pieces;
    }

    private static int clamp(int v, int g) {
        return Math.max(0, Math.min(g - 1, v));
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static boolean sameSlopes(double[][] a, double[][] b) {
        for (int o = 0; o < a.length; o++) {
            for (int k = 0; k < 2; k++) {
                double tol = SLOPE_TOLERANCE * Math.max(1, Math.max(Math.abs(a[o][k]), Math.abs(b[o][k])));
                if (Math.abs(a[o][k] - b[o][k]) > tol) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True if some edge of a and some edge of b lie on one line and overlap in a segment of positive length. */
    private static boolean shareEdge(Region a, Region b, double scale) {
        double eps = 1e-9 * scale;
        int na = a.xs().length;
        int nb = b.xs().length;
        for (int s = 0; s < na; s++) {
            double ax = a.xs()[s];
            double ay = a.ys()[s];
            double bx = a.xs()[(s + 1) % na];
            double by = a.ys()[(s + 1) % na];
            double len = Math.hypot(bx - ax, by - ay);
            if (len <= eps) {
                continue;
            }
            double ux = (bx - ax) / len;
            double uy = (by - ay) / len;
            for (int t = 0; t < nb; t++) {
                double cx = b.xs()[t];
                double cy = b.ys()[t];
                double dx = b.xs()[(t + 1) % nb];
                double dy = b.ys()[(t + 1) % nb];
                // Both endpoints of b's edge on a's line ...
                if (Math.abs((cx - ax) * uy - (cy - ay) * ux) > eps || Math.abs((dx - ax) * uy - (dy - ay) * ux) > eps) {
                    continue;
                }
                // ... and their projections overlap [0, len] by more than eps.
                double pc = (cx - ax) * ux + (cy - ay) * uy;
                double pd = (dx - ax) * ux + (dy - ay) * uy;
                double lo = Math.max(0, Math.min(pc, pd));
                double hi = Math.min(len, Math.max(pc, pd));
                if (hi - lo > eps) {
                    return true;
                }
            }
        }
        return false;
    }
}
