package org.relume.bench;

import java.util.Arrays;
import org.relume.train.TrainingStep;

/**
 * Times Relume's training step on a workload exactly as the trainer runs it (the trainer's own
 * {@link TrainingStep}: forward with preactivations when jumpstart needs them, loss, backward,
 * Adam), step by step with System.nanoTime after an untimed warm-up that also lets the JIT
 * compile; reports the median.
 */
public final class StepTimer {
    private StepTimer() {}

    /**
     * The JIT setting of every JVM that times steps (the benchmark's workers, the JMH forks), as the
     * {@code relume} launcher sets it: with JDK 17's default limit of 100 failed speculations per
     * compiled method, C2 sometimes boxed every vector of the micro-kernel, and the medium step took
     * 250 ms instead of 6.5 in about one fresh JVM in 25 (in 0 of 60 with this setting), so a timing
     * could measure a JIT accident instead of the engine.
     */
    public static final String JIT_TRAP_LIMIT = "-XX:PerMethodTrapLimit=100000";

    /**
     * Median milliseconds per step, after at least {@code warmup} untimed steps and at least
     * {@code warmupSeconds} of them (the JIT needs time, not only calls), and then until the JIT has
     * settled ({@link WarmUp}).
     */
    public static double medianMillis(Shape w, int warmup, double warmupSeconds, int steps, long seed) {
        Runnable step = step(w, seed);
        WarmUp.run(step, warmup, warmupSeconds);
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return steps % 2 == 1 ? t[steps / 2] : 0.5 * (t[steps / 2 - 1] + t[steps / 2]);
    }

    /**
     * One training step of the workload on fixed random data, as a closure (also used by the JMH
     * benchmarks): the trainer's own {@link TrainingStep} on one full batch.
     */
    public static Runnable step(Shape w, long seed) {
        Problem p = Problem.of(w, seed);
        return p::run;
    }
}
