package org.relume.bench;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Gemm;

/**
 * Arithmetic throughput: Relume's matrix multiply in GFLOP/s, and this machine's peak measured
 * the same way on every core: a loop of independent Vector API fused multiply-adds with no memory
 * traffic (twelve accumulators, enough to cover FMA latency), run on each core at once.
 */
public final class Throughput {
    private Throughput() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** GFLOP/s of C = A B (m x k times k x n), median of {@code reps} timed calls after warm-up. */
    public static double gemmGflops(int m, int n, int k, int threads, int reps) {
        int saved = EngineParameters.maxThreads;
        EngineParameters.maxThreads = threads;
        try {
            SplittableRandom r = new SplittableRandom(1);
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            float[] c = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextDouble();
            }
            for (int i = 0; i < Math.max(5, reps / 2); i++) {
                Gemm.multiply(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
            }
            double[] t = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                Gemm.multiply(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            java.util.Arrays.sort(t);
            return 2.0 * m * n * k / t[reps / 2] / 1e9;
        } finally {
            EngineParameters.maxThreads = saved;
        }
    }

    /** Peak single-precision GFLOP/s of {@code threads} cores running an FMA-only loop. */
    public static double peakGflops(int threads, long iterations) {
        // Many short calls get the method itself compiled, so every worker starts in compiled code.
        for (int i = 0; i < 20_000; i++) {
            fmaLoop(2_000);
        }
        double[] seconds = new double[1];
        Thread[] workers = new Thread[threads];
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> fmaLoop(iterations));
            workers[i].start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        seconds[0] = (System.nanoTime() - t0) / 1e9;
        return threads * 12.0 * iterations * S.length() * 2 / seconds[0] / 1e9;
    }

    /** Vector lanes of the preferred species (16 with AVX-512, 8 with AVX2). */
    public static int lanes() {
        return S.length();
    }

    private static volatile float sink;

    private static void fmaLoop(long iterations) {
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        for (long i = 0; i < iterations; i++) {
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
        sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
