package org.relume.bench;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Gemm;

/**
 * Arithmetic throughput: Relume's matrix multiply in GFLOP/s, and this machine's peak measured
 * on one core and on every core at once by {@link Peak} (independent Vector API fused multiply-adds
 * on registers, enough chains for every FMA port).
 */
public final class Throughput {
    private Throughput() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The matrix multiply's least warm-up in seconds, before {@link WarmUp} waits for the JIT to settle. */
    static final double GEMM_WARMUP_SECONDS = 1.0;

    /**
     * GFLOP/s of C = A B (m x k times k x n), median of {@code reps} timed calls after a warm-up
     * ({@link WarmUp}) of at least {@code warmupSeconds}.
     */
    public static double gemmGflops(int m, int n, int k, int threads, int reps, double warmupSeconds) {
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
            WarmUp.run(() -> Gemm.multiply(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n),
                    Math.max(5, reps / 2), warmupSeconds);
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

    /**
     * Peak single-precision GFLOP/s of {@code threads} cores at once: the best over {@link Peak}'s
     * chain counts, each the best of 3 runs (a shared machine can only slow a run down, never speed
     * it up, so the best run is the closest to the hardware's limit).
     */
    public static double peakGflops(int threads, long iterations) {
        double best = 0;
        for (double g : peakByChains(threads, iterations).values()) {
            best = Math.max(best, g);
        }
        return best;
    }

    /** Peak GFLOP/s of {@code threads} cores per number of independent FMA chains per core. */
    public static java.util.Map<Integer, Double> peakByChains(int threads, long iterations) {
        return Peak.byChains(threads, (int) Math.min(Integer.MAX_VALUE, iterations), 3);
    }

    /** Vector lanes of the preferred species (16 with AVX-512, 8 with AVX2). */
    public static int lanes() {
        return S.length();
    }
}
