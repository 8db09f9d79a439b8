package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Finite-difference checks (double precision reference) of every primitive on the tape. The
 * final test asserts that every Op declared by the op families took part in some check.
 */
class OpsGradientTest {
    private static final Class<?>[] OP_FAMILIES = {
        LinearOps.class, PointwiseOps.class, ArithmeticOps.class, ReductionOps.class, LossOps.class,
        CombinationOps.class, ConvOps.class, PoolingOps.class, NormalizationOps.class, ConcatOps.class
    };

    private final SplittableRandom r = new SplittableRandom(20260101L);

    @Test
    void matmulWithWeightedSum() {
        int m = 3;
        int k = 4;
        int n = 5;
        double[] w = GradientCheck.weights(r, m * n);
        Tensor wt = GradientCheck.toTensor(w, m, n);
        GradientCheck.check("matmul", GradientCheck.randomInputs(r, 0, new int[] {m, k}, new int[] {k, n}),
                new boolean[] {true, true},
                (tape, in) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape, LinearOps.matmul(tape, in[0], in[1]),
                        Var.constant(wt))),
                x -> {
                    double s = 0;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double c = 0;
                            for (int p = 0; p < k; p++) {
                                c += x[0][i * k + p] * x[1][p * n + j];
                            }
                            s += c * w[i * n + j];
                        }
                    }
                    return s;
                });
    }

    @Test
    void affineWithAndWithoutBias() {
        for (int batch : new int[] {1, 7, 85}) {
            int out = 3;
            int in = 4;
            double[] w = GradientCheck.weights(r, out * batch);
            Tensor wt = GradientCheck.toTensor(w, out, batch);
            GradientCheck.check("affine batch " + batch,
                    GradientCheck.randomInputs(r, 0, new int[] {out, in}, new int[] {in, batch}, new int[] {out}),
                    new boolean[] {true, true, true},
                    (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                            LinearOps.affine(tape, v[0], v[1], v[2]), Var.constant(wt))),
                    x -> affineReference(x[0], x[1], x[2], out, in, batch, w));
            GradientCheck.check("affine without bias",
                    GradientCheck.randomInputs(r, 0, new int[] {out, in}, new int[] {in, batch}),
                    new boolean[] {true, true},
                    (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                            LinearOps.affine(tape, v[0], v[1], null), Var.constant(wt))),
                    x -> affineReference(x[0], x[1], null, out, in, batch, w));
        }
    }

    private static double affineReference(double[] wt, double[] x, double[] b, int out, int in, int batch, double[] w) {
        double s = 0;
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < batch; j++) {
                double z = b == null ? 0 : b[o];
                for (int p = 0; p < in; p++) {
                    z += wt[o * in + p] * x[p * batch + j];
                }
                s += z * w[o * batch + j];
            }
        }
        return s;
    }

    @Test
    void everyActivation() {
        PointwiseFunction[] fs = {
            PointwiseFunctions.relu(0f), PointwiseFunctions.relu(1f), PointwiseFunctions.leakyRelu(0.1f),
            PointwiseFunctions.SIGMOID, PointwiseFunctions.TANH, PointwiseFunctions.SOFTPLUS,
            PointwiseFunctions.SOFTSIGN, PointwiseFunctions.elu(1f), PointwiseFunctions.SWISH,
            PointwiseFunctions.IDENTITY
        };
        int n = 37;
        for (PointwiseFunction f : fs) {
            double[] w = GradientCheck.weights(r, n);
            Tensor wt = GradientCheck.toTensor(w, 1, n);
            GradientCheck.check("pointwise " + f, GradientCheck.randomInputs(r, 0.05, new int[] {1, n}),
                    new boolean[] {true},
                    (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape, PointwiseOps.apply(tape, v[0], f),
                            Var.constant(wt))),
                    x -> {
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += f.value(x[0][i]) * w[i];
                        }
                        return s;
                    });
        }
    }

    @Test
    void arithmeticAndSharedInputs() {
        int n = 11;
        double[] w = GradientCheck.weights(r, n);
        Tensor wt = GradientCheck.toTensor(w, n);
        GradientCheck.check("add/sub/scale", GradientCheck.randomInputs(r, 0, new int[] {n}, new int[] {n}),
                new boolean[] {true, true},
                (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                        ArithmeticOps.sub(tape, ArithmeticOps.add(tape, v[0], ArithmeticOps.scale(tape, v[1], 2.5f)),
                                ArithmeticOps.mul(tape, v[0], v[1])), Var.constant(wt))),
                x -> {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += (x[0][i] + 2.5 * x[1][i] - x[0][i] * x[1][i]) * w[i];
                    }
                    return s;
                });
        // x used three times: gradients from all uses must add up.
        GradientCheck.check("shared input", GradientCheck.randomInputs(r, 0, new int[] {n}), new boolean[] {true},
                (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape, ArithmeticOps.add(tape, v[0], v[0]), v[0])),
                x -> {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += 2 * x[0][i] * x[0][i];
                    }
                    return s;
                });
    }

    @Test
    void reductions() {
        GradientCheck.check("mean", GradientCheck.randomInputs(r, 0, new int[] {4, 6}), new boolean[] {true},
                (tape, v) -> ReductionOps.mean(tape, v[0]),
                x -> {
                    double s = 0;
                    for (double e : x[0]) {
                        s += e;
                    }
                    return s / x[0].length;
                });
        GradientCheck.check("sum of squares", GradientCheck.randomInputs(r, 0, new int[] {4, 6}), new boolean[] {true},
                (tape, v) -> ReductionOps.sumOfSquares(tape, v[0]),
                x -> {
                    double s = 0;
                    for (double e : x[0]) {
                        s += e * e;
                    }
                    return s;
                });
    }

    @Test
    void losses() {
        int outs = 2;
        int batch = 9;
        Tensor target = GradientCheck.randomInputs(r, 0, new int[] {outs, batch})[0];
        GradientCheck.check("mse", GradientCheck.randomInputs(r, 0, new int[] {outs, batch}), new boolean[] {true},
                (tape, v) -> LossOps.mse(tape, v[0], target),
                x -> {
                    double s = 0;
                    for (int i = 0; i < x[0].length; i++) {
                        double d = x[0][i] - target.data()[i];
                        s += d * d;
                    }
                    return s / x[0].length;
                });
        Tensor labels01 = Tensor.zeros(1, batch);
        for (int j = 0; j < batch; j++) {
            labels01.data()[j] = r.nextBoolean() ? 1f : 0f;
        }
        Tensor logits = GradientCheck.randomInputs(r, 0, new int[] {1, batch})[0];
        for (int j = 0; j < batch; j++) {
            logits.data()[j] *= 6; // exercise both tails of the stable formula
        }
        GradientCheck.check("bce with logits", new Tensor[] {logits}, new boolean[] {true},
                (tape, v) -> LossOps.bceWithLogits(tape, v[0], labels01),
                x -> {
                    double s = 0;
                    for (int j = 0; j < batch; j++) {
                        double p = 1 / (1 + Math.exp(-x[0][j]));
                        double t = labels01.data()[j];
                        s += -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
                    }
                    return s / batch;
                });
        int classes = 4;
        int[] labels = new int[batch];
        for (int j = 0; j < batch; j++) {
            labels[j] = r.nextInt(classes);
        }
        GradientCheck.check("softmax cross-entropy", GradientCheck.randomInputs(r, 0, new int[] {classes, batch}),
                new boolean[] {true},
                (tape, v) -> LossOps.softmaxCrossEntropy(tape, v[0], labels),
                x -> {
                    double s = 0;
                    for (int j = 0; j < batch; j++) {
                        double sum = 0;
                        for (int c = 0; c < classes; c++) {
                            sum += Math.exp(x[0][c * batch + j]);
                        }
                        s += -(x[0][labels[j] * batch + j] - Math.log(sum));
                    }
                    return s / batch;
                });
    }

    /** Fixed and learnable coefficients, a repeated term, and a zero coefficient that drops its term. */
    @Test
    void combinationWithFixedAndLearnableCoefficients() {
        int rows = 3;
        int cols = 4;
        double[] w = GradientCheck.weights(r, rows * cols);
        Tensor wt = GradientCheck.toTensor(w, rows, cols);
        CombinationOps.Combination c = new CombinationOps.Combination(5);
        GradientCheck.check("combine",
                GradientCheck.randomInputs(r, 0, new int[] {rows, cols}, new int[] {rows, cols}, new int[] {rows, cols},
                        new int[] {2}),
                new boolean[] {true, true, true, true},
                (tape, v) -> {
                    c.begin(v[3]).add(0.7f, v[0]).addLearnable(0, v[1]).addLearnable(1, v[2]).addLearnable(1, v[0])
                            .add(0f, v[2]);
                    return ReductionOps.sum(tape, ArithmeticOps.mul(tape, CombinationOps.combine(tape, c),
                            Var.constant(wt)));
                },
                x -> {
                    double s = 0;
                    for (int i = 0; i < rows * cols; i++) {
                        double y = 0.7 * x[0][i] + x[3][0] * x[1][i] + x[3][1] * x[2][i] + x[3][1] * x[0][i];
                        s += y * w[i];
                    }
                    return s;
                });
    }

    /** Same and valid padding, stride 1 and 2, a batch not a multiple of the vector width, with and without bias. */
    @Test
    void conv2dEveryGeometry() {
        int[][] cases = {
            // in channels, height, width, out channels, kernel, stride, padding, batch
            {2, 5, 4, 3, 3, 1, 1, 7},
            {1, 6, 6, 2, 3, 2, 1, 3},
            {3, 4, 5, 2, 3, 1, 0, 18},
            {2, 5, 5, 1, 1, 1, 0, 5},
            {1, 7, 6, 2, 5, 2, 2, 2},
            // Five input channels: the weight gradient's block of four plus one, batch past a vector.
            {5, 4, 4, 2, 3, 1, 1, 19},
        };
        for (int[] c : cases) {
            ConvGeometry g = new ConvGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
            int n = c[7];
            double[] wts = GradientCheck.weights(r, g.outSize() * n);
            Tensor wt = GradientCheck.toTensor(wts, g.outSize(), n);
            for (boolean withBias : new boolean[] {true, false}) {
                Tensor[] inputs = withBias
                        ? GradientCheck.randomInputs(r, 0, new int[] {g.outChannels(), g.taps()}, new int[] {g.inSize(), n},
                                new int[] {g.outChannels()})
                        : GradientCheck.randomInputs(r, 0, new int[] {g.outChannels(), g.taps()}, new int[] {g.inSize(), n});
                boolean[] req = new boolean[inputs.length];
                java.util.Arrays.fill(req, true);
                GradientCheck.check("conv2d " + g + (withBias ? "" : " no bias") + " batch " + n, inputs, req,
                        (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                                ConvOps.conv2d(tape, v[0], v[1], withBias ? v[2] : null, g), Var.constant(wt))),
                        x -> convReference(g, n, x[0], x[1], withBias ? x[2] : null, wts));
            }
        }
    }

    /** sum over outputs of conv(x)[co, oy, ox, n] * weights, straight from the definition. */
    private static double convReference(ConvGeometry g, int n, double[] w, double[] x, double[] b, double[] wts) {
        double s = 0;
        int k = g.kernel();
        for (int co = 0; co < g.outChannels(); co++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    for (int j = 0; j < n; j++) {
                        double z = b == null ? 0 : b[co];
                        for (int ci = 0; ci < g.inChannels(); ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * g.stride() - g.padding() + ky;
                                    int ix = ox * g.stride() - g.padding() + kx;
                                    if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                        z += w[co * g.taps() + (ci * k + ky) * k + kx]
                                                * x[((ci * g.height() + iy) * g.width() + ix) * n + j];
                                    }
                                }
                            }
                        }
                        s += z * wts[((co * g.outHeight() + oy) * g.outWidth() + ox) * n + j];
                    }
                }
            }
        }
        return s;
    }

    /** Average, maximum and both, over 3 channels of 4 positions (values kept apart so the max is unique). */
    @Test
    void globalPoolingEveryMode() {
        int channels = 3;
        int positions = 4;
        int n = 5;
        for (int mode = 1; mode <= 3; mode++) {
            boolean avg = (mode & 1) != 0;
            boolean max = (mode & 2) != 0;
            int rows = ((avg ? 1 : 0) + (max ? 1 : 0)) * channels;
            double[] wts = GradientCheck.weights(r, rows * n);
            Tensor wt = GradientCheck.toTensor(wts, rows, n);
            Tensor x = Tensor.zeros(channels * positions, n);
            for (int i = 0; i < x.numel(); i++) {
                x.data()[i] = (float) (0.1 * ((i * 7) % 23) - 1);
            }
            GradientCheck.check("global pool " + (avg ? "avg" : "") + (max ? "max" : ""), new Tensor[] {x}, new boolean[] {true},
                    (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                            PoolingOps.global(tape, v[0], channels, avg, max), Var.constant(wt))),
                    in -> {
                        double s = 0;
                        for (int c = 0; c < channels; c++) {
                            for (int j = 0; j < n; j++) {
                                double sum = 0;
                                double best = Double.NEGATIVE_INFINITY;
                                for (int q = 0; q < positions; q++) {
                                    double v = in[0][(c * positions + q) * n + j];
                                    sum += v;
                                    best = Math.max(best, v);
                                }
                                if (avg) {
                                    s += sum / positions * wts[c * n + j];
                                }
                                if (max) {
                                    s += best * wts[((avg ? channels : 0) + c) * n + j];
                                }
                            }
                        }
                        return s;
                    });
        }
    }

    /** Training-mode batch norm: 2 channels of 6 positions (one image batch), and a dense case. */
    @Test
    void batchNormWithBatchStatistics() {
        int[][] cases = {{2, 6, 5}, {3, 1, 9}};
        for (int[] c : cases) {
            int channels = c[0];
            int positions = c[1];
            int n = c[2];
            int rows = channels * positions;
            double[] wts = GradientCheck.weights(r, rows * n);
            Tensor wt = GradientCheck.toTensor(wts, rows, n);
            Tensor[] inputs = GradientCheck.randomInputs(r, 0, new int[] {rows, n}, new int[] {channels},
                    new int[] {channels});
            float[] runMean = new float[channels];
            float[] runVar = new float[channels];
            java.util.Arrays.fill(runVar, 1f);
            NormalizationOps.RunningStatistics running = new NormalizationOps.RunningStatistics(runMean, runVar, 0.1f, 1e-5f);
            GradientCheck.check("batch norm " + channels + "x" + positions + " batch " + n, inputs,
                    new boolean[] {true, true, true},
                    (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                            NormalizationOps.batchNorm(tape, v[0], v[1], v[2], running), Var.constant(wt))),
                    x -> {
                        double s = 0;
                        int count = positions * n;
                        for (int ch = 0; ch < channels; ch++) {
                            double mean = 0;
                            for (int i = ch * count; i < (ch + 1) * count; i++) {
                                mean += x[0][i] / count;
                            }
                            double var = 0;
                            for (int i = ch * count; i < (ch + 1) * count; i++) {
                                var += (x[0][i] - mean) * (x[0][i] - mean) / count;
                            }
                            for (int i = ch * count; i < (ch + 1) * count; i++) {
                                double y = x[1][ch] * (x[0][i] - mean) / Math.sqrt(var + 1e-5) + x[2][ch];
                                s += y * wts[i];
                            }
                        }
                        return s;
                    });
            // One training step moved the running statistics a tenth of the way to the batch's.
            for (int ch = 0; ch < channels; ch++) {
                assertTrue(runMean[ch] != 0f && runVar[ch] != 1f, "running statistics of channel " + ch + " moved");
            }
        }
    }

    /** [a; b] and [a; a] (both blocks of the gradient reach the same input). */
    @Test
    void concatenationOfRows() {
        int n = 3;
        double[] w = GradientCheck.weights(r, 5 * n);
        Tensor wt = GradientCheck.toTensor(w, 5, n);
        GradientCheck.check("concat rows", GradientCheck.randomInputs(r, 0, new int[] {2, n}, new int[] {3, n}),
                new boolean[] {true, true},
                (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape, ConcatOps.rows(tape, v[0], v[1]),
                        Var.constant(wt))),
                x -> {
                    double s = 0;
                    for (int i = 0; i < 2 * n; i++) {
                        s += x[0][i] * w[i];
                    }
                    for (int i = 0; i < 3 * n; i++) {
                        s += x[1][i] * w[2 * n + i];
                    }
                    return s;
                });
        double[] w2 = GradientCheck.weights(r, 4 * n);
        Tensor wt2 = GradientCheck.toTensor(w2, 4, n);
        GradientCheck.check("concat rows, shared input", GradientCheck.randomInputs(r, 0, new int[] {2, n}),
                new boolean[] {true},
                (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape, ConcatOps.rows(tape, v[0], v[0]),
                        Var.constant(wt2))),
                x -> {
                    double s = 0;
                    for (int i = 0; i < 2 * n; i++) {
                        s += x[0][i] * (w2[i] + w2[2 * n + i]);
                    }
                    return s;
                });
    }

    /** Max and average over 2x2 windows at stride 2 and 3x3 at stride 1, odd map sizes, distinct values. */
    @Test
    void localPoolingMaxAndAverage() {
        int[][] cases = {{2, 5, 4, 2, 2, 3}, {1, 4, 5, 3, 1, 2}};
        for (int[] c : cases) {
            ConvGeometry g = new ConvGeometry(c[0], c[1], c[2], c[0], c[3], c[4], 0);
            int n = c[5];
            for (boolean max : new boolean[] {true, false}) {
                double[] wts = GradientCheck.weights(r, g.outSize() * n);
                Tensor wt = GradientCheck.toTensor(wts, g.outSize(), n);
                Tensor x = Tensor.zeros(g.inSize(), n);
                for (int i = 0; i < x.numel(); i++) {
                    x.data()[i] = (float) (0.05 * ((i * 37) % 41) - 1);
                }
                GradientCheck.check("pool2d " + (max ? "max " : "avg ") + g, new Tensor[] {x}, new boolean[] {true},
                        (tape, v) -> ReductionOps.sum(tape, ArithmeticOps.mul(tape,
                                PoolingOps.pool2d(tape, v[0], g, max), Var.constant(wt))),
                        in -> poolReference(g, n, in[0], max, wts));
            }
        }
    }

    private static double poolReference(ConvGeometry g, int n, double[] x, boolean max, double[] wts) {
        double s = 0;
        int k = g.kernel();
        for (int ch = 0; ch < g.inChannels(); ch++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    for (int j = 0; j < n; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                double v = x[((ch * g.height() + oy * g.stride() + ky) * g.width() + ox * g.stride() + kx) * n + j];
                                best = Math.max(best, v);
                                sum += v;
                            }
                        }
                        s += (max ? best : sum / (k * k)) * wts[((ch * g.outHeight() + oy) * g.outWidth() + ox) * n + j];
                    }
                }
            }
        }
        return s;
    }

    @AfterAll
    static void everyDeclaredOpWasChecked() throws IllegalAccessException {
        Set<String> declared = new TreeSet<>();
        for (Class<?> family : OP_FAMILIES) {
            for (Field f : family.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && Op.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    declared.add(((Op) f.get(null)).name());
                }
            }
        }
        assertTrue(declared.size() >= 10, "found only " + declared);
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(GradientCheck.CHECKED_OPS);
        assertEquals(Set.of(), missing, "ops without a finite-difference check");
    }
}
