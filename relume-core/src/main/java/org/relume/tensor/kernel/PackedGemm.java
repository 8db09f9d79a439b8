package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The cache-blocked kernel of {@link Gemm} for large shapes, in the layout of Goto's and BLIS's
 * matrix products (REFERENCES.md, "Engine"): blocks of op(B) (Kc x Nc) and op(A) (Mc x Kc) are
 * packed into micro-panels, and a register-blocked MR x NR micro-kernel computes each tile. Above {@link EngineParameters#gemmParallelThreshold} the output
 * is split over cores by row or column blocks. Each element of C is one chain of fused
 * multiply-adds per Kc block, added to C block after block, so neither the tile shape, Mc, Nc nor
 * the split changes a result; Kc does.
 */
final class PackedGemm {
    private PackedGemm() {}

    private static final VectorSpecies<Float> S = Gemm.S;
    private static final int L = Gemm.L;
    /** Rows of the micro-kernel's register block: 12 where there are 32 vector registers, else 5. */
    static final int MR = L >= 16 ? 12 : 5;
    /**
     * Floats per step of p in a packed panel of A: MR, or one 8-lane vector for the 5-row kernel, so
     * that a panel row is one whole store of a transposed tile and the kernel's index into A grows by
     * a power of two (C2, JDK 17, rewrote p * 6 as (p << 2) + (p << 1) and kept the arithmetic and
     * two bounds checks in every step).
     */
    static final int AS = MR == 5 ? 8 : MR;
    /** Columns of the micro-kernel's register block: two vectors. */
    static final int NR = 2 * L;

    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();
    private static final ThreadLocal<int[]> PANEL_ROWS = ThreadLocal.withInitial(() -> new int[NR]);

    /** The calling thread's row offsets for one panel being transposed (of B, or of A as 16 rows). */
    private static int[] panelRows() {
        return PANEL_ROWS.get();
    }

    /** C (+)= op(A) op(B) for a product of {@code work} multiply-adds; sizes already checked by Gemm. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         boolean accumulate, float[] c, int cOff, int ldc, long work) {
        int threads = work >= EngineParameters.gemmParallelThreshold ? Parallelism.threadsToSplit() : 1;
        // Rows are split wherever there are enough of them: each part packs the rows of A of the tickets
        // it takes and its own copy of each block of B. Sharing B's packing between the parts (each packing a share, then all meeting at a barrier
        // per block) was dropped: on an Intel Xeon the medium step ran 7% faster without it (paired, in
        // one JVM) and 512-wide products 5-15% faster, while a part's second copy of B is about one
        // part in 20 of its work there. A column split packs all of A in every part, so it is only for
        // products with too few rows.
        boolean byRows = m >= threads * MR;
        if (threads > 1 && byRows) {
            int panels = (m + MR - 1) / MR;
            int perBlock = Math.max(1, Math.min(mcMax() / MR, panels / (BLOCKS_PER_PART * threads)));
            int kPhases = (k + kcMax() - 1) / kcMax();
            int nPhases = (n + ncMax() - 1) / ncMax();
            RowTickets tickets = new RowTickets(m, perBlock * MR, kPhases * nPhases);
            Parallelism.forEachPart(Math.min(threads, tickets.blocks), part ->
                    ticketRows(tickets, kPhases, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb,
                            accumulate, c, cOff, ldc));
        } else if (threads > 1 && n >= threads * NR) {
            // Whole micro-panels of NR columns per part, for products with too few rows.
            int panels = (n + NR - 1) / NR;
            int parts = Math.min(threads, panels);
            Parallelism.forEachPart(parts, part -> {
                int lo = (int) ((long) panels * part / parts) * NR;
                int hi = Math.min(n, (int) ((long) panels * (part + 1) / parts) * NR);
                blockedRange(transA, transB, 0, m, lo, hi, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            });
        } else {
            blockedRange(transA, transB, 0, m, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        }
    }

    /**
     * Blocks of rows per part and phase in a row split ({@link RowTickets}): enough for the free part
     * to take over from a slow one, few enough that a block's panels share each micro-panel of B.
     * Against fixed halves, in alternating half-second windows in one JVM on a 2-core AMD EPYC VM:
     * with 12-row panels 8 blocks ran the medium step 3-5% faster (4 blocks: 1-2%), and the
     * 512-cube product 2%; with 5-row panels (AVX2) 4 blocks ran the 512-cube product 14% faster
     * (8 blocks: 6%) and left the medium step even (8 blocks: from 8% slower to 9% faster over three
     * comparisons).
     */
    static final int BLOCKS_PER_PART = MR == 12 ? 8 : 4;

    /**
     * One part's share of a row split: tickets of {@link RowTickets} until none is left, packing its
     * own copy of each phase's block of B when its first ticket of that phase comes.
     */
    private static void ticketRows(RowTickets tickets, int kPhases, boolean transA, boolean transB,
                                   int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   boolean accumulate, float[] c, int cOff, int ldc) {
        try {
            takeTickets(tickets, kPhases, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        } catch (RuntimeException | Error e) {
            tickets.abandon();
            throw e;
        }
    }

    private static void takeTickets(RowTickets tickets, int kPhases, boolean transA, boolean transB,
                                    int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    boolean accumulate, float[] c, int cOff, int ldc) {
        final int kcMax = kcMax();
        final int ncMax = ncMax();
        float[][] s = scratch(kcMax, mcMax(), ncMax);
        int packed = -1;
        for (int t = tickets.take(); t >= 0; t = tickets.take()) {
            int phase = t / tickets.blocks;
            int block = t % tickets.blocks;
            int jc = phase / kPhases * ncMax;
            int pc = phase % kPhases * kcMax;
            int nc = Math.min(ncMax, n - jc);
            int kc = Math.min(kcMax, k - pc);
            if (phase != packed) {
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, s[1], 0);
                packed = phase;
            }
            // Every phase after the first waits, not only Kc blocks after the first: a block of a next
            // Nc block finished early would otherwise record its phase before the previous one did.
            if (phase > 0 && !tickets.awaitPrevious(block, phase)) {
                return;
            }
            int i0 = block * tickets.blockRows;
            int i1 = Math.min(m, i0 + tickets.blockRows);
            blockRows(transA, i0, i1, jc, nc, pc, kc, a, aOff, lda, s[1], accumulate || pc > 0, c, cOff, ldc, s);
            tickets.finish(block, phase);
        }
    }

    /** Buffers of the calling thread: packed A, packed B, an edge tile. Reused across calls. */
    private static float[][] scratch(int kc, int mc, int nc) {
        float[][] s = SCRATCH.get();
        int needA = mc / MR * AS * kc + L; // + L: the packed A panels' whole-vector stores run past the last one
        int needB = nc * kc;
        if (s == null || s[0].length < needA || s[1].length < needB) {
            s = new float[][] {new float[needA], new float[needB], new float[MR * NR]};
            SCRATCH.set(s);
        }
        return s;
    }

    private static int kcMax() {
        return Math.max(1, EngineParameters.gemmKc);
    }

    private static int mcMax() {
        return Math.max(MR, EngineParameters.gemmMc / MR * MR);
    }

    private static int ncMax() {
        return Math.max(NR, EngineParameters.gemmNc / NR * NR);
    }

    private static void blockedRange(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                     boolean accumulate, float[] c, int cOff, int ldc) {
        final int kcMax = kcMax();
        final int ncMax = ncMax();
        float[][] s = scratch(kcMax, mcMax(), ncMax);
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, s[1], 0);
                blockRows(transA, i0, i1, jc, nc, pc, kc, a, aOff, lda, s[1], accumulate || pc > 0, c, cOff, ldc, s);
            }
        }
    }

    /** Rows [i0, i1) of one packed block of B (columns jc .. jc+nc, depth pc .. pc+kc) into C. */
    private static void blockRows(boolean transA, int i0, int i1, int jc, int nc, int pc, int kc,
                                  float[] a, int aOff, int lda, float[] packB, boolean acc,
                                  float[] c, int cOff, int ldc, float[][] scratch) {
        final int mcMax = mcMax();
        float[] packA = scratch[0];
        float[] edge = scratch[2];
        for (int ic = i0; ic < i1; ic += mcMax) {
            int mc = Math.min(mcMax, i1 - ic);
            packA(transA, a, aOff, lda, ic, mc, pc, kc, packA);
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                int pb0 = jr * kc;
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    micro(kc, packA, ir / MR * AS * kc, packB, pb0, c, cOff + (ic + ir) * ldc + jc + jr, ldc,
                            mr, nr, acc, edge);
                }
            }
        }
    }

    /** Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels, each stored p-major with AS floats per p. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                              float[] pa) {
        int idx = 0;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            if (transA && mr == MR && L >= MR && aOff + (p0 + kc - 1) * lda + i0 + ir + L <= a.length) {
                copyPanelRows(a, aOff + p0 * lda + i0 + ir, lda, kc, pa, idx);
                idx += AS * kc;
            } else if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    System.arraycopy(a, src, pa, idx, mr);
                    for (int r = mr; r < AS; r++) {
                        pa[idx + r] = 0f;
                    }
                    idx += AS;
                }
            } else if (mr == MR) {
                // A full panel from rows of A, transposed in registers as an L-row tile whose last
                // L - MR rows repeat row MR - 1: each transposed row is stored whole, L values at
                // p * AS, and the next one overwrites its surplus (the last one's land in the
                // buffer's slack or in the next panel, packed after this one). A scatter store per
                // 16 values took 8% of the medium step's samples on an AMD EPYC with AVX-512.
                int[] rows = panelRows();
                for (int r = 0; r < L; r++) {
                    rows[r] = aOff + (i0 + ir + Math.min(r, MR - 1)) * lda;
                }
                TileTranspose.transpose(a, rows, L, p0, kc, pa, idx, AS);
                idx += AS * kc;
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < mr) {
                        int src = aOff + (i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kc; p++) {
                            pa[idx + p * AS + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            pa[idx + p * AS + r] = 0f;
                        }
                    }
                }
                idx += AS * kc;
            }
        }
    }

    /**
     * pa[idx + p * AS .. + MR] = a[src + p * lda .. + MR] for p &lt; kc, one whole vector per p (L &gt;= MR): the
     * next p's store overwrites the L - AS values past the panel row, and the last p's land in the
     * next panel (packed after this one) or in the buffer's slack. The caller checked that every load
     * stays inside {@code a}. Twelve-float {@code System.arraycopy} calls took 6% of dX = W^T dZ.
     */
    private static void copyPanelRows(float[] a, int src, int lda, int kc, float[] pa, int idx) {
        for (int p = 0; p < kc; p++, src += lda, idx += AS) {
            FloatVector.fromArray(S, a, src).intoArray(pa, idx);
        }
    }

    /**
     * Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels, each stored p-major, zero-padded, from
     * {@code idx} in {@code pb} (a part of a shared block starts at its first panel's place).
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[] pb, int idx) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + jr;
                    System.arraycopy(b, src, pb, idx, nr);
                    for (int q = nr; q < NR; q++) {
                        pb[idx + q] = 0f;
                    }
                    idx += NR;
                }
            } else if (nr == NR) {
                // A full panel from rows of B: row p of the panel is a column of B, transposed in
                // registers (a gather per L values was 1.7x slower, a scalar copy slower still).
                int[] rows = panelRows();
                for (int q = 0; q < NR; q++) {
                    rows[q] = bOff + (j0 + jr + q) * ldb;
                }
                TileTranspose.transpose(b, rows, NR, p0, kc, pb, idx, NR);
                idx += NR * kc;
            } else {
                for (int q = 0; q < NR; q++) {
                    if (q < nr) {
                        int src = bOff + (j0 + jr + q) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            pb[idx + p * NR + q] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            pb[idx + p * NR + q] = 0f;
                        }
                    }
                }
                idx += NR * kc;
            }
        }
    }

    /**
     * The register-blocked micro-kernel: an MR x NR tile of C from an MR-row panel of A and an
     * NR-column panel of B. With 32 vector registers (AVX-512) a 12 x 2 tile keeps 24 accumulators
     * and needs 14 loads per 24 FMAs. With 16 (AVX2) the textbook 6 x 2 tile leaves one register
     * for broadcasts of A. Indexed so that C2 hoists its bounds checks, it had C2 schedule the
     * broadcasts early and hold three at once, keeping an accumulator on the stack (half the
     * speed); indexed otherwise, it kept the checks and their arithmetic in every step. The 5 x 2
     * tile's 10 accumulators leave room for B and four broadcasts: the 512-cube product on two
     * cores ran 9% faster than with the checked 6 x 2 tile, and the medium step 8.6% (AMD EPYC under
     * -XX:UseAVX=2, alternating half-second windows in one JVM). Either way each
     * element of C is one FMA chain over p, so the tile shape never changes a result.
     */
    private static void micro(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc,
                              int mr, int nr, boolean accumulate, float[] edge) {
        // The kernels only store whole tiles, never add to C: with loads and adds of C in them as
        // well, C2 (JDK 17) sometimes stopped inlining the Vector API calls at their end and boxed
        // every vector (the medium step 25-40x slower, in about one JVM in three under JFR). A tile
        // that adds to C, or is cut by an edge, goes through the edge buffer: c + acc either way.
        if (mr == MR && nr == NR && !accumulate) {
            kernel(kc, pa, ia, pb, ib, c, c0, ldc);
        } else {
            kernel(kc, pa, ia, pb, ib, edge, 0, NR);
            if (mr == MR && nr == NR) {
                addTile(edge, c, c0, ldc);
            } else {
                copyEdge(edge, mr, nr, c, c0, ldc, accumulate);
            }
        }
    }

    private static void kernel(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc) {
        if (MR == 12) {
            micro12(kc, pa, ia, pb, ib, c, c0, ldc);
        } else {
            micro5(kc, pa, ia, pb, ib, c, c0, ldc);
        }
    }

    private static void micro12(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c000 = z, c001 = z, c010 = z, c011 = z, c020 = z, c021 = z, c030 = z, c031 = z;
        FloatVector c040 = z, c041 = z, c050 = z, c051 = z, c060 = z, c061 = z, c070 = z, c071 = z;
        FloatVector c080 = z, c081 = z, c090 = z, c091 = z, c100 = z, c101 = z, c110 = z, c111 = z;
        for (int p = 0; p < kc; p++, ia += 12, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ib);
            FloatVector b1 = FloatVector.fromArray(S, pb, ib + L);
            FloatVector av = FloatVector.broadcast(S, pa[ia]);
            c000 = av.fma(b0, c000);
            c001 = av.fma(b1, c001);
            av = FloatVector.broadcast(S, pa[ia + 1]);
            c010 = av.fma(b0, c010);
            c011 = av.fma(b1, c011);
            av = FloatVector.broadcast(S, pa[ia + 2]);
            c020 = av.fma(b0, c020);
            c021 = av.fma(b1, c021);
            av = FloatVector.broadcast(S, pa[ia + 3]);
            c030 = av.fma(b0, c030);
            c031 = av.fma(b1, c031);
            av = FloatVector.broadcast(S, pa[ia + 4]);
            c040 = av.fma(b0, c040);
            c041 = av.fma(b1, c041);
            av = FloatVector.broadcast(S, pa[ia + 5]);
            c050 = av.fma(b0, c050);
            c051 = av.fma(b1, c051);
            av = FloatVector.broadcast(S, pa[ia + 6]);
            c060 = av.fma(b0, c060);
            c061 = av.fma(b1, c061);
            av = FloatVector.broadcast(S, pa[ia + 7]);
            c070 = av.fma(b0, c070);
            c071 = av.fma(b1, c071);
            av = FloatVector.broadcast(S, pa[ia + 8]);
            c080 = av.fma(b0, c080);
            c081 = av.fma(b1, c081);
            av = FloatVector.broadcast(S, pa[ia + 9]);
            c090 = av.fma(b0, c090);
            c091 = av.fma(b1, c091);
            av = FloatVector.broadcast(S, pa[ia + 10]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(S, pa[ia + 11]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        // Written out, not through storeRow: twelve calls exceed C2's inlining budget, and a
        // vector passed to a method that is not inlined is boxed.
        c000.intoArray(c, c0 + 0 * ldc);
        c001.intoArray(c, c0 + 0 * ldc + L);
        c010.intoArray(c, c0 + 1 * ldc);
        c011.intoArray(c, c0 + 1 * ldc + L);
        c020.intoArray(c, c0 + 2 * ldc);
        c021.intoArray(c, c0 + 2 * ldc + L);
        c030.intoArray(c, c0 + 3 * ldc);
        c031.intoArray(c, c0 + 3 * ldc + L);
        c040.intoArray(c, c0 + 4 * ldc);
        c041.intoArray(c, c0 + 4 * ldc + L);
        c050.intoArray(c, c0 + 5 * ldc);
        c051.intoArray(c, c0 + 5 * ldc + L);
        c060.intoArray(c, c0 + 6 * ldc);
        c061.intoArray(c, c0 + 6 * ldc + L);
        c070.intoArray(c, c0 + 7 * ldc);
        c071.intoArray(c, c0 + 7 * ldc + L);
        c080.intoArray(c, c0 + 8 * ldc);
        c081.intoArray(c, c0 + 8 * ldc + L);
        c090.intoArray(c, c0 + 9 * ldc);
        c091.intoArray(c, c0 + 9 * ldc + L);
        c100.intoArray(c, c0 + 10 * ldc);
        c101.intoArray(c, c0 + 10 * ldc + L);
        c110.intoArray(c, c0 + 11 * ldc);
        c111.intoArray(c, c0 + 11 * ldc + L);
    }

    private static void micro5(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int c0, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z;
        for (int qb = ib, qa = ia, end = ib + NR * kc; qb < end; qb += NR, qa += AS) {
            FloatVector b0 = FloatVector.fromArray(S, pb, qb);
            FloatVector b1 = FloatVector.fromArray(S, pb, qb + L);
            FloatVector av = FloatVector.broadcast(S, pa[qa]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[qa + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[qa + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[qa + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, pa[qa + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
    }

    /** C's full MR x NR tile at c0 += the edge buffer (the same additions as adding in the kernel). */
    private static void addTile(float[] edge, float[] c, int c0, int ldc) {
        for (int r = 0; r < MR; r++) {
            int row = c0 + r * ldc;
            for (int q = 0; q < NR; q += L) {
                FloatVector.fromArray(S, c, row + q).add(FloatVector.fromArray(S, edge, r * NR + q)).intoArray(c, row + q);
            }
        }
    }

    /** The computed mr x nr corner of a partial tile, from the edge buffer into C. */
    private static void copyEdge(float[] edge, int mr, int nr, float[] c, int c0, int ldc, boolean accumulate) {
        for (int r = 0; r < mr; r++) {
            int row = c0 + r * ldc;
            for (int q = 0; q < nr; q++) {
                float v = edge[r * NR + q];
                c[row + q] = accumulate ? c[row + q] + v : v;
            }
        }
    }
}
