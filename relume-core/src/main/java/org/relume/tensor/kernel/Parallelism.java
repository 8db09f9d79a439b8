package org.relume.tensor.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A small pool of daemon threads for kernels that split their output over cores.
 *
 * <p>The calling thread always does one share itself, so a split into {@code parts} uses
 * {@code parts - 1} pool threads. A thread may forbid splitting for everything it runs (a sweep
 * worker that already owns a core), which keeps nested parallelism from oversubscribing.
 */
public final class Parallelism {
    private Parallelism() {}

    private static final ThreadLocal<Boolean> SINGLE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private static final class Pool {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relume-kernel");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The number of threads a kernel on this thread may use now: 1 while this thread's
     * {@link SideLane} has work on the other core.
     */
    public static int threadsAvailable() {
        return SINGLE.get() || Gang.INSTANCE.sideBusyHere() ? 1 : Math.max(1, EngineParameters.maxThreads);
    }

    /**
     * The number of threads for a kernel large enough to split over cores. Unlike
     * {@link #threadsAvailable}, a busy {@link SideLane} does not leave the kernel to one core: the
     * caller first runs or waits for the queued side tasks (small products, by design) and then
     * splits. In the medium MLP the output layer's weight gradient went to the side lane, and the
     * 512 x 512 x 256 weight gradient that followed a few microseconds later ran on one core: 11% of
     * the step on the caller, with the other core idle.
     */
    public static int threadsToSplit() {
        if (!SINGLE.get() && Gang.INSTANCE.sideBusyHere()) {
            Gang.INSTANCE.side.drain();
        }
        return threadsAvailable();
    }

    /** Runs {@code body} with kernel splitting disabled on the current thread. */
    public static void runSingleThreaded(Runnable body) {
        callSingleThreaded(() -> {
            body.run();
            return null;
        });
    }

    /** Computes {@code body} with kernel splitting disabled on the current thread and returns its value. */
    public static <T> T callSingleThreaded(java.util.function.Supplier<T> body) {
        boolean before = SINGLE.get();
        SINGLE.set(Boolean.TRUE);
        try {
            return body.get();
        } finally {
            SINGLE.set(before);
        }
    }

    /**
     * Calls {@code part.accept(i)} for i in [0, parts), part 0 on the calling thread and the others
     * on pool threads, and returns when all have finished. A failure of the caller's own part is
     * rethrown, else the first failure of another part.
     */
    public static void forEachPart(int parts, IntConsumer part) {
        if (parts <= 1) {
            part.accept(0);
            return;
        }
        if (Gang.INSTANCE.tryRun(parts, part)) {
            return;
        }
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 1; i < parts; i++) {
            final int index = i;
            Pool.EXECUTOR.execute(() -> {
                try {
                    // Pool threads never split again: the caller already divided the work.
                    SINGLE.set(Boolean.TRUE);
                    part.accept(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        Throwable t = null;
        try {
            part.accept(0);
        } catch (Throwable e) {
            t = e;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kernel threads", e);
        }
        rethrow(t != null ? t : failure.get());
    }

    static void rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
