package org.relume.tensor;

/**
 * Pooling of feature-major images [C*H*W, N]. Global: [C, N] per statistic, the average or the
 * maximum of each channel over its H x W positions, or both stacked (average channels first), the
 * head of the jumpstart paper's CIFAR networks (global max and average pooling, then a dense layer).
 * Local: k x k windows at a stride, without padding, each channel on its own (the transition layers
 * of DenseNet average 2 x 2 windows; max pooling is the classic CNN downsampling).
 */
public final class PoolingOps {
    private PoolingOps() {}

    /**
     * @param average include the per-channel average (rows 0..C-1)
     * @param maximum include the per-channel maximum (after the averages)
     */
    public static Var global(Tape tape, Var x, int channels, boolean average, boolean maximum) {
        Tensor xv = x.value();
        Shapes.requireRank("global pooling", "input", xv, 2);
        if (!average && !maximum) {
            throw new IllegalArgumentException("global pooling needs the average, the maximum or both");
        }
        if (channels <= 0 || xv.rows() % channels != 0) {
            throw new ShapeException("global pooling: " + xv.rows() + " features are not " + channels + " channels of equal size");
        }
        int positions = xv.rows() / channels;
        int n = xv.cols();
        int stats = (average ? 1 : 0) + (maximum ? 1 : 0);
        boolean grad = tape.needsGrad(x);
        Var out = tape.alloc(stats * channels, n, grad);
        float[] xd = xv.data();
        float[] od = out.value().data();
        Node node = grad ? tape.record(GLOBAL, out, x, null, null) : null;
        int[] argMax = maximum && node != null ? node.intScratch(channels * n) : null;
        float inv = 1f / positions;
        for (int c = 0; c < channels; c++) {
            int avgRow = c * n;
            int maxRow = ((average ? channels : 0) + c) * n;
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                float best = Float.NEGATIVE_INFINITY;
                int bestAt = -1;
                for (int q = 0; q < positions; q++) {
                    float v = xd[(c * positions + q) * n + j];
                    sum += v;
                    if (v > best) {
                        best = v;
                        bestAt = q;
                    }
                }
                if (average) {
                    od[avgRow + j] = sum * inv;
                }
                if (maximum) {
                    od[maxRow + j] = best;
                    if (argMax != null) {
                        argMax[c * n + j] = bestAt;
                    }
                }
            }
        }
        if (node != null) {
            node.i0 = channels;
            node.i1 = (average ? 1 : 0) | (maximum ? 2 : 0);
        }
        return out;
    }

    private static final Op GLOBAL = new Op() {
        @Override public String name() { return "global_pool"; }

        @Override public void backward(Node node) {
            Var x = node.in0;
            if (!x.requiresGrad()) {
                return;
            }
            int channels = node.i0;
            boolean average = (node.i1 & 1) != 0;
            boolean maximum = (node.i1 & 2) != 0;
            int n = x.value().cols();
            int positions = x.value().rows() / channels;
            float[] g = node.out.grad().data();
            boolean acc = x.beginGradWrite();
            float[] dx = x.grad().data();
            if (!acc) {
                java.util.Arrays.fill(dx, 0, x.value().numel(), 0f);
            }
            float inv = 1f / positions;
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < n; j++) {
                    if (average) {
                        float share = g[c * n + j] * inv;
                        for (int q = 0; q < positions; q++) {
                            dx[(c * positions + q) * n + j] += share;
                        }
                    }
                    if (maximum) {
                        int q = node.intScratch[c * n + j];
                        dx[(c * positions + q) * n + j] += g[((average ? channels : 0) + c) * n + j];
                    }
                }
            }
        }
    };

    /**
     * Max or average of each k x k window (stride and kernel from {@code g}, whose output channels
     * must equal its input channels and whose padding must be 0): [C*H*W, N] to [C*H'*W', N]. Ties
     * in a max window go to the first position in row-major order.
     */
    public static Var pool2d(Tape tape, Var x, ConvGeometry g, boolean max) {
        Tensor xv = x.value();
        Shapes.requireRank("pooling", "input", xv, 2);
        if (g.outChannels() != g.inChannels() || g.padding() != 0) {
            throw new ShapeException("pooling keeps the channels and has no padding, got " + g);
        }
        if (xv.rows() != g.inSize()) {
            throw new ShapeException("pooling: expects " + g.inChannels() + "x" + g.height() + "x" + g.width() + " = "
                    + g.inSize() + " input features per sample, got input of shape " + xv.shapeString());
        }
        int n = xv.cols();
        boolean grad = tape.needsGrad(x);
        Var out = tape.alloc(g.outSize(), n, grad);
        Node node = grad ? tape.record(POOL2D, out, x, null, null) : null;
        int[] argMax = max && node != null ? node.intScratch(g.outSize() * n) : null;
        float[] xd = xv.data();
        float[] od = out.value().data();
        int k = g.kernel();
        float inv = 1f / (k * k);
        int ho = g.outHeight();
        int wo = g.outWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int o = ((c * ho + oy) * wo + ox) * n;
                    int first = ((c * g.height() + oy * g.stride()) * g.width() + ox * g.stride()) * n;
                    // Window taps outermost, the batch innermost: each tap is one contiguous row.
                    for (int t = 0; t < k * k; t++) {
                        int at = first + ((t / k) * g.width() + t % k) * n;
                        for (int j = 0; j < n; j++) {
                            float v = xd[at + j];
                            if (t == 0) {
                                od[o + j] = v;
                                if (argMax != null) {
                                    argMax[o + j] = at + j;
                                }
                            } else if (!max) {
                                od[o + j] += v;
                            } else if (v > od[o + j]) {
                                od[o + j] = v;
                                if (argMax != null) {
                                    argMax[o + j] = at + j;
                                }
                            }
                        }
                    }
                    if (!max) {
                        for (int j = 0; j < n; j++) {
                            od[o + j] *= inv;
                        }
                    }
                }
            }
        }
        if (node != null) {
            node.aux = g;
            node.i1 = max ? 1 : 0;
        }
        return out;
    }

    private static final Op POOL2D = new Op() {
        @Override public String name() { return "pool2d"; }

        @Override public void backward(Node node) {
            Var x = node.in0;
            if (!x.requiresGrad()) {
                return;
            }
            ConvGeometry g = (ConvGeometry) node.aux;
            boolean max = node.i1 == 1;
            int n = x.value().cols();
            float[] dy = node.out.grad().data();
            boolean acc = x.beginGradWrite();
            float[] dx = x.grad().data();
            if (!acc) {
                java.util.Arrays.fill(dx, 0, x.value().numel(), 0f);
            }
            int outs = g.outSize() * n;
            if (max) {
                for (int o = 0; o < outs; o++) {
                    dx[node.intScratch[o]] += dy[o];
                }
                return;
            }
            int k = g.kernel();
            float inv = 1f / (k * k);
            int ho = g.outHeight();
            int wo = g.outWidth();
            for (int c = 0; c < g.inChannels(); c++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        int o = ((c * ho + oy) * wo + ox) * n;
                        int first = ((c * g.height() + oy * g.stride()) * g.width() + ox * g.stride()) * n;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int at = first + (ky * g.width() + kx) * n;
                                for (int j = 0; j < n; j++) {
                                    dx[at + j] += dy[o + j] * inv;
                                }
                            }
                        }
                    }
                }
            }
        }
    };
}
