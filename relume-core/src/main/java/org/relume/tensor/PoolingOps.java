package org.relume.tensor;

/**
 * Global pooling of feature-major images [C*H*W, N] into [C, N] per statistic: the average or the
 * maximum of each channel over its H x W positions, or both stacked (average channels first), the
 * head of the jumpstart paper's CIFAR networks (global max and average pooling, then a dense layer).
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
}
