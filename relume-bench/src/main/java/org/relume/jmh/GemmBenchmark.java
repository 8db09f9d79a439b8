package org.relume.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.relume.bench.StepTimer;
import org.relume.tensor.kernel.EngineParameters;
import org.relume.tensor.kernel.Gemm;

/**
 * The matrix multiply on the shapes Relume meets: a thin layer (3 x 85 x 3), a width-25 layer in
 * all three transpose forms (forward W X, weight gradient dZ X^T, input gradient W^T dZ), and the
 * large blocked case on one and on all threads. Inputs live in non-final state; the result array
 * is returned so the work cannot be removed. Run with {@code -prof gc} to see that the small
 * kernels allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", StepTimer.JIT_TRAP_LIMIT})
public class GemmBenchmark {

    /** transposes:m:n:k (NN, NT or TN). */
    @Param({"NN:3:85:3", "NN:25:85:25", "NT:25:25:85", "TN:25:85:25", "NN:512:512:512"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    boolean transA;
    boolean transB;
    int m;
    int n;
    int k;
    float[] a;
    float[] b;
    float[] c;

    @Setup
    public void setup() {
        String[] f = shape.split(":");
        transA = f[0].charAt(0) == 'T';
        transB = f[0].charAt(1) == 'T';
        m = Integer.parseInt(f[1]);
        n = Integer.parseInt(f[2]);
        k = Integer.parseInt(f[3]);
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble();
        }
        EngineParameters.maxThreads = threads;
    }

    @Benchmark
    public float[] multiply() {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        Gemm.multiply(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, false, c, 0, n);
        return c;
    }
}
