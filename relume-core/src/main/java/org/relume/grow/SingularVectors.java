package org.relume.grow;

/**
 * Leading left singular vectors of a small matrix G (GradMax, Evci et al. 2022, REFERENCES.md
 * §4.1), as the leading eigenvectors of the symmetric G G^T by the cyclic Jacobi method.
 *
 * <p>Written here rather than taken from a linear-algebra library: G G^T is tiny (outputs x
 * outputs of one layer), Jacobi is short, unconditionally stable and accurate to rounding on
 * symmetric matrices, and it spares the toolkit a dependency for one call.
 */
public final class SingularVectors {
    private SingularVectors() {}

    /** Eigenpairs of a symmetric matrix, eigenvalues descending; vectors are the columns of {@code vectors}. */
    public record Eigen(double[] values, double[][] vectors) {}

    /** The eigen decomposition of symmetric {@code a} (not modified). */
    public static Eigen symmetricEigen(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " has " + a[i].length + " entries");
            }
            m[i] = a[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double norm = 0;
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < n; q++) {
                    norm += m[p][q] * m[p][q];
                    if (p != q) {
                        off += m[p][q] * m[p][q];
                    }
                }
            }
            if (off <= 1e-30 * Math.max(norm, 1e-300)) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(m[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        final double[][] mm = m;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(mm[y][y], mm[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            values[j] = m[order[j]][order[j]];
            for (int i = 0; i < n; i++) {
                vectors[i][j] = v[i][order[j]];
            }
        }
        return new Eigen(values, vectors);
    }

    /** Singular values and the leading {@code k} left singular vectors of G [rows x cols]. */
    public record Left(double[] singularValues, double[][] vectors) {}

    /** The top-k left singular vectors of {@code g} (each as a length-rows array) and all singular values. */
    public static Left topLeft(double[][] g, int k) {
        int rows = g.length;
        if (k < 0 || k > rows) {
            throw new IllegalArgumentException("asked for " + k + " singular vectors of a matrix with " + rows + " rows");
        }
        if (rows > 0 && rows > g[0].length) {
            return topLeftTall(g, k);
        }
        double[][] ggt = new double[rows][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = i; j < rows; j++) {
                double s = 0;
                for (int c = 0; c < g[i].length; c++) {
                    s += g[i][c] * g[j][c];
                }
                ggt[i][j] = s;
                ggt[j][i] = s;
            }
        }
        Eigen e = symmetricEigen(ggt);
        double[] sv = new double[rows];
        for (int i = 0; i < rows; i++) {
            sv[i] = Math.sqrt(Math.max(0, e.values()[i]));
        }
        double[][] u = new double[k][rows];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < rows; i++) {
                u[j][i] = e.vectors()[i][j];
            }
        }
        return new Left(sv, u);
    }

    /**
     * For a tall G (rows > cols, e.g. a convolution's outgoing weights into a dense head): the
     * eigenvectors v of the small G^T G give u = G v / sigma. Singular vectors beyond the rank are
     * zero vectors, as there is no gradient direction left to follow.
     */
    private static Left topLeftTall(double[][] g, int k) {
        int rows = g.length;
        int cols = g[0].length;
        double[][] gtg = new double[cols][cols];
        for (double[] row : g) {
            for (int i = 0; i < cols; i++) {
                for (int j = i; j < cols; j++) {
                    gtg[i][j] += row[i] * row[j];
                }
            }
        }
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < i; j++) {
                gtg[i][j] = gtg[j][i];
            }
        }
        Eigen e = symmetricEigen(gtg);
        double[] sv = new double[rows];
        for (int i = 0; i < cols; i++) {
            sv[i] = Math.sqrt(Math.max(0, e.values()[i]));
        }
        double[][] u = new double[k][rows];
        for (int j = 0; j < Math.min(k, cols); j++) {
            if (!(sv[j] > 0)) {
                continue;
            }
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    s += g[r][c] * e.vectors()[c][j];
                }
                u[j][r] = s / sv[j];
            }
        }
        return new Left(sv, u);
    }
}
