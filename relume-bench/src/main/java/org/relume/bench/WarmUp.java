package org.relume.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The untimed warm-up before a timing: at least a number of calls and seconds, and then until
 * the JIT has settled, i.e. the JVM's compilers have spent no time for {@link #QUIET_SECONDS}
 * (at most {@link #MAX_SECONDS} in all). On a 2-core machine a compile in the background takes
 * one of the two cores that a parallel product needs: on an AMD EPYC guest, C2 was still compiling
 * the packed multiply's loops 4-5 s into the medium workload, and a fixed 3 s warm-up timed steps
 * of 13-18 ms in fresh JVMs that took 11-12 ms a second later.
 */
final class WarmUp {
    private WarmUp() {}

    /** Seconds without compilation after which the JIT counts as settled. */
    static final double QUIET_SECONDS = 1.0;
    /** The warm-up's upper limit in seconds, settled or not (a JIT that never settles is reported by the timing). */
    static final double MAX_SECONDS = 30.0;

    /**
     * Runs {@code body} untimed until the JIT has settled; returns the seconds it took. With
     * {@code minSeconds} 0 it only makes the least calls: the tests' profiles time cold code on purpose.
     */
    static double run(Runnable body, int minCalls, double minSeconds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = minSeconds > 0 && jit != null && jit.isCompilationTimeMonitoringSupported();
        return run(body, minCalls, minSeconds, watch ? jit::getTotalCompilationTime : null, MAX_SECONDS);
    }

    /**
     * The same with the compilers' total milliseconds from {@code compiledMillis} (null: not known, no
     * waiting) and an upper limit of {@code maxSeconds}.
     */
    static double run(Runnable body, int minCalls, double minSeconds, LongSupplier compiledMillis, double maxSeconds) {
        boolean watch = compiledMillis != null;
        long start = System.nanoTime();
        long lastCompile = start;
        long compiled = watch ? compiledMillis.getAsLong() : 0;
        for (int calls = 0; ; calls++) {
            long now = System.nanoTime();
            if (watch) {
                long c = compiledMillis.getAsLong();
                if (c != compiled) {
                    compiled = c;
                    lastCompile = now;
                }
            }
            double elapsed = (now - start) / 1e9;
            boolean settled = !watch || (now - lastCompile) / 1e9 >= QUIET_SECONDS;
            if (calls >= minCalls && elapsed >= minSeconds && (settled || elapsed >= maxSeconds)) {
                return elapsed;
            }
            body.run();
        }
    }

    /** The warm-up in words, for reports. */
    static String describe(double minSeconds) {
        if (minSeconds <= 0) {
            return "an untimed warm-up of a few calls only (this profile does not wait for the JIT)";
        }
        return "an untimed warm-up of at least " + minSeconds + " s and then until the JIT had compiled nothing for "
                + QUIET_SECONDS + " s (at most " + MAX_SECONDS + " s in all)";
    }
}
