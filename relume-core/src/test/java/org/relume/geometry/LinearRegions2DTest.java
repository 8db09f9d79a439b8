package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** Exact 2-D regions against hand counts, line-arrangement formulas and brute-force grids. */
class LinearRegions2DTest {
    @TempDir
    Path tmp;

    private static Dense dense(float[] w, float[] b, int out, int in, String act) {
        return new Dense(Tensor.of(w, out, in), b == null ? null : Tensor.of(b, out), Activations.byName(act));
    }

    /** relu(x), relu(-x), relu(y), relu(-y) with the given output weights. */
    private static Network quadrants(float... outWeights) {
        return new Network(List.of(dense(new float[] {1, 0, -1, 0, 0, 1, 0, -1}, null, 4, 2, "relu"),
                dense(outWeights, null, 1, 4, "identity")));
    }

    @Test
    void quadrantsAndFunctionPieces() {
        // |x| + |y|: four quadrants, four different gradients.
        LinearRegions2D.Result abs = LinearRegions2D.analyze(quadrants(1, 1, 1, 1), -1, 1, -1, 1);
        assertEquals(4, abs.activationRegions());
        assertEquals(4, abs.functionPieces());
        // relu(x) - relu(-x) = x: still four activation patterns, but one affine function.
        LinearRegions2D.Result x = LinearRegions2D.analyze(quadrants(1, -1, 0, 0), -1, 1, -1, 1);
        assertEquals(4, x.activationRegions());
        assertEquals(1, x.functionPieces());
        // |x|: two pieces, each made of two quadrants.
        LinearRegions2D.Result absX = LinearRegions2D.analyze(quadrants(1, 1, 0, 0), -1, 1, -1, 1);
        assertEquals(2, absX.functionPieces());
        // A box that the lines do not cross is one region.
        assertEquals(1, LinearRegions2D.count(quadrants(1, 1, 1, 1), 0.5, 1, 0.25, 2));
    }

    @Test
    void shallowNetsMatchTheLineArrangementFormula() {
        // n lines in general position inside a convex box make 1 + (lines crossing it) + (crossings inside) regions.
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(8);
            float[] w = new float[2 * n];
            float[] b = new float[n];
            for (int i = 0; i < 2 * n; i++) {
                w[i] = (float) (2 * r.nextDouble() - 1);
            }
            for (int i = 0; i < n; i++) {
                b[i] = (float) (r.nextDouble() - 0.5);
            }
            float[] c = new float[n];
            for (int i = 0; i < n; i++) {
                c[i] = (float) (1 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
            }
            Network net = new Network(List.of(dense(w, b, n, 2, "relu"), dense(c, null, 1, n, "identity")));
            int crossing = 0;
            int inside = 0;
            for (int i = 0; i < n; i++) {
                if (crossesBox(w[2 * i], w[2 * i + 1], b[i])) {
                    crossing++;
                }
                for (int j = i + 1; j < n; j++) {
                    double det = (double) w[2 * i] * w[2 * j + 1] - (double) w[2 * i + 1] * w[2 * j];
                    double px = (-(double) b[i] * w[2 * j + 1] + (double) b[j] * w[2 * i + 1]) / det;
                    double py = (-(double) w[2 * i] * b[j] + (double) w[2 * j] * b[i]) / det;
                    if (Math.abs(px) < 1 && Math.abs(py) < 1) {
                        inside++;
                    }
                }
            }
            LinearRegions2D.Result res = LinearRegions2D.analyze(net, -1, 1, -1, 1);
            assertEquals(1 + crossing + inside, res.activationRegions(), "trial " + trial);
            // Every neuron has a non-zero output weight, so every line is a real kink: no merging.
            assertEquals(res.activationRegions(), res.functionPieces(), "trial " + trial);
        }
    }

