package org.relume.tensor.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The packed blocks of B that the parts of a row-split {@link PackedGemm} share (the shared packing
 * of Goto's and BLIS's threaded products, REFERENCES.md "Engine"). Every part needs all of B, so
 * before this each part packed all of it: on two cores that was the same copy made twice. Now each
 * part packs its share of a block's panels, all meet at a barrier, and each reads the whole block.
 *
 * <p>Two buffers alternate, so one barrier per block is enough: a part packing block b + 2 into the
 * buffer of block b has passed the barrier of block b + 1, which the others reach only after they
 * finished block b. A part that fails {@link #abandon abandons} the barrier, so the others stop
 * instead of waiting for it; an abandoned instance is never reused, so a part still leaving it cannot
 * disturb the caller's next product.
 */
final class SharedPanels {
    private static final ThreadLocal<SharedPanels> OF_CALLER = new ThreadLocal<>();

    private final float[][] buffers;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile Throwable abandonedFor;
    private int parts;

    private SharedPanels(int floats) {
        buffers = new float[][] {new float[floats], new float[floats]};
    }

    /**
     * The calling thread's shared blocks for a split into {@code parts}, each buffer of at least
     * {@code floats}; reused across calls (the caller waits for every part before it returns).
     */
    static SharedPanels forSplit(int parts, int floats) {
        SharedPanels s = OF_CALLER.get();
        if (s == null || s.buffers[0].length < floats || s.abandonedFor != null) {
            s = new SharedPanels(floats);
            OF_CALLER.set(s);
        }
        s.parts = parts;
        s.arrived.set(0);
        return s;
    }

    /** The buffer of block number {@code block} (counted from 0 within one product). */
    float[] buffer(int block) {
        return buffers[block & 1];
    }

    /** Waits until every part has arrived; what they wrote before is then visible to all. */
    void await() {
        int g = generation;
        if (arrived.incrementAndGet() == parts) {
            arrived.set(0);
            generation = g + 1;
            return;
        }
        long start = System.nanoTime();
        while (generation == g) {
            Throwable cause = abandonedFor;
            if (cause != null) {
                throw new IllegalStateException("another part of the matrix product failed: " + cause, cause);
            }
            if (System.nanoTime() - start < Gang.SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 20_000L);
            }
        }
    }

    /** Releases the parts waiting at the barrier, who then fail too, with {@code cause} attached. */
    void abandon(Throwable cause) {
        if (abandonedFor == null) {
            abandonedFor = cause;
        }
    }
}
