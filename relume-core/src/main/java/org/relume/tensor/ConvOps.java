package org.relume.tensor;

import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Lanes;
import org.relume.tensor.kernel.Parallelism;
import org.relume.tensor.kernel.TapDots;
import org.relume.tensor.kernel.TapSums;

/**
 * A 2-D convolution on feature-major images: the input is [C*H*W, N] with row (c, y, x) holding
 * that pixel for every sample of the batch, contiguous. So the batch is the vectorized dimension,
 * as for dense layers: with 2-16 channels on 28x28 maps the channels are too few to vectorize, but
 * a batch of 128-1024 fills the vectors, and padding is just a tap that is skipped. The output
 * [C'*H'*W', N] is again feature-major, so a dense head reads it with no reshaping (flatten is free).
 *
 * <p>Direct convolution, no im2col: every output element is its bias plus the taps in a fixed
 * order (input channel, kernel row, kernel column), by fused multiply-adds, in vector bodies and
 * scalar tails alike, so results do not depend on the vector width. The forward pass and the input
 * gradient go position by position, four channels at a time ({@link TapSums}); the weight gradient
 * sums over positions and batch in the order of {@link Lanes#dotRows}, by quads of output and input
 * channels a few output rows at a time ({@link TapDots}) where the batch allows. Large layers split
 * over cores by rows of the map (forward, input gradient) or by channel quads or taps (weight
 * gradient): each element is computed by one thread, so the split changes no bit.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * Z = conv(X) + b: W [outChannels, inChannels*k*k] (row-major over (c, ky, kx)), X [C*H*W, N],
     * b [outChannels] or null; Z [C'*H'*W', N].
     */
    public static Var conv2d(Tape tape, Var w, Var x, Var b, ConvGeometry g) {
        Tensor wv = w.value();
        Tensor xv = x.value();
        Shapes.requireRank("convolution", "weight", wv, 2);
        Shapes.requireRank("convolution", "input", xv, 2);
        if (wv.rows() != g.outChannels() || wv.cols() != g.taps()) {
            throw new ShapeException("convolution: weight " + wv.shapeString() + " does not match " + g);
        }
        if (xv.rows() != g.inSize()) {
            throw new ShapeException("convolution: expects " + g.inChannels() + "x" + g.height() + "x" + g.width()
                    + " = " + g.inSize() + " input features per sample, got input of shape " + xv.shapeString());
        }
        if (b != null && (b.value().rank() != 1 || b.value().dim(0) != g.outChannels())) {
            throw new ShapeException("convolution: bias of shape " + b.value().shapeString() + " does not match "
                    + g.outChannels() + " output channels");
        }
        int n = xv.cols();
        boolean grad = tape.needsGrad(w, x, b);
        Var z = tape.alloc(g.outSize(), n, grad);
        float[] zd = z.value().data();
        float[] wd = wv.data();
        float[] xd = xv.data();
        float[] bd = b == null ? null : b.value().data();
        int threads = threads(g.outHeight(), g, n);
        if (threads == 1) {
            forwardRows(0, g.outHeight(), g, n, wd, xd, bd, zd);
        } else {
            int rows = g.outHeight();
            Parallelism.forEachPart(threads, part -> forwardRows(rows * part / threads, rows * (part + 1) / threads,
                    g, n, wd, xd, bd, zd));
        }
        if (grad) {
            tape.record(CONV2D, z, w, x, b).aux = g;
        }
        return z;
    }

    /**
     * One thread below the engine's threshold (so small layers neither wait nor allocate), else the
     * cores, at most one per part (channel or row of the map) to split.
     */
    private static int threads(int parts, ConvGeometry g, int n) {
        long work = (long) g.outSize() * g.taps() * n;
        return work < EngineParameters.convParallelThreshold ? 1 : Math.min(parts, Parallelism.threadsToSplit());
    }

    /** Per-thread tap lists: input (or output-gradient) row offsets and weight indices of one position. */
    private static final ThreadLocal<int[][]> TAPS = ThreadLocal.withInitial(() -> new int[2][0]);

    /** Per-thread kernel offsets and output positions reaching one input row and column (input gradient). */
    private static final ThreadLocal<int[][]> REACH = ThreadLocal.withInitial(() -> new int[4][0]);

    private static int[][] taps(int size) {
        int[][] t = TAPS.get();
        if (t[0].length < size) {
            t[0] = new int[size];
            t[1] = new int[size];
        }
        return t;
    }

    /**
     * Output rows [oy0, oy1) of every channel. Position by position, so the input rows that one
     * position's taps read (a few KB per block of the batch) stay in L1 for all output channels;
     * channel by channel over the whole map they came from L3 for every channel.
     */
    private static void forwardRows(int oy0, int oy1, ConvGeometry g, int n, float[] w, float[] x, float[] b,
                                    float[] z) {
        int wo = g.outWidth();
        int k = g.kernel();
        int[][] t = taps(g.taps());
        int[] rows = t[0];
        int[] weights = t[1];
        for (int oy = oy0; oy < oy1; oy++) {
            int iy0 = oy * g.stride() - g.padding();
            int ky0 = Math.max(0, -iy0);
            int ky1 = Math.min(k, g.height() - iy0);
            for (int ox = 0; ox < wo; ox++) {
                int ix0 = ox * g.stride() - g.padding();
                int kx0 = Math.max(0, -ix0);
                int kx1 = Math.min(k, g.width() - ix0);
                // The in-range taps in the fixed order (channel, kernel row, kernel column), as one
                // flat list (a single loop keeps the accumulators in registers), with channel 0's
                // weights: output channel co's are co * taps further on.
                int count = 0;
                for (int ci = 0; ci < g.inChannels(); ci++) {
                    for (int ky = ky0; ky < ky1; ky++) {
                        for (int kx = kx0; kx < kx1; kx++) {
                            rows[count] = ((ci * g.height() + iy0 + ky) * g.width() + ix0 + kx) * n;
                            weights[count] = (ci * k + ky) * k + kx;
                            count++;
                        }
                    }
                }
                TapSums.forPosition(x, w, rows, weights, count, g.outChannels(), g.taps(), b, false, z,
                        (oy * wo + ox) * n, g.outHeight() * wo * n, n);
            }
        }
    }

    /**
     * dX rows [iy0, iy1) of every input channel (+)= the taps of every output that reads them,
     * gathered so each element is written once, position by position as in the forward pass.
     */
    private static void inputGradientRows(int iy0, int iy1, ConvGeometry g, int n, float[] w, float[] dz,
                                          float[] dx, boolean accumulate) {
        int ho = g.outHeight();
        int wo = g.outWidth();
        int k = g.kernel();
        int[][] t = taps(g.outChannels() * k * k);
        int[] rows = t[0];
        int[] weights = t[1];
        // The kernel rows (columns) that reach input row iy (column ix), and the output row (column)
        // each comes from, found once per input position rather than once per tap.
        int[][] r = REACH.get();
        if (r[0].length < k) {
            for (int i = 0; i < 4; i++) {
                r[i] = new int[k];
            }
        }
        int[] kys = r[0];
        int[] oys = r[1];
        int[] kxs = r[2];
        int[] oxs = r[3];
        for (int iy = iy0; iy < iy1; iy++) {
            int ny = reaching(iy, g.padding(), g.stride(), ho, k, kys, oys);
            for (int ix = 0; ix < g.width(); ix++) {
                int nx = reaching(ix, g.padding(), g.stride(), wo, k, kxs, oxs);
                // In the order (output channel, kernel row, kernel column), with input channel 0's
                // weights: input channel ci's are ci * k * k further on.
                int count = 0;
                for (int co = 0; co < g.outChannels(); co++) {
                    for (int a = 0; a < ny; a++) {
                        int rowBase = (co * ho + oys[a]) * wo;
                        int wRow = co * g.taps() + kys[a] * k;
                        for (int b = 0; b < nx; b++) {
                            rows[count] = (rowBase + oxs[b]) * n;
                            weights[count] = wRow + kxs[b];
                            count++;
                        }
                    }
                }
                TapSums.forPosition(dz, w, rows, weights, count, g.inChannels(), k * k, null, accumulate, dx,
                        (iy * g.width() + ix) * n, g.height() * g.width() * n, n);
            }
        }
    }

    /**
     * The kernel offsets q (ascending) whose output position o = (i + pad - q) / stride exists and
     * divides evenly, with those positions; returns how many.
     */
    private static int reaching(int i, int pad, int stride, int outSize, int k, int[] qs, int[] os) {
        int c = 0;
        for (int q = 0; q < k; q++) {
            int v = i + pad - q;
            if (v >= 0 && v % stride == 0 && v / stride < outSize) {
                qs[c] = q;
                os[c] = v / stride;
                c++;
            }
        }
        return c;
    }

    /**
     * dW[co, (ci, ky, kx)] (+)= sum over outputs and batch of dZ times the input the tap read, for
     * input channels ci0 and up, one output channel at a time (what {@link TapDots} does not cover).
     * The pairs of (output, input) rows are the same for every channel, so they are listed once per
     * kernel position in {@code rows}.
     */
    private static void weightGradientChannel(int co, int ci0, ConvGeometry g, int n, float[] x, float[] dz,
                                              float[] dw, boolean accumulate, int[][] rows, int[] counts) {
        int k = g.kernel();
        int outBase = co * g.outHeight() * g.outWidth() * n;
        int plane = g.height() * g.width() * n;
        float[] four = FOUR.get();
        int ci = ci0;
        // Four input channels at a time share every load of dZ and run four independent chains.
        for (; ci + 4 <= g.inChannels(); ci += 4) {
            for (int t = 0; t < k * k; t++) {
                Lanes.dotRows4(dz, outBase, x, ci * plane, plane, rows[t], counts[t], n, four, 0);
                for (int q = 0; q < 4; q++) {
                    int at = co * g.taps() + (ci + q) * k * k + t;
                    dw[at] = accumulate ? dw[at] + four[q] : four[q];
                }
            }
        }
        for (; ci < g.inChannels(); ci++) {
            int inBase = ci * plane;
            for (int t = 0; t < k * k; t++) {
                int[] r = rows[t];
                float v = Lanes.dotRows(dz, outBase, x, inBase, r, counts[t], n);
                int at = co * g.taps() + ci * k * k + t;
                dw[at] = accumulate ? dw[at] + v : v;
            }
        }
    }

    private static final ThreadLocal<float[]> FOUR = ThreadLocal.withInitial(() -> new float[4]);

    /** For each kernel position, the (output position, input position) pairs in range, interleaved. */
    private static int fillRows(ConvGeometry g, int[][] rows, int[] counts) {
        int k = g.kernel();
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int t = ky * k + kx;
                int c = 0;
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    int iy = oy * g.stride() - g.padding() + ky;
                    if (iy < 0 || iy >= g.height()) {
                        continue;
                    }
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int ix = ox * g.stride() - g.padding() + kx;
                        if (ix < 0 || ix >= g.width()) {
                            continue;
                        }
                        rows[t][2 * c] = oy * g.outWidth() + ox;
                        rows[t][2 * c + 1] = iy * g.width() + ix;
                        c++;
                    }
                }
                counts[t] = c;
            }
        }
        return k * k;
    }

    /**
     * dW (+)= the weight gradient: quads of output times input channels by {@link TapDots} where it
     * applies, the rest one output channel at a time. Split over cores by output-channel quads, or
     * by taps where there are fewer quads than cores; each weight is summed by one thread.
     */
    private static void weightGradient(ConvGeometry g, int n, float[] x, float[] dz, float[] dw, boolean acc) {
        RowPairs pairs = RowPairs.of(g);
        int[][] rows = pairs.rows;
        int[] counts = pairs.counts;
        int kk = g.kernel() * g.kernel();
        boolean quads = g.outChannels() >= 4 && g.inChannels() >= 4
                && TapDots.applies(n, g.outChannels() / 4, g.inChannels() / 4, kk);
        int coQuads = quads ? g.outChannels() / 4 : 0;
        int ciDone = quads ? g.inChannels() / 4 * 4 : 0;
        int threads = threads(Math.max(g.outChannels(), kk), g, n);
        if (threads == 1) {
            if (quads) {
                TapDots.quads(0, coQuads, 0, kk, pairs.map, n, dz, x, dw, acc);
            }
            weightGradientRest(0, 1, coQuads, ciDone, g, n, x, dz, dw, acc, rows, counts);
            return;
        }
        Parallelism.forEachPart(threads, part -> {
            if (quads && coQuads >= threads) {
                TapDots.quads(coQuads * part / threads, coQuads * (part + 1) / threads, 0, kk, pairs.map, n, dz, x, dw,
                        acc);
            } else if (quads) {
                TapDots.quads(0, coQuads, kk * part / threads, kk * (part + 1) / threads, pairs.map, n, dz, x, dw, acc);
            }
            weightGradientRest(part, threads, coQuads, ciDone, g, n, x, dz, dw, acc, rows, counts);
        });
    }

    /**
     * Output channels first, first + step, ...: the input channels from ciDone on for those in the
     * quads {@link TapDots} covered (the first 4 * coQuads), all of them for the others.
     */
    private static void weightGradientRest(int first, int step, int coQuads, int ciDone, ConvGeometry g, int n,
                                           float[] x, float[] dz, float[] dw, boolean acc, int[][] rows, int[] counts) {
        for (int co = first; co < g.outChannels(); co += step) {
            int ci0 = co < 4 * coQuads ? ciDone : 0;
            if (ci0 < g.inChannels()) {
                weightGradientChannel(co, ci0, g, n, x, dz, dw, acc, rows, counts);
            }
        }
    }

    /**
     * The weight gradient's row pairs for one geometry, built once and shared (read-only) by every
     * thread and step; a network has few distinct geometries.
     */
    private static final class RowPairs {
        private static final java.util.concurrent.ConcurrentHashMap<ConvGeometry, RowPairs> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();
        final int[][] rows;
        final int[] counts;
        final TapDots.Map map;

        private RowPairs(ConvGeometry g) {
            int kk = g.kernel() * g.kernel();
            rows = new int[kk][2 * g.outHeight() * g.outWidth()];
            counts = new int[kk];
            fillRows(g, rows, counts);
            map = TapDots.Map.of(rows, counts, g.inChannels(), g.taps(), g.outHeight(), g.outWidth(),
                    g.height() * g.width());
        }

        static RowPairs of(ConvGeometry g) {
            RowPairs p = CACHE.get(g);
            return p != null ? p : CACHE.computeIfAbsent(g, RowPairs::new);
        }
    }

    private static final Op CONV2D = new Op() {
        @Override public String name() { return "conv2d"; }

        @Override public void backward(Node node) {
            ConvGeometry g = (ConvGeometry) node.aux;
            Var w = node.in0;
            Var x = node.in1;
            Var b = node.in2;
            int n = x.value().cols();
            float[] dz = node.out.grad().data();
            float[] wd = w.value().data();
            float[] xd = x.value().data();
            if (b != null && b.requiresGrad()) {
                boolean acc = b.beginGradWrite();
                float[] db = b.grad().data();
                int block = g.outHeight() * g.outWidth() * n;
                for (int co = 0; co < g.outChannels(); co++) {
                    float v = Lanes.sum(dz, co * block, block);
                    db[co] = acc ? db[co] + v : v;
                }
            }
            if (w.requiresGrad()) {
                boolean acc = w.beginGradWrite();
                weightGradient(g, n, xd, dz, w.grad().data(), acc);
            }
            if (x.requiresGrad()) {
                boolean acc = x.beginGradWrite();
                float[] dx = x.grad().data();
                int threads = threads(g.height(), g, n);
                int rows = g.height();
                if (threads == 1) {
                    inputGradientRows(0, rows, g, n, wd, dz, dx, acc);
                } else {
                    Parallelism.forEachPart(threads, part -> inputGradientRows(rows * part / threads,
                            rows * (part + 1) / threads, g, n, wd, dz, dx, acc));
                }
            }
        }
    };
}
