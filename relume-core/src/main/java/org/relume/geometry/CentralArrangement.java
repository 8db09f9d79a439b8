package org.relume.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cells (open regions) of a central hyperplane arrangement {x : &lt;a_i, x&gt; = 0} in R^d for
 * d = 1, 2, 3, each given by its activation pattern (which &lt;a_i, x&gt; are &gt; 0 inside it). These
 * are the activation regions of a shallow bias-free ReLU net (Berner, Elbrächter, Grohs, eqs.
 * 19 and 21): on each cell the net is linear with Jacobian sum_{i active} c_i a_i^T, so a maximum
 * over the cells is the exact ess sup of eq. (21).
 *
 * <p>Method, by dimension (no linear programming):
 * <ul>
 *   <li>d = 1: the two half-lines x &gt; 0 and x &lt; 0 (one cell if every a_i is 0).</li>
 *   <li>d = 2: every line through 0 meets the unit circle in two boundary points. Sorting their
 *       angles splits the circle into arcs; each arc is one cell (a cone is determined by its arc),
 *       and the arc's midpoint direction w, which lies strictly inside, gives the pattern
 *       sign(&lt;a_i, w&gt;).</li>
 *   <li>d = 3: if the normals span R^3, every cell is a pointed polyhedral cone, so it has an
 *       extreme ray v, the intersection of two of its planes: v = +-(a_i x a_j). Near v, the cells
 *       whose closure contains v are exactly the sectors that the planes through v cut from the
 *       plane orthogonal to v (a 2-D arrangement, solved as above), and the planes not through v
 *       keep the sign they have at v. Enumerating +-(a_i x a_j) over all non-parallel pairs and the
 *       sectors around each therefore finds every cell, and each pattern it produces is a real
 *       cell (it is the pattern of v + eps w for small eps &gt; 0, w inside the sector). If the normals
 *       span a plane, all planes share the line +-v and the same construction yields the lunes;
 *       if they span a line, the cells are the two half-spaces. Patterns are deduplicated.</li>
 * </ul>
 * Floating point: two normals whose angle has sine below {@link #TOLERANCE} are treated as
 * parallel, a plane with |&lt;a_k, v&gt;| &lt;= TOLERANCE ||a_k|| passes through the unit vector v, and
 * boundary angles closer than TOLERANCE merge. Cells thinner than about 1e-12 radians are
 * therefore not reported; everything wider is exact.
 */
public final class CentralArrangement {
    private CentralArrangement() {}

    /** Relative tolerance for parallelism and incidence (see the class comment). */
    public static final double TOLERANCE = 1e-12;

    /** The largest dimension handled exactly. */
    public static final int MAX_DIMENSION = 3;

    /**
     * One activation pattern per cell: {@code active[i]} is true where &lt;a_i, x&gt; &gt; 0 inside the
     * cell. Zero normals are never active.
     *
     * @param normals the a_i, all of length {@code d}
     * @param d       1, 2 or 3
     */
    public static List<boolean[]> cells(double[][] normals, int d) {
        for (double[] n : normals) {
            if (n.length != d) {
                throw new IllegalArgumentException("every normal must have length " + d + ", got " + n.length);
            }
        }
        Set<BitSet> patterns = new LinkedHashSet<>();
        switch (d) {
            case 1 -> cells1(normals, patterns);
            case 2 -> cells2(normals, patterns);
            case 3 -> cells3(normals, patterns);
            default -> throw new IllegalArgumentException("exact cells are enumerated for d = 1, 2, 3; got d = " + d
                    + " (estimate by sampling instead)");
        }
        List<boolean[]> out = new ArrayList<>(patterns.size());
        for (BitSet p : patterns) {
            boolean[] active = new boolean[normals.length];
            for (int i = p.nextSetBit(0); i >= 0; i = p.nextSetBit(i + 1)) {
                active[i] = true;
            }
            out.add(active);
        }
        return out;
    }

    private static void cells1(double[][] normals, Set<BitSet> patterns) {
        boolean any = false;
        for (double[] n : normals) {
            any |= n[0] != 0;
        }
        patterns.add(pattern(normals, new double[] {1}));
        if (any) {
            patterns.add(pattern(normals, new double[] {-1}));
        }
    }

    private static void cells2(double[][] normals, Set<BitSet> patterns) {
        for (double[] w : sectorDirections(normals)) {
            patterns.add(pattern(normals, w));
        }
    }

    private static void cells3(double[][] normals, Set<BitSet> patterns) {
        List<Integer> nonzero = new ArrayList<>();
        for (int i = 0; i < normals.length; i++) {
            if (ShallowNet.norm2(normals[i]) > 0) {
                nonzero.add(i);
            }
        }
        if (nonzero.isEmpty()) {
            patterns.add(new BitSet());
            return;
        }
        boolean foundVertex = false;
        for (int p = 0; p < nonzero.size(); p++) {
            double[] ni = normals[nonzero.get(p)];
            double normI = ShallowNet.norm2(ni);
            for (int q = p + 1; q < nonzero.size(); q++) {
                double[] nj = normals[nonzero.get(q)];
                double[] v = cross(ni, nj);
                double len = ShallowNet.norm2(v);
                if (len <= TOLERANCE * normI * ShallowNet.norm2(nj)) {
                    continue; // parallel planes meet in a plane, not a line
                }
                foundVertex = true;
                for (int s = 0; s < 3; s++) {
                    v[s] /= len;
                }
                aroundVertex(normals, v, patterns);
                aroundVertex(normals, new double[] {-v[0], -v[1], -v[2]}, patterns);
            }
        }
        if (!foundVertex) {
            // All normals are parallel: the two half-spaces of their common plane.
            double[] u = normals[nonzero.get(0)];
            patterns.add(pattern(normals, u));
            patterns.add(pattern(normals, new double[] {-u[0], -u[1], -u[2]}));
        }
    }

    /** The cells whose closure contains the unit vector v: sectors of the planes through v. */
    private static void aroundVertex(double[][] normals, double[] v, Set<BitSet> patterns) {
        double[][] basis = orthonormalComplement(v);
        double[] e1 = basis[0];
        double[] e2 = basis[1];
        BitSet fixed = new BitSet();
        List<Integer> through = new ArrayList<>();
        for (int k = 0; k < normals.length; k++) {
            double norm = ShallowNet.norm2(normals[k]);
            if (norm == 0) {
                continue;
            }
            double s = ShallowNet.dot(normals[k], v);
            if (Math.abs(s) <= TOLERANCE * norm) {
                through.add(k);
            } else if (s > 0) {
                fixed.set(k);
            }
        }
        double[][] projected = new double[through.size()][];
        for (int t = 0; t < projected.length; t++) {
            double[] n = normals[through.get(t)];
            projected[t] = new double[] {ShallowNet.dot(n, e1), ShallowNet.dot(n, e2)};
        }
        for (double[] w : sectorDirections(projected)) {
            BitSet p = (BitSet) fixed.clone();
            for (int t = 0; t < projected.length; t++) {
                if (projected[t][0] * w[0] + projected[t][1] * w[1] > 0) {
                    p.set(through.get(t));
                }
            }
            patterns.add(p);
        }
    }

    /**
     * Unit directions, one strictly inside each cell of the central line arrangement in R^2 with
     * the given normals (the midpoints of the arcs between sorted boundary angles).
     */
    static List<double[]> sectorDirections(double[][] normals2d) {
        double[] angles = new double[2 * normals2d.length];
        int n = 0;
        for (double[] a : normals2d) {
            if (a[0] == 0 && a[1] == 0) {
                continue;
            }
            double phi = Math.atan2(a[1], a[0]) + Math.PI / 2;
            angles[n++] = wrap(phi);
            angles[n++] = wrap(phi + Math.PI);
        }
        List<double[]> dirs = new ArrayList<>();
        if (n == 0) {
            dirs.add(new double[] {1, 0});
            return dirs;
        }
        Arrays.sort(angles, 0, n);
        double[] distinct = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k == 0 || angles[i] - distinct[k - 1] > TOLERANCE) {
                distinct[k++] = angles[i];
            }
        }
        if (k > 1 && distinct[0] + 2 * Math.PI - distinct[k - 1] <= TOLERANCE) {
            k--; // the last boundary is the first one again, across 2 pi
        }
        for (int i = 0; i < k; i++) {
            double from = distinct[i];
            double to = i + 1 < k ? distinct[i + 1] : distinct[0] + 2 * Math.PI;
            double mid = 0.5 * (from + to);
            dirs.add(new double[] {Math.cos(mid), Math.sin(mid)});
        }
        return dirs;
    }

    private static double wrap(double phi) {
        double t = phi % (2 * Math.PI);
        return t < 0 ? t + 2 * Math.PI : t;
    }

    private static BitSet pattern(double[][] normals, double[] x) {
        BitSet p = new BitSet();
        for (int i = 0; i < normals.length; i++) {
            if (ShallowNet.dot(normals[i], x) > 0) {
                p.set(i);
            }
        }
        return p;
    }

    static double[] cross(double[] u, double[] v) {
        return new double[] {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
    }

    /** Two unit vectors that with the unit vector v form an orthonormal basis. */
    private static double[][] orthonormalComplement(double[] v) {
        // Cross v with the coordinate axis it is least aligned with, for a well-conditioned e1.
        int axis = 0;
        for (int s = 1; s < 3; s++) {
            if (Math.abs(v[s]) < Math.abs(v[axis])) {
                axis = s;
            }
        }
        double[] unit = new double[3];
        unit[axis] = 1;
        double[] e1 = cross(v, unit);
        double len = ShallowNet.norm2(e1);
        for (int s = 0; s < 3; s++) {
            e1[s] /= len;
        }
        double[] e2 = cross(v, e1);
        return new double[][] {e1, e2};
    }
}
