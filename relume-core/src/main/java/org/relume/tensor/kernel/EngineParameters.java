package org.relume.tensor.kernel;

/**
 * The engine's tunable thresholds, in one place (EJML's {@code EjmlParameters} habit).
 *
 * <p>They decide which kernel a front method picks; none of them changes a result, with one
 * exception documented on {@link #maxThreads}: nothing does, because work is only ever split over
 * independent output blocks, never over a sum.
 */
public final class EngineParameters {
    private EngineParameters() {}

    /**
     * Below this many multiply-adds (m*n*k) a matrix product runs the unpacked small-shape kernels;
     * above it, the cache-blocked, packed kernel. Thin layers (width 1-25, batch 85) stay well below.
     */
    public static volatile long gemmBlockedThreshold = 48L * 48 * 48;

    /** Above this many multiply-adds, a blocked product is split over threads (output blocks only). */
    public static volatile long gemmParallelThreshold = 128L * 128 * 128;

    /**
     * Above this many multiply-adds (output features x taps x batch), a convolution splits over
     * cores by channel; below it the thread hand-off costs more than it saves.
     */
    public static volatile long convParallelThreshold = 4_000_000L;

    /** Depth of one packed block (rows of B, columns of A) in the blocked kernel. */
    public static volatile int gemmKc = 256;

    /** Rows of A packed at once in the blocked kernel (a multiple of the micro-kernel's rows). */
    public static volatile int gemmMc = 120;

    /** Columns of B packed at once in the blocked kernel (a multiple of the micro-kernel's columns). */
    public static volatile int gemmNc = 2048;

    /**
     * Upper bound on the threads a kernel may use. Defaults to the available processors. A sweep that
     * already runs one network per core lowers it per worker with {@link Parallelism#runSingleThreaded}.
     * Results never depend on it: threads split output blocks, each computed the same way.
     */
    public static volatile int maxThreads = Runtime.getRuntime().availableProcessors();
}
