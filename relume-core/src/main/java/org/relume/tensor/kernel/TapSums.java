package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner sums of a direct convolution on feature-major data (rows of the batch, contiguous):
 * for one position of the map and every channel c,
 * <pre>  z[c*zStride + at + j] = start_c + sum over listed taps t of w[c*wStride + weights[t]] * a[rows[t] + j]</pre>
 * for every sample j, as one chain of fused multiply-adds per element in the order of the list.
 * The forward pass uses it with output channels (start = bias), the input gradient with input
 * channels (start = 0, or the gradient already there).
 *
 * <p>Four channels at a time, two vectors of the batch at a time: each loaded vector of a tap row
 * feeds four fused multiply-adds, and the rows of one position for one block of the batch (a few KB)
 * stay in L1 while every channel reads them. Leftover channels, vectors and samples go through
 * narrower loops with the same operations in the same order, so no element's bits depend on the
 * block it falls in, the vector width, or how the caller splits positions over threads.
 */
public final class TapSums {
    private TapSums() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = S.length();

    /**
     * Four vectors of the batch per block where 16 accumulators, 4 weights and a row fit the 32
     * vector registers of AVX-512 (with 16 registers they would spill): half the loads, index
     * reads and bounds checks per fused multiply-add of two vectors.
     */
    private static final boolean WIDE = L >= 16;

    /**
     * Every channel of one position. {@code start} holds each channel's first term (the bias), or is
     * null for zeros; with {@code fromZ} each chain starts from z's own value instead.
     */
    public static void forPosition(float[] a, float[] w, int[] rows, int[] weights, int count, int channels,
                                   int wStride, float[] start, boolean fromZ, float[] z, int at, int zStride, int n) {
        int quads = channels - channels % 4;
        int nv = n - n % L;
        int n4 = WIDE ? nv - nv % (4 * L) : 0;
        int n2 = nv - nv % (2 * L);
        for (int j = 0; j < n4; j += 4 * L) {
            for (int c = 0; c < quads; c += 4) {
                quad4(a, w, rows, weights, count, c * wStride, wStride, start, c, fromZ, z, at + c * zStride + j,
                        zStride, j);
            }
        }
        for (int j = n4; j < n2; j += 2 * L) {
            for (int c = 0; c < quads; c += 4) {
                quad2(a, w, rows, weights, count, c * wStride, wStride, start, c, fromZ, z, at + c * zStride + j,
                        zStride, j);
            }
        }
        for (int j = n2; j < nv; j += L) {
            for (int c = 0; c < quads; c += 4) {
                quad1(a, w, rows, weights, count, c * wStride, wStride, start, c, fromZ, z, at + c * zStride + j,
                        zStride, j);
            }
        }
        for (int c = 0; c < quads; c++) {
            scalar(a, w, rows, weights, count, c * wStride, first(start, c), fromZ, z, at + c * zStride, nv, n);
        }
        for (int c = quads; c < channels; c++) {
            single(a, w, rows, weights, count, c * wStride, first(start, c), fromZ, z, at + c * zStride, n);
        }
    }

    private static float first(float[] start, int c) {
        return start == null ? 0f : start[c];
    }

