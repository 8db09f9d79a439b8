package org.relume.tensor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Kernel threads that stay awake between splits. A wide layer's step forks a dozen times a
 * few hundred microseconds apart; waking a parked pool thread took 80-130 us on the 2-core
 * machine (1 ms after its last task), a tenth of a 512^3 product. So after each task a gang thread
 * spins for {@link #SPIN_NANOS} before it parks, and the next split finds it running.
 *
 * <p>One caller at a time owns the gang; a concurrent caller, or one that wants more parts than
 * there are gang threads, gets {@code false} from {@link #tryRun} and uses the ordinary pool.
 *
 * <p>The owner may instead open the <em>side lane</em> ({@link SideLane}): tasks it submits run on
 * the first gang thread while the owner goes on with other work.
 */
final class Gang {
    static final Gang INSTANCE = new Gang(Math.max(0, Runtime.getRuntime().availableProcessors() - 1));

    /** How long an idle gang thread keeps spinning for the next task before it parks. */
    static final long SPIN_NANOS = 200_000L;

    final SideQueue side = new SideQueue();

    private final Member[] members;
    private final AtomicBoolean owned = new AtomicBoolean();

    private Gang(int size) {
        members = new Member[size];
        for (int i = 0; i < size; i++) {
            members[i] = new Member(this, i + 1);
        }
    }

    /** Runs parts [0, parts) with part 0 on the caller, if the gang is free and large enough. */
    boolean tryRun(int parts, IntConsumer part) {
        if (parts - 1 > members.length) {
            return false;
        }
        boolean laneOwner = side.ownedBy(Thread.currentThread());
        if (laneOwner ? side.busy() : !owned.compareAndSet(false, true)) {
            return false;
        }
        try {
            Job job = new Job(part, parts - 1, Thread.currentThread());
            for (int i = 0; i < parts - 1; i++) {
                members[i].post(job, i + 1);
            }
            Throwable mine = null;
            try {
                part.accept(0);
            } catch (Throwable t) {
                mine = t;
            }
            job.await();
            Parallelism.rethrow(mine != null ? mine : job.failure.get());
            return true;
        } finally {
            if (!laneOwner) {
                owned.set(false);
            }
        }
    }

    /** Takes the gang for the side lane if it is free and has a thread; true if the caller now owns it. */
    boolean openSide() {
        if (members.length == 0 || !owned.compareAndSet(false, true)) {
            return false;
        }
        side.open(Thread.currentThread());
        return true;
    }

    /** True if the calling thread owns the side lane and a task is queued or running. */
    boolean sideBusyHere() {
        return side.ownedBy(Thread.currentThread()) && side.busy();
    }

    /** Queues a side task (owner only), waking the thread that runs them. */
    long submitSide(Runnable task) {
        long ticket = side.submit(task);
        Member first = members[0];
        if (first.parked) {
            LockSupport.unpark(first);
        }
        return ticket;
    }

    /** Runs or waits for every side task, gives the gang back, and rethrows the first task failure. */
    void closeSide() {
        Throwable failure;
        try {
            failure = side.close();
        } finally {
            owned.set(false);
        }
        Parallelism.rethrow(failure);
    }

    private static final class Job {
        final IntConsumer part;
        final AtomicInteger remaining;
        final Thread caller;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(IntConsumer part, int others, Thread caller) {
            this.part = part;
            this.remaining = new AtomicInteger(others);
            this.caller = caller;
        }

        void finished() {
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        void await() {
            long start = System.nanoTime();
            while (remaining.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000L);
                }
            }
        }
    }

    private static final class Member extends Thread {
        private final Gang gang;
        /** Only the first member runs side tasks: the others stay free for splits. */
        private final boolean runsSide;
        private volatile Job job;
        private volatile int index;
        private volatile boolean parked;

        Member(Gang gang, int number) {
            super("relume-kernel-gang-" + number);
            this.gang = gang;
            this.runsSide = number == 1;
            setDaemon(true);
            start();
        }

        void post(Job j, int partIndex) {
            index = partIndex;
            job = j;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override public void run() {
            Parallelism.runSingleThreaded(this::loop);
        }

        private void loop() {
            long idleSince = System.nanoTime();
            while (true) {
                Job j = job;
                if (j != null) {
                    job = null;
                    try {
                        j.part.accept(index);
                    } catch (Throwable t) {
                        j.failure.compareAndSet(null, t);
                    } finally {
                        j.finished();
                    }
                    idleSince = System.nanoTime();
                } else if (runsSide && gang.side.runOne()) {
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // Announce the park before the last look at the slots: post() and submitSide() write
                    // a slot then read the flag, so one of the two sees the other (all are volatile).
                    parked = true;
                    if (job == null && !(runsSide && gang.side.claimable())) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