    private static boolean crossesBox(double w0, double w1, double b) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int sx = -1; sx <= 1; sx += 2) {
            for (int sy = -1; sy <= 1; sy += 2) {
                double v = w0 * sx + w1 * sy + b;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min < 0 && max > 0;
    }

    @Test
    void exactCountsMatchBruteForceGridsOnSmallRandomNets() {
        int[][] shapes = {{6}, {4, 4}, {3, 3, 3}, {5, 3}};
        for (int s = 0; s < shapes.length; s++) {
            for (long seed = 1; seed <= 3; seed++) {
                Network net = Mlp.builder().inputs(2).hidden(shapes[s]).outputs(1).activation(Activations.relu())
                        .init(Initializer.TORCH_DEFAULT).seed(seed).build();
                LinearRegions2D.Result exact = LinearRegions2D.analyze(net, -1, 1, -1, 1);
                Set<BitSet> exactPatterns = new HashSet<>();
                for (LinearRegions2D.Region reg : exact.regions()) {
                    assertTrue(exactPatterns.add(reg.pattern()), "each pattern occurs in one region");
                }
                Set<BitSet> coarse = gridPatterns(net, 41);
                Set<BitSet> fine = gridPatterns(net, 1201);
                String what = "shape " + s + ", seed " + seed;
                assertTrue(exactPatterns.containsAll(fine), what + ": the grid found a pattern the exact count lacks");
                assertTrue(coarse.size() <= fine.size() && fine.size() <= exact.activationRegions(), what);
                // Exactly the regions that contain a point of the coarse grid show up on it.
                assertEquals(patternsOfRegionsContainingGridPoints(exact, 41), coarse, what);
                assertEquals(exact.activationRegions(), fine.size(), what + ": a fine grid finds every region");
            }
        }
    }

    /** The patterns of the exact regions with a point of the n x n grid strictly inside (by 1e-9). */
    private static Set<BitSet> patternsOfRegionsContainingGridPoints(LinearRegions2D.Result exact, int n) {
        Set<BitSet> found = new HashSet<>();
        double h = 2.0 / n;
        for (LinearRegions2D.Region reg : exact.regions()) {
            double orientation = Math.signum(LinearRegions2D.signedArea(reg.xs(), reg.ys()));
            search:
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double px = -1 + (i + 0.5) * h;
                    double py = -1 + (j + 0.5) * h;
                    boolean inside = true;
                    for (int t = 0; t < reg.xs().length && inside; t++) {
                        int u = (t + 1) % reg.xs().length;
                        double ex = reg.xs()[u] - reg.xs()[t];
                        double ey = reg.ys()[u] - reg.ys()[t];
                        double cross = ex * (py - reg.ys()[t]) - ey * (px - reg.xs()[t]);
                        inside = orientation * cross > 1e-9 * Math.hypot(ex, ey);
                    }
                    if (inside) {
                        found.add(reg.pattern());
                        break search;
                    }
                }
            }
        }
        return found;
    }

    /** Distinct activation patterns at the points of an n x n grid over [-1, 1]^2, offset off the axes. */
    private static Set<BitSet> gridPatterns(Network net, int n) {
        Set<BitSet> seen = new HashSet<>();
        double h = 2.0 / n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                seen.add(LinearRegions2D.pattern(net, new double[] {-1 + (i + 0.5) * h, -1 + (j + 0.5) * h}));
            }
        }
        return seen;
    }

    @Test
    void regionsTileTheBoxAndCarryTheNetworksAffineMaps() {
        Network net = Mlp.builder().inputs(2).hidden(5, 5).outputs(2).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(7).build();
        LinearRegions2D.Result res = LinearRegions2D.analyze(net, -2, 1, -1, 3);
        double area = 0;
        for (LinearRegions2D.Region reg : res.regions()) {
            area += reg.area();
            double[] c = reg.centroid();
            float[] y = net.predict(Tensor.of(new float[] {(float) c[0], (float) c[1]}, 1, 2)).data();
            for (int o = 0; o < 2; o++) {
                double affine = reg.slope()[o][0] * (float) c[0] + reg.slope()[o][1] * (float) c[1] + reg.intercept()[o];
                assertEquals(y[o], affine, 1e-5 * Math.max(1, Math.abs(y[o])));
            }
            assertEquals(reg.pattern(), LinearRegions2D.pattern(net, c), "the centroid lies inside its region");
        }
        assertEquals(12.0, area, 1e-9);
        assertTrue(res.functionPieces() <= res.activationRegions());
    }

    @Test
    void aPictureIsWrittenAsPngAndSvg() throws IOException {
        Network net = Mlp.builder().inputs(2).hidden(6, 6).outputs(1).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(2).build();
        LinearRegions2D.Result res = LinearRegions2D.analyze(net, -1, 1, -1, 1);
        Path png = tmp.resolve("regions.png");
        Path svg = tmp.resolve("regions.svg");
        RegionFigure.write(res, "2-6-6-1", png, svg);
        assertTrue(Files.size(png) > 1000);
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @Test
    void badInputIsRefused() {
        Network oneInput = Mlp.builder().inputs(1).hidden(3).outputs(1).seed(1).build();
        assertThrows(IllegalArgumentException.class, () -> LinearRegions2D.analyze(oneInput, -1, 1, -1, 1));
        Network tanh = Mlp.builder().inputs(2).hidden(3).outputs(1).activation(Activations.byName("tanh")).seed(1).build();
        assertThrows(IllegalArgumentException.class, () -> LinearRegions2D.analyze(tanh, -1, 1, -1, 1));
        Network ok = Mlp.builder().inputs(2).hidden(3).outputs(1).seed(1).build();
        assertThrows(IllegalArgumentException.class, () -> LinearRegions2D.analyze(ok, 1, -1, -1, 1));
    }
}
