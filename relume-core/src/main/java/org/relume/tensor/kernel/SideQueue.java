package org.relume.tensor.kernel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link SideLane}'s tasks: a ring of slots that one owner fills and that the first gang thread
 * (and the owner itself, once it has nothing else to do) empties. Tasks may finish out of order;
 * that is safe because the owner never queues two tasks that write the same buffer (a gradient
 * waits for its pending task before it is written again), so queued tasks are independent.
 */
final class SideQueue {
    /** Slots; a power of two. A backward pass queues at most one task per layer at a time. */
    private static final int SLOTS = 1024;

    private final Runnable[] tasks = new Runnable[SLOTS];
    /** Tickets are 1-based: task number t sits in slot (t - 1) mod SLOTS. */
    private volatile long submitted;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    /** The ticket of the last task finished in each slot. */
    private final AtomicLongArray done = new AtomicLongArray(SLOTS);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread owner;

    boolean ownedBy(Thread t) {
        return owner == t;
    }

    void open(Thread t) {
        owner = t;
    }

    /** True while a task is queued or running. */
    boolean busy() {
        return finished.get() != submitted;
    }

    /** True while a task is waiting to be claimed. */
    boolean claimable() {
        return claimed.get() < submitted;
    }

    /** Tasks finished since the JVM started. */
    long finishedCount() {
        return finished.get();
    }

    /** Queues a task (owner only) and returns its ticket. */
    long submit(Runnable task) {
        long ticket = submitted + 1;
        int slot = (int) ((ticket - 1) & (SLOTS - 1));
        if (ticket > SLOTS) {
            await(ticket - SLOTS);
        }
        tasks[slot] = task;
        submitted = ticket;
        return ticket;
    }

    /** Claims and runs the oldest unclaimed task; false if there was none. */
    boolean runOne() {
        long c = claimed.get();
        if (c >= submitted || !claimed.compareAndSet(c, c + 1)) {
            return false;
        }
        int slot = (int) (c & (SLOTS - 1));
        Runnable task = tasks[slot];
        tasks[slot] = null;
        try {
            task.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            done.set(slot, c + 1);
            finished.incrementAndGet();
        }
        return true;
    }

    /** Waits until the task with this ticket has finished; the caller helps with unclaimed tasks meanwhile. */
    void await(long ticket) {
        int slot = (int) ((ticket - 1) & (SLOTS - 1));
        long start = System.nanoTime();
        while (done.get(slot) < ticket) {
            if (runOne()) {
                continue;
            }
            if (System.nanoTime() - start < Gang.SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 20_000L);
            }
        }
    }

    /** Runs or waits for every task queued so far; the caller helps with unclaimed ones. */
    void drain() {
        long start = System.nanoTime();
        while (busy()) {
            if (runOne()) {
                continue;
            }
            if (System.nanoTime() - start < Gang.SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 20_000L);
            }
        }
    }

    /** Runs or waits for every task, forgets the owner, and returns the first failure (or null). */
    Throwable close() {
        drain();
        owner = null;
        return failure.getAndSet(null);
    }
}
