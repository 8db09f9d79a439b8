package org.relume.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Lanes;
import org.relume.tensor.kernel.Parallelism;

/**
 * A 2-D convolution on feature-major images: the input is [C*H*W, N] with row (c, y, x) holding
 * that pixel for every sample of the batch, contiguous. So the batch is the vectorized dimension,
 * as for dense layers: with 2-16 channels on 28x28 maps the channels are too few to vectorize, but
 * a batch of 128-1024 fills the vectors, and padding is just a tap that is skipped. The output
 * [C'*H'*W', N] is again feature-major, so a dense head reads it with no reshaping (flatten is free).
 *
 * <p>Direct convolution, no im2col: every output element is its bias plus the taps in a fixed
 * order (input channel, kernel row, kernel column), by fused multiply-adds, in vector bodies and
 * scalar tails alike, so results do not depend on the vector width. The weight gradient sums over
 * positions and batch through {@link Lanes#dotRows}. Large layers split over cores by output
 * channel (forward, weight gradient) or input channel (input gradient): each element is computed by
 * one thread, so the split changes no bit.
 */
public final class ConvOps {
    private ConvOps() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = S.length();

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
        int threads = threads(g.outChannels(), g, n);
        if (threads == 1) {
            forwardChannels(0, 1, g, n, wd, xd, bd, zd);
        } else {
            Parallelism.forEachPart(threads, part -> forwardChannels(part, threads, g, n, wd, xd, bd, zd));
        }
        if (grad) {
            tape.record(CONV2D, z, w, x, b).aux = g;
        }
        return z;
    }

    /** One thread below the engine's threshold (so small layers neither wait nor allocate), else the cores. */
    private static int threads(int channels, ConvGeometry g, int n) {
        long work = (long) g.outSize() * g.taps() * n;
        return work < EngineParameters.convParallelThreshold ? 1 : Math.min(channels, Parallelism.threadsAvailable());
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
     * Output channels first, first + step, ...: two at a time, so that each input vector a tap reads
     * is loaded once for both channels' fused multiply-adds (the loop is bound by its loads).
     */
    private static void forwardChannels(int first, int step, ConvGeometry g, int n, float[] w, float[] x, float[] b,
                                        float[] z) {
        int co = first;
        for (; co + step < g.outChannels(); co += 2 * step) {
            forwardChannel(co, co + step, g, n, w, x, b, z);
        }
        if (co < g.outChannels()) {
            forwardChannel(co, -1, g, n, w, x, b, z);
        }
    }

    /** Output channel co, and co2 beside it unless co2 is -1. */
    private static void forwardChannel(int co, int co2, ConvGeometry g, int n, float[] w, float[] x, float[] b,
                                       float[] z) {
        int ho = g.outHeight();
        int wo = g.outWidth();
        int k = g.kernel();
        float bias = b == null ? 0f : b[co];
        int[][] t = taps(g.taps());
        int[] rows = t[0];
        int[] weights = t[1];
        for (int oy = 0; oy < ho; oy++) {
            int iy0 = oy * g.stride() - g.padding();
            int ky0 = Math.max(0, -iy0);
            int ky1 = Math.min(k, g.height() - iy0);
            for (int ox = 0; ox < wo; ox++) {
                int ix0 = ox * g.stride() - g.padding();
                int kx0 = Math.max(0, -ix0);
                int kx1 = Math.min(k, g.width() - ix0);
                // The in-range taps in the fixed order (channel, kernel row, kernel column), as one
                // flat list: a single loop keeps the accumulator in a register (nested loops made
                // the JIT box it).
                int count = 0;
                for (int ci = 0; ci < g.inChannels(); ci++) {
                    for (int ky = ky0; ky < ky1; ky++) {
                        for (int kx = kx0; kx < kx1; kx++) {
                            rows[count] = ((ci * g.height() + iy0 + ky) * g.width() + ix0 + kx) * n;
                            weights[count] = co * g.taps() + (ci * k + ky) * k + kx;
                            count++;
                        }
                    }
                }
                int at = (oy * wo + ox) * n;
                if (co2 < 0) {
                    accumulate(x, w, rows, weights, count, bias, z, co * ho * wo * n + at, n);
                } else {
                    sumTapsPair(x, w, rows, weights, (co2 - co) * g.taps(), count, bias, b == null ? 0f : b[co2],
                            false, z, co * ho * wo * n + at, co2 * ho * wo * n + at, n);
                }
            }
        }
    }

    /**
     * Two channels of one position: z[out + j] and z[out2 + j] from the same taps, the second
     * channel's weights {@code wShift} places after the first's, starting from start and start2 or,
     * with fromZ, from z's own values. Per element the same fused multiply-adds in the same order as
     * {@link #sumTaps}.
     */
    private static void sumTapsPair(float[] a, float[] w, int[] rows, int[] weights, int wShift, int count,
                                    float start, float start2, boolean fromZ, float[] z, int out, int out2, int n) {
        int nv = n - n % L;
        int nb = nv - nv % (4 * L);
        for (int j = 0; j < nb; j += 4 * L) {
            FloatVector p0 = fromZ ? FloatVector.fromArray(S, z, out + j) : FloatVector.broadcast(S, start);
            FloatVector p1 = fromZ ? FloatVector.fromArray(S, z, out + j + L) : p0;
            FloatVector p2 = fromZ ? FloatVector.fromArray(S, z, out + j + 2 * L) : p0;
            FloatVector p3 = fromZ ? FloatVector.fromArray(S, z, out + j + 3 * L) : p0;
            FloatVector q0 = fromZ ? FloatVector.fromArray(S, z, out2 + j) : FloatVector.broadcast(S, start2);
            FloatVector q1 = fromZ ? FloatVector.fromArray(S, z, out2 + j + L) : q0;
            FloatVector q2 = fromZ ? FloatVector.fromArray(S, z, out2 + j + 2 * L) : q0;
            FloatVector q3 = fromZ ? FloatVector.fromArray(S, z, out2 + j + 3 * L) : q0;
            for (int t = 0; t < count; t++) {
                int wi = weights[t];
                FloatVector wp = FloatVector.broadcast(S, w[wi]);
                FloatVector wq = FloatVector.broadcast(S, w[wi + wShift]);
                int r = rows[t] + j;
                FloatVector v = FloatVector.fromArray(S, a, r);
                p0 = v.fma(wp, p0);
                q0 = v.fma(wq, q0);
                v = FloatVector.fromArray(S, a, r + L);
                p1 = v.fma(wp, p1);
                q1 = v.fma(wq, q1);
                v = FloatVector.fromArray(S, a, r + 2 * L);
                p2 = v.fma(wp, p2);
                q2 = v.fma(wq, q2);
                v = FloatVector.fromArray(S, a, r + 3 * L);
                p3 = v.fma(wp, p3);
                q3 = v.fma(wq, q3);
            }
            p0.intoArray(z, out + j);
            p1.intoArray(z, out + j + L);
            p2.intoArray(z, out + j + 2 * L);
            p3.intoArray(z, out + j + 3 * L);
            q0.intoArray(z, out2 + j);
            q1.intoArray(z, out2 + j + L);
            q2.intoArray(z, out2 + j + 2 * L);
            q3.intoArray(z, out2 + j + 3 * L);
        }
        for (int j = nb; j < nv; j += L) {
            FloatVector p = fromZ ? FloatVector.fromArray(S, z, out + j) : FloatVector.broadcast(S, start);
            FloatVector q = fromZ ? FloatVector.fromArray(S, z, out2 + j) : FloatVector.broadcast(S, start2);
            for (int t = 0; t < count; t++) {
                FloatVector v = FloatVector.fromArray(S, a, rows[t] + j);
                p = v.fma(FloatVector.broadcast(S, w[weights[t]]), p);
                q = v.fma(FloatVector.broadcast(S, w[weights[t] + wShift]), q);
            }
            p.intoArray(z, out + j);
            q.intoArray(z, out2 + j);
        }
        for (int j = nv; j < n; j++) {
            float p = fromZ ? z[out + j] : start;
            float q = fromZ ? z[out2 + j] : start2;
            for (int t = 0; t < count; t++) {
                float v = a[rows[t] + j];
                p = Math.fma(v, w[weights[t]], p);
                q = Math.fma(v, w[weights[t] + wShift], q);
            }
            z[out + j] = p;
            z[out2 + j] = q;
        }
    }

    /**
     * z[out + j] = start + sum over the listed taps of w[weights[t]] * a[rows[t] + j], for j in
     * [0, n): vector bodies and scalar tails by the same fused multiply-adds in the same order.
     */
    private static void accumulate(float[] a, float[] w, int[] rows, int[] weights, int count, float start,
                                   float[] z, int out, int n) {
        sumTaps(a, w, rows, weights, count, start, false, z, out, n);
    }

    /** As {@link #accumulate}, starting from z's own values. */
    private static void accumulateInto(float[] a, float[] w, int[] rows, int[] weights, int count, float[] z, int out,
                                       int n) {
        sumTaps(a, w, rows, weights, count, 0f, true, z, out, n);
    }

    /**
     * The tap sum, four vectors of the batch at a time where the batch allows: each tap's weight is
     * loaded and broadcast once for four fused multiply-adds (a thin layer's batch of 64-128 is only
     * 4-8 vectors, and per-tap overhead otherwise costs as much as the arithmetic). Every element
     * still sees the same operations in the same order, so the blocking changes no bit.
     */
    private static void sumTaps(float[] a, float[] w, int[] rows, int[] weights, int count, float start, boolean fromZ,
                                float[] z, int out, int n) {
        int nv = n - n % L;
        int n8 = nv - nv % (8 * L);
        int nb = nv - nv % (4 * L);
        int j0 = 0;
        for (; j0 < n8; j0 += 8 * L) {
            sum8(a, w, rows, weights, count, start, fromZ, z, out, j0);
        }
        for (int j = j0; j < nb; j += 4 * L) {
            FloatVector acc0 = fromZ ? FloatVector.fromArray(S, z, out + j) : FloatVector.broadcast(S, start);
            FloatVector acc1 = fromZ ? FloatVector.fromArray(S, z, out + j + L) : FloatVector.broadcast(S, start);
            FloatVector acc2 = fromZ ? FloatVector.fromArray(S, z, out + j + 2 * L) : FloatVector.broadcast(S, start);
            FloatVector acc3 = fromZ ? FloatVector.fromArray(S, z, out + j + 3 * L) : FloatVector.broadcast(S, start);
            for (int t = 0; t < count; t++) {
                FloatVector wt = FloatVector.broadcast(S, w[weights[t]]);
                int r = rows[t] + j;
                acc0 = FloatVector.fromArray(S, a, r).fma(wt, acc0);
                acc1 = FloatVector.fromArray(S, a, r + L).fma(wt, acc1);
                acc2 = FloatVector.fromArray(S, a, r + 2 * L).fma(wt, acc2);
                acc3 = FloatVector.fromArray(S, a, r + 3 * L).fma(wt, acc3);
            }
            acc0.intoArray(z, out + j);
            acc1.intoArray(z, out + j + L);
            acc2.intoArray(z, out + j + 2 * L);
            acc3.intoArray(z, out + j + 3 * L);
        }
        for (int j = nb; j < nv; j += L) {
            FloatVector acc = fromZ ? FloatVector.fromArray(S, z, out + j) : FloatVector.broadcast(S, start);
            for (int t = 0; t < count; t++) {
                acc = FloatVector.fromArray(S, a, rows[t] + j).fma(FloatVector.broadcast(S, w[weights[t]]), acc);
            }
            acc.intoArray(z, out + j);
        }
        for (int j = nv; j < n; j++) {
            float acc = fromZ ? z[out + j] : start;
            for (int t = 0; t < count; t++) {
                acc = Math.fma(a[rows[t] + j], w[weights[t]], acc);
            }
            z[out + j] = acc;
        }
    }

    /**
     * Eight vectors of the batch (a batch of 128 on AVX-512): each tap's two index loads and its
     * weight's broadcast then serve eight fused multiply-adds instead of four, which is what limits
     * this loop (loads, not arithmetic). Same operations in the same order per element.
     */
    private static void sum8(float[] a, float[] w, int[] rows, int[] weights, int count, float start, boolean fromZ,
                             float[] z, int out, int j) {
        FloatVector acc0 = fromZ ? FloatVector.fromArray(S, z, out + j + 0 * L) : FloatVector.broadcast(S, start);
        FloatVector acc1 = fromZ ? FloatVector.fromArray(S, z, out + j + 1 * L) : FloatVector.broadcast(S, start);
        FloatVector acc2 = fromZ ? FloatVector.fromArray(S, z, out + j + 2 * L) : FloatVector.broadcast(S, start);
        FloatVector acc3 = fromZ ? FloatVector.fromArray(S, z, out + j + 3 * L) : FloatVector.broadcast(S, start);
        FloatVector acc4 = fromZ ? FloatVector.fromArray(S, z, out + j + 4 * L) : FloatVector.broadcast(S, start);
        FloatVector acc5 = fromZ ? FloatVector.fromArray(S, z, out + j + 5 * L) : FloatVector.broadcast(S, start);
        FloatVector acc6 = fromZ ? FloatVector.fromArray(S, z, out + j + 6 * L) : FloatVector.broadcast(S, start);
        FloatVector acc7 = fromZ ? FloatVector.fromArray(S, z, out + j + 7 * L) : FloatVector.broadcast(S, start);
        for (int t = 0; t < count; t++) {
            FloatVector wt = FloatVector.broadcast(S, w[weights[t]]);
            int r = rows[t] + j;
            acc0 = FloatVector.fromArray(S, a, r + 0 * L).fma(wt, acc0);
            acc1 = FloatVector.fromArray(S, a, r + 1 * L).fma(wt, acc1);
            acc2 = FloatVector.fromArray(S, a, r + 2 * L).fma(wt, acc2);
            acc3 = FloatVector.fromArray(S, a, r + 3 * L).fma(wt, acc3);
            acc4 = FloatVector.fromArray(S, a, r + 4 * L).fma(wt, acc4);
            acc5 = FloatVector.fromArray(S, a, r + 5 * L).fma(wt, acc5);
            acc6 = FloatVector.fromArray(S, a, r + 6 * L).fma(wt, acc6);
            acc7 = FloatVector.fromArray(S, a, r + 7 * L).fma(wt, acc7);
        }
        acc0.intoArray(z, out + j + 0 * L);
        acc1.intoArray(z, out + j + 1 * L);
        acc2.intoArray(z, out + j + 2 * L);
        acc3.intoArray(z, out + j + 3 * L);
        acc4.intoArray(z, out + j + 4 * L);
        acc5.intoArray(z, out + j + 5 * L);
        acc6.intoArray(z, out + j + 6 * L);
        acc7.intoArray(z, out + j + 7 * L);
    }

    /** Input channels first, first + step, ...: two at a time, as in the forward pass. */
    private static void inputGradientChannels(int first, int step, ConvGeometry g, int n, float[] w, float[] dz,
                                              float[] dx, boolean accumulate) {
        int ci = first;
        for (; ci + step < g.inChannels(); ci += 2 * step) {
            inputGradientChannel(ci, ci + step, g, n, w, dz, dx, accumulate);
        }
        if (ci < g.inChannels()) {
            inputGradientChannel(ci, -1, g, n, w, dz, dx, accumulate);
        }
    }

    /**
     * dX[ci] (and dX[ci2] unless ci2 is -1) (+)= the taps of every output that reads it, gathered so
     * each element is written once.
     */
    private static void inputGradientChannel(int ci, int ci2, ConvGeometry g, int n, float[] w, float[] dz, float[] dx,
                                             boolean accumulate) {
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
        for (int iy = 0; iy < g.height(); iy++) {
            int ny = reaching(iy, g.padding(), g.stride(), ho, k, kys, oys);
            for (int ix = 0; ix < g.width(); ix++) {
                int nx = reaching(ix, g.padding(), g.stride(), wo, k, kxs, oxs);
                int count = 0;
                for (int co = 0; co < g.outChannels(); co++) {
                    int wBase = co * g.taps() + ci * k * k;
                    for (int a = 0; a < ny; a++) {
                        int rowBase = (co * ho + oys[a]) * wo;
                        int wRow = wBase + kys[a] * k;
                        for (int b = 0; b < nx; b++) {
                            rows[count] = (rowBase + oxs[b]) * n;
                            weights[count] = wRow + kxs[b];
                            count++;
                        }
                    }
                }
                int in = ((ci * g.height() + iy) * g.width() + ix) * n;
                if (ci2 >= 0) {
                    int in2 = ((ci2 * g.height() + iy) * g.width() + ix) * n;
                    sumTapsPair(dz, w, rows, weights, (ci2 - ci) * k * k, count, 0f, 0f, accumulate, dx, in, in2, n);
                } else if (accumulate) {
                    accumulateInto(dz, w, rows, weights, count, dx, in, n);
                } else {
                    accumulate(dz, w, rows, weights, count, 0f, dx, in, n);
                }
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
     * dW[co, (ci, ky, kx)] (+)= sum over outputs and batch of dZ times the input the tap read. The
     * pairs of (output, input) rows are the same for every channel pair, so they are listed once per
     * kernel position in {@code rows}.
     */
    private static void weightGradientChannel(int co, ConvGeometry g, int n, float[] x, float[] dz, float[] dw,
                                              boolean accumulate, int[][] rows, int[] counts) {
        int k = g.kernel();
        int outBase = co * g.outHeight() * g.outWidth() * n;
        int plane = g.height() * g.width() * n;
        float[] four = FOUR.get();
        int ci = 0;
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
     * The weight gradient's row pairs for one geometry, built once and shared (read-only) by every
     * thread and step; a network has few distinct geometries.
     */
    private static final class RowPairs {
        private static final java.util.concurrent.ConcurrentHashMap<ConvGeometry, RowPairs> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();
        final int[][] rows;
        final int[] counts;

        private RowPairs(ConvGeometry g) {
            int kk = g.kernel() * g.kernel();
            rows = new int[kk][2 * g.outHeight() * g.outWidth()];
            counts = new int[kk];
            fillRows(g, rows, counts);
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
                float[] dw = w.grad().data();
                RowPairs pairs = RowPairs.of(g);
                int[][] rows = pairs.rows;
                int[] counts = pairs.counts;
                int threads = threads(g.outChannels(), g, n);
                if (threads == 1) {
                    for (int co = 0; co < g.outChannels(); co++) {
                        weightGradientChannel(co, g, n, xd, dz, dw, acc, rows, counts);
                    }
                } else {
                    Parallelism.forEachPart(threads, part -> {
                        for (int co = part; co < g.outChannels(); co += threads) {
                            weightGradientChannel(co, g, n, xd, dz, dw, acc, rows, counts);
                        }
                    });
                }
            }
            if (x.requiresGrad()) {
                boolean acc = x.beginGradWrite();
                float[] dx = x.grad().data();
                int threads = threads(g.inChannels(), g, n);
                if (threads == 1) {
                    inputGradientChannels(0, 1, g, n, wd, dz, dx, acc);
                } else {
                    Parallelism.forEachPart(threads, part -> inputGradientChannels(part, threads, g, n, wd, dz, dx, acc));
                }
            }
        }
    };
}