    /** Four channels (from c0) times four vectors of the batch from lane j. */
    private static void quad4(float[] a, float[] w, int[] rows, int[] weights, int count, int w0, int ws,
                              float[] start, int c0, boolean fromZ, float[] z, int out, int zs, int j) {
        FloatVector p00 = fromZ ? FloatVector.fromArray(S, z, out) : FloatVector.broadcast(S, first(start, c0));
        FloatVector p01 = fromZ ? FloatVector.fromArray(S, z, out + L) : p00;
        FloatVector p02 = fromZ ? FloatVector.fromArray(S, z, out + 2 * L) : p00;
        FloatVector p03 = fromZ ? FloatVector.fromArray(S, z, out + 3 * L) : p00;
        FloatVector p10 = fromZ ? FloatVector.fromArray(S, z, out + zs) : FloatVector.broadcast(S, first(start, c0 + 1));
        FloatVector p11 = fromZ ? FloatVector.fromArray(S, z, out + zs + L) : p10;
        FloatVector p12 = fromZ ? FloatVector.fromArray(S, z, out + zs + 2 * L) : p10;
        FloatVector p13 = fromZ ? FloatVector.fromArray(S, z, out + zs + 3 * L) : p10;
        FloatVector p20 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs) : FloatVector.broadcast(S, first(start, c0 + 2));
        FloatVector p21 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs + L) : p20;
        FloatVector p22 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs + 2 * L) : p20;
        FloatVector p23 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs + 3 * L) : p20;
        FloatVector p30 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs) : FloatVector.broadcast(S, first(start, c0 + 3));
        FloatVector p31 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs + L) : p30;
        FloatVector p32 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs + 2 * L) : p30;
        FloatVector p33 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs + 3 * L) : p30;
        for (int t = 0; t < count; t++) {
            int wi = w0 + weights[t];
            FloatVector w0v = FloatVector.broadcast(S, w[wi]);
            FloatVector w1v = FloatVector.broadcast(S, w[wi + ws]);
            FloatVector w2v = FloatVector.broadcast(S, w[wi + 2 * ws]);
            FloatVector w3v = FloatVector.broadcast(S, w[wi + 3 * ws]);
            int r = rows[t] + j;
            FloatVector v = FloatVector.fromArray(S, a, r);
            p00 = v.fma(w0v, p00);
            p10 = v.fma(w1v, p10);
            p20 = v.fma(w2v, p20);
            p30 = v.fma(w3v, p30);
            v = FloatVector.fromArray(S, a, r + L);
            p01 = v.fma(w0v, p01);
            p11 = v.fma(w1v, p11);
            p21 = v.fma(w2v, p21);
            p31 = v.fma(w3v, p31);
            v = FloatVector.fromArray(S, a, r + 2 * L);
            p02 = v.fma(w0v, p02);
            p12 = v.fma(w1v, p12);
            p22 = v.fma(w2v, p22);
            p32 = v.fma(w3v, p32);
            v = FloatVector.fromArray(S, a, r + 3 * L);
            p03 = v.fma(w0v, p03);
            p13 = v.fma(w1v, p13);
            p23 = v.fma(w2v, p23);
            p33 = v.fma(w3v, p33);
        }
        p00.intoArray(z, out);
        p01.intoArray(z, out + L);
        p02.intoArray(z, out + 2 * L);
        p03.intoArray(z, out + 3 * L);
        p10.intoArray(z, out + zs);
        p11.intoArray(z, out + zs + L);
        p12.intoArray(z, out + zs + 2 * L);
        p13.intoArray(z, out + zs + 3 * L);
        p20.intoArray(z, out + 2 * zs);
        p21.intoArray(z, out + 2 * zs + L);
        p22.intoArray(z, out + 2 * zs + 2 * L);
        p23.intoArray(z, out + 2 * zs + 3 * L);
        p30.intoArray(z, out + 3 * zs);
        p31.intoArray(z, out + 3 * zs + L);
        p32.intoArray(z, out + 3 * zs + 2 * L);
        p33.intoArray(z, out + 3 * zs + 3 * L);
    }

    /** Four channels (from c0) times two vectors of the batch from lane j; z offsets from {@code out}. */
    private static void quad2(float[] a, float[] w, int[] rows, int[] weights, int count, int w0, int ws,
                              float[] start, int c0, boolean fromZ, float[] z, int out, int zs, int j) {
        FloatVector p0 = fromZ ? FloatVector.fromArray(S, z, out) : FloatVector.broadcast(S, first(start, c0));
        FloatVector q0 = fromZ ? FloatVector.fromArray(S, z, out + L) : p0;
        FloatVector p1 = fromZ ? FloatVector.fromArray(S, z, out + zs) : FloatVector.broadcast(S, first(start, c0 + 1));
        FloatVector q1 = fromZ ? FloatVector.fromArray(S, z, out + zs + L) : p1;
        FloatVector p2 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs) : FloatVector.broadcast(S, first(start, c0 + 2));
        FloatVector q2 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs + L) : p2;
        FloatVector p3 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs) : FloatVector.broadcast(S, first(start, c0 + 3));
        FloatVector q3 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs + L) : p3;
        for (int t = 0; t < count; t++) {
            int wi = w0 + weights[t];
            FloatVector w0v = FloatVector.broadcast(S, w[wi]);
            FloatVector w1v = FloatVector.broadcast(S, w[wi + ws]);
            FloatVector w2v = FloatVector.broadcast(S, w[wi + 2 * ws]);
            FloatVector w3v = FloatVector.broadcast(S, w[wi + 3 * ws]);
            int r = rows[t] + j;
            FloatVector v = FloatVector.fromArray(S, a, r);
            p0 = v.fma(w0v, p0);
            p1 = v.fma(w1v, p1);
            p2 = v.fma(w2v, p2);
            p3 = v.fma(w3v, p3);
            v = FloatVector.fromArray(S, a, r + L);
            q0 = v.fma(w0v, q0);
            q1 = v.fma(w1v, q1);
            q2 = v.fma(w2v, q2);
            q3 = v.fma(w3v, q3);
        }
        p0.intoArray(z, out);
        q0.intoArray(z, out + L);
        p1.intoArray(z, out + zs);
        q1.intoArray(z, out + zs + L);
        p2.intoArray(z, out + 2 * zs);
        q2.intoArray(z, out + 2 * zs + L);
        p3.intoArray(z, out + 3 * zs);
        q3.intoArray(z, out + 3 * zs + L);
    }

    /** Four channels times one vector of the batch from lane j. */
    private static void quad1(float[] a, float[] w, int[] rows, int[] weights, int count, int w0, int ws,
                              float[] start, int c0, boolean fromZ, float[] z, int out, int zs, int j) {
        FloatVector p0 = fromZ ? FloatVector.fromArray(S, z, out) : FloatVector.broadcast(S, first(start, c0));
        FloatVector p1 = fromZ ? FloatVector.fromArray(S, z, out + zs) : FloatVector.broadcast(S, first(start, c0 + 1));
        FloatVector p2 = fromZ ? FloatVector.fromArray(S, z, out + 2 * zs) : FloatVector.broadcast(S, first(start, c0 + 2));
        FloatVector p3 = fromZ ? FloatVector.fromArray(S, z, out + 3 * zs) : FloatVector.broadcast(S, first(start, c0 + 3));
        for (int t = 0; t < count; t++) {
            int wi = w0 + weights[t];
            FloatVector v = FloatVector.fromArray(S, a, rows[t] + j);
            p0 = v.fma(FloatVector.broadcast(S, w[wi]), p0);
            p1 = v.fma(FloatVector.broadcast(S, w[wi + ws]), p1);
            p2 = v.fma(FloatVector.broadcast(S, w[wi + 2 * ws]), p2);
            p3 = v.fma(FloatVector.broadcast(S, w[wi + 3 * ws]), p3);
        }
        p0.intoArray(z, out);
        p1.intoArray(z, out + zs);
        p2.intoArray(z, out + 2 * zs);
        p3.intoArray(z, out + 3 * zs);
    }

    /** One channel, samples [from, n), one scalar chain each. */
    private static void scalar(float[] a, float[] w, int[] rows, int[] weights, int count, int w0, float start,
                               boolean fromZ, float[] z, int out, int from, int n) {
        for (int j = from; j < n; j++) {
            float acc = fromZ ? z[out + j] : start;
            for (int t = 0; t < count; t++) {
                acc = Math.fma(a[rows[t] + j], w[w0 + weights[t]], acc);
            }
            z[out + j] = acc;
        }
    }

    /** One channel, the whole batch: vectors, then the scalar tail. */
    private static void single(float[] a, float[] w, int[] rows, int[] weights, int count, int w0, float start,
                               boolean fromZ, float[] z, int out, int n) {
        int nv = n - n % L;
        for (int j = 0; j < nv; j += L) {
            FloatVector acc = fromZ ? FloatVector.fromArray(S, z, out + j) : FloatVector.broadcast(S, start);
            for (int t = 0; t < count; t++) {
                acc = FloatVector.fromArray(S, a, rows[t] + j).fma(FloatVector.broadcast(S, w[w0 + weights[t]]), acc);
            }
            acc.intoArray(z, out + j);
        }
        scalar(a, w, rows, weights, count, w0, start, fromZ, z, out, nv, n);
    }
}
