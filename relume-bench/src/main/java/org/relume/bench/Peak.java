package org.relume.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * This machine's arithmetic peak, measured so that nothing the engine does can exceed it: loops of
 * independent Vector API fused multiply-adds on registers only (no loads or stores), with enough
 * independent chains to keep every FMA port busy. A port takes a new FMA each cycle but its result
 * comes only after the latency (4 cycles on Intel since Skylake and on Zen 4), so two ports need at
 * least 2 x 4 = 8 chains in flight; fewer chains measure the latency, not the throughput (an earlier
 * peak came out below what the matrix multiply reached on an AVX2 CPU). The kernels run 4, 8, 12 and
 * 16 chains, and the peak is the best of them: 16 accumulators plus the two operands need 18 vector
 * registers, more than AVX2's 16, so there 12 chains can beat 16. Each kernel is one flat counted
 * loop, since the JIT keeps vector accumulators in registers only there (carried through nested
 * loops they were boxed on the heap). Measured on a 2-core AVX-512 Xeon (JDK 17, best of 3, one
 * core): 4 chains 103, 8 chains 162-168, 12 chains 197-203, 16 chains 202-209 GFLOP/s; a 24-chain
 * kernel fell to 87-92, so more chains do not help.
 */
final class Peak {
    private Peak() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The chain counts measured. */
    static final int[] CHAINS = {4, 8, 12, 16};

    /**
     * The multiplier and addend of every step, x -> x M + C: every chain decays towards 1 (never
     * subnormal, which would slow the arithmetic down), and the chains differ for the first dozens of
     * steps, which the test uses.
     */
    static final float M = 0.9f;
    static final float C = 0.1f;

    /**
     * The best GFLOP/s over {@code repeats} runs of the kernel with {@code chains} chains on
     * {@code threads} threads at once (total FLOPs over the wall time from a common start to the
     * last thread's end).
     */
    static double gflops(int chains, int threads, int iterations, int repeats) {
        warmUp(chains);
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            best = Math.max(best, (double) threads * chains * iterations * S.length() * 2 / seconds(chains, threads, iterations) / 1e9);
        }
        return best;
    }

    /** GFLOP/s per chain count, for the report (it should rise with the count and then level off). */
    static Map<Integer, Double> byChains(int threads, int iterations, int repeats) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (int c : CHAINS) {
            m.put(c, gflops(c, threads, iterations, repeats));
        }
        return m;
    }

    private static double seconds(int chains, int threads, int iterations) {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                ready.countDown();
                awaitQuietly(go);
                sink += run(chains, iterations);
            });
            workers[i].start();
        }
        awaitQuietly(ready);
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Many short calls, so that the kernel is compiled before it is timed. */
    private static void warmUp(int chains) {
        for (int i = 0; i < 20_000; i++) {
            sink += run(chains, 1_000);
        }
    }

    private static volatile float sink;

    /**
     * The sum over all lanes of all {@code chains} accumulators after {@code iterations} steps
     * x -> x M + C, chain i starting at i + 1 (distinct, so that a lost chain changes the sum).
     */
    static float run(int chains, int iterations) {
        return switch (chains) {
            case 4 -> chains4(iterations);
            case 8 -> chains8(iterations);
            case 12 -> chains12(iterations);
            case 16 -> chains16(iterations);
            default -> throw new IllegalArgumentException("no kernel with " + chains + " chains; have 4, 8, 12, 16");
        };
    }

    private static FloatVector start(int i) {
        return FloatVector.broadcast(S, i + 1f);
    }

    private static float chains4(int n) {
        FloatVector m = FloatVector.broadcast(S, M);
        FloatVector c = FloatVector.broadcast(S, C);
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    private static float chains8(int n) {
        FloatVector m = FloatVector.broadcast(S, M);
        FloatVector c = FloatVector.broadcast(S, C);
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3);
        FloatVector a4 = start(4), a5 = start(5), a6 = start(6), a7 = start(7);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }

    private static float chains12(int n) {
        FloatVector m = FloatVector.broadcast(S, M);
        FloatVector c = FloatVector.broadcast(S, C);
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3), a4 = start(4), a5 = start(5);
        FloatVector a6 = start(6), a7 = start(7), a8 = start(8), a9 = start(9), a10 = start(10), a11 = start(11);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static float chains16(int n) {
        FloatVector m = FloatVector.broadcast(S, M);
        FloatVector c = FloatVector.broadcast(S, C);
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3), a4 = start(4), a5 = start(5);
        FloatVector a6 = start(6), a7 = start(7), a8 = start(8), a9 = start(9), a10 = start(10), a11 = start(11);
        FloatVector a12 = start(12), a13 = start(13), a14 = start(14), a15 = start(15);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
            a12 = a12.fma(m, c);
            a13 = a13.fma(m, c);
            a14 = a14.fma(m, c);
            a15 = a15.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).add(a12)
                .add(a13).add(a14).add(a15).reduceLanes(VectorOperators.ADD);
    }
}
