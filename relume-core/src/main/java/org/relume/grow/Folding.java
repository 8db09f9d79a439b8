package org.relume.grow;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.relume.data.Dataset;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.optim.Optimizer;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.CrossEntropy;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Grow by folding (Kang 2024, slides; REFERENCES.md §4.2) for a network with one hidden layer:
 * <ol>
 *   <li>the <em>typical mis-predicted instance</em> x_t: weight every training point by its loss,
 *       run weighted k-means, take the cluster with the highest mean loss and its member nearest
 *       the centroid;</li>
 *   <li>its <em>activated linear segment</em>: with D = diag(1[W_A x_t + b_A &gt; 0]),
 *       W_act = W_B D W_A, b_act = W_B D b_A + b_B, an affine map equal to the network around x_t;</li>
 *   <li>the <em>fold point</em> x_f: the point of the local decision boundary (where the logits of
 *       x_t's true class and of its predicted class are equal, w.x + b = 0) nearest to x_t,
 *       x_f = x_t - ((w.x_t + b) / w.w) w;</li>
 *   <li>one new hidden unit whose hyperplane passes through x_f (w+ . x_f + b+ = 0) with outgoing
 *       weight 0, so the function is unchanged. [R] Its direction: among unit directions u with
 *       u.(x_t - x_f) &gt; 0 (x_t on the active side, so the update can move the output at x_t), the
 *       one that maximizes the gradient norm of the new outgoing weights; its length is the mean
 *       norm of the existing units' incoming weights.</li>
 * </ol>
 * Equivalent deepening (an identity layer) is available through {@link Surgery#insertIdentity}.
 */
public final class Folding {
    private Folding() {}

    /** Settings: k of the k-means, candidate directions, k-means iterations, seed. */
    public record Settings(int clusters, int directions, int iterations, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(3, 360, 50, seed);
        }
    }

    /** What a fold did, for logs and figures. */
    public record Step(double[] target, double[] foldPoint, double[] boundaryNormal, double boundaryOffset,
                       double[] newWeights, double newBias, double clusterMeanLoss, double gradNormGain, String note) {}

    public record Result(Network network, Step step) {}

    public static Result grow(Network net, Dataset train, Settings s, Optimizer optimizer) {
        net.requireChain("folding");
        if (net.hiddenLayerCount() != 1) {
            throw new IllegalArgumentException("folding grows networks with one hidden layer, this one has "
                    + net.hiddenLayerCount());
        }
        if (!train.task().isClassification()) {
            throw new IllegalArgumentException("folding needs a classification task, got " + train.task().id());
        }
        Dense a = Surgery.dense(net, 0);
        Dense b = Surgery.dense(net, 1);
        int n = train.size();
        int d = train.inputs();
        int h = a.outputSize();
        int c = b.outputSize();
        float[] xs = train.features().data();
        int[] labels = train.labels();
        Tensor logits = net.predict(train.features());

        // Per-sample loss and output gradient dL/dz (mean cross-entropy, or BCE for one logit).
        double[] loss = new double[n];
        double[][] dz = new double[n][c];
        int[] predicted = new int[n];
        float[] z = logits.data();
        float[] prob = new float[n * c];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (c == 1) {
                loss[i] = CrossEntropy.binary(z[i], y);
                dz[i][0] = (PointwiseFunctions.sigmoid(z[i]) - y) / n;
                predicted[i] = z[i] > 0 ? 1 : 0;
            } else {
                loss[i] = CrossEntropy.softmax(z, i * c, 1, c, y, prob);
                int arg = 0;
                for (int k = 0; k < c; k++) {
                    dz[i][k] = (prob[i * c + k] - (k == y ? 1 : 0)) / n;
                    if (z[i * c + k] > z[i * c + arg]) {
                        arg = k;
                    }
                }
                predicted[i] = arg;
            }
        }

        Typical typical = typicalInstance(xs, n, d, loss, s);
        int t = typical.index();
        double[] xt = point(xs, t, d);
        double clusterLoss = typical.clusterMeanLoss();

        // The activated segment at x_t.
        float[] wa = a.weight().value().data();
        float[] ba = a.hasBias() ? a.bias().value().data() : new float[h];
        float[] wb = b.weight().value().data();
        float[] bb = b.hasBias() ? b.bias().value().data() : new float[c];
        double[][] wAct = new double[c][d];
        double[] bAct = new double[c];
        for (int k = 0; k < c; k++) {
            bAct[k] = bb[k];
        }
        for (int j = 0; j < h; j++) {
            double g = ba[j];
            for (int q = 0; q < d; q++) {
                g += wa[j * d + q] * xt[q];
            }
            if (g > 0) {
                for (int k = 0; k < c; k++) {
                    for (int q = 0; q < d; q++) {
                        wAct[k][q] += wb[k * h + j] * wa[j * d + q];
                    }
                    bAct[k] += wb[k * h + j] * ba[j];
                }
            }
        }
        int truth = labels[t];
        double[] w = new double[d];
        double off;
        if (c == 1) {
            System.arraycopy(wAct[0], 0, w, 0, d);
            off = bAct[0];
        } else {
            int other = predicted[t] != truth ? predicted[t] : secondBest(logits.data(), t, c, truth);
            for (int q = 0; q < d; q++) {
                w[q] = wAct[truth][q] - wAct[other][q];
            }
            off = bAct[truth] - bAct[other];
        }
        double ww = dot(w, w);
        double[] xf;
        String note;
        if (ww > 1e-18) {
            double step = (dot(w, xt) + off) / ww;
            xf = new double[d];
            for (int q = 0; q < d; q++) {
                xf[q] = xt[q] - step * w[q];
            }
            note = "fold point on the local decision boundary";
        } else {
            xf = xt.clone();
            note = "the segment at x_t is constant (no local boundary); the new hyperplane passes through x_t";
        }

        // The new unit's direction: maximize ||dL/dW_out_new|| with x_t on the active side.
        double scale = meanRowNorm(wa, h, d);
        if (!(scale > 0)) {
            scale = 1;
        }
        double[] toTarget = new double[d];
        for (int q = 0; q < d; q++) {
            toTarget[q] = xt[q] - xf[q];
        }
        boolean constrained = dot(toTarget, toTarget) > 1e-18;
        SplittableRandom random = new SplittableRandom(s.seed());
        double best = -1;
        double[] bestU = null;
        for (int cand = 0; cand < s.directions(); cand++) {
            double[] u = direction(d, cand, s.directions(), random);
            if (constrained && dot(u, toTarget) <= 0) {
                continue;
            }
            double gain = outgoingGradientNorm(u, scale, xf, xs, n, d, dz, c);
            if (gain > best) {
                best = gain;
                bestU = u;
            }
        }
        if (bestU == null) {
            bestU = unit(toTarget);
            best = outgoingGradientNorm(bestU, scale, xf, xs, n, d, dz, c);
        }
        double[] wNew = new double[d];
        for (int q = 0; q < d; q++) {
            wNew[q] = scale * bestU[q];
        }
        double bNew = -dot(wNew, xf);
        Tensor inW = Tensor.zeros(1, d);
        for (int q = 0; q < d; q++) {
            inW.data()[q] = (float) wNew[q];
        }
        Tensor inB = a.hasBias() ? Tensor.of(new float[] {(float) bNew}, 1) : null;
        if (!a.hasBias() && Math.abs(bNew) > 1e-12) {
            throw new IllegalArgumentException("folding needs a hidden layer with biases (the new hyperplane passes through x_f)");
        }
        Network grown = Surgery.widen(net, 0, inW, inB, Tensor.zeros(c, 1), optimizer);
        return new Result(grown, new Step(xt, xf, w, off, wNew, bNew, clusterLoss, best, note));
    }

    /** The typical mis-predicted instance and its cluster's mean loss. */
    record Typical(int index, double clusterMeanLoss) {}

    /** Weighted k-means (k-means++ seeding) on the loss-weighted points; x_t and its cluster's mean loss. */
    static Typical typicalInstance(float[] xs, int n, int d, double[] weight, Settings s) {
        int k = Math.min(s.clusters(), n);
        SplittableRandom r = new SplittableRandom(s.seed());
        double[][] centers = new double[k][];
        double total = Arrays.stream(weight).sum();
        centers[0] = point(xs, pickWeighted(weight, total, r), d);
        double[] dist = new double[n];
        for (int m = 1; m < k; m++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    best = Math.min(best, sq(xs, i, centers[j], d));
                }
                dist[i] = weight[i] * best;
                sum += dist[i];
            }
            centers[m] = point(xs, sum > 0 ? pickWeighted(dist, sum, r) : r.nextInt(n), d);
        }
        int[] assign = new int[n];
        for (int it = 0; it < s.iterations(); it++) {
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (sq(xs, i, centers[j], d) < sq(xs, i, centers[best], d)) {
                        best = j;
                    }
                }
                assign[i] = best;
            }
            for (int j = 0; j < k; j++) {
                double[] sum = new double[d];
                double wsum = 0;
                for (int i = 0; i < n; i++) {
                    if (assign[i] == j) {
                        for (int q = 0; q < d; q++) {
                            sum[q] += weight[i] * xs[i * d + q];
                        }
                        wsum += weight[i];
                    }
                }
                if (wsum > 0) {
                    for (int q = 0; q < d; q++) {
                        centers[j][q] = sum[q] / wsum;
                    }
                }
            }
        }
        int worst = -1;
        double worstLoss = -1;
        for (int j = 0; j < k; j++) {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (assign[i] == j) {
                    sum += weight[i];
                    count++;
                }
            }
            if (count > 0 && sum / count > worstLoss) {
                worstLoss = sum / count;
                worst = j;
            }
        }
        int nearest = -1;
        double nd = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (assign[i] == worst && sq(xs, i, centers[worst], d) < nd) {
                nd = sq(xs, i, centers[worst], d);
                nearest = i;
            }
        }
        return new Typical(nearest, worstLoss);
    }

    private static int pickWeighted(double[] w, double total, SplittableRandom r) {
        if (!(total > 0)) {
            return r.nextInt(w.length);
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u <= 0) {
                return i;
            }
        }
        return w.length - 1;
    }

    private static double outgoingGradientNorm(double[] u, double scale, double[] xf, float[] xs, int n, int d,
                                               double[][] dz, int c) {
        double[] g = new double[c];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int q = 0; q < d; q++) {
                z += u[q] * (xs[i * d + q] - xf[q]);
            }
            if (z > 0) {
                for (int k = 0; k < c; k++) {
                    g[k] += dz[i][k] * scale * z;
                }
            }
        }
        return Math.sqrt(dot(g, g));
    }

    /** Candidate unit directions: evenly spaced angles in 2-D, random directions otherwise. */
    private static double[] direction(int d, int index, int count, SplittableRandom random) {
        if (d == 2) {
            double angle = 2 * Math.PI * index / count;
            return new double[] {Math.cos(angle), Math.sin(angle)};
        }
        double[] u = new double[d];
        for (int q = 0; q < d; q++) {
            u[q] = random.nextGaussian();
        }
        return unit(u);
    }

    private static int secondBest(float[] logits, int i, int c, int not) {
        int best = -1;
        for (int k = 0; k < c; k++) {
            if (k != not && (best < 0 || logits[i * c + k] > logits[i * c + best])) {
                best = k;
            }
        }
        return best;
    }

    private static double meanRowNorm(float[] w, int rows, int cols) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int q = 0; q < cols; q++) {
                s += (double) w[r * cols + q] * w[r * cols + q];
            }
            sum += Math.sqrt(s);
        }
        return sum / rows;
    }

    private static double[] point(float[] xs, int i, int d) {
        double[] p = new double[d];
        for (int q = 0; q < d; q++) {
            p[q] = xs[i * d + q];
        }
        return p;
    }

    private static double sq(float[] xs, int i, double[] c, int d) {
        double s = 0;
        for (int q = 0; q < d; q++) {
            double v = xs[i * d + q] - c[q];
            s += v * v;
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] unit(double[] v) {
        double n = Math.sqrt(dot(v, v));
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = n == 0 ? (i == 0 ? 1 : 0) : v[i] / n;
        }
        return u;
    }
}
