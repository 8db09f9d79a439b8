package org.relume.tensor.kernel;

/**
 * A second core for work that nothing waits on until later. In a backward pass through a dense
 * layer, dX = W^T dZ is needed at once (the next layer down waits for it), while dW = dZ X^T and
 * db are read only by the optimizer after the pass. A thin, deep network on two cores therefore
 * gains by handing each layer's weight gradient to the other core as soon as dZ is known and
 * carrying on down the chain: the weight gradient was 45% of a width-25, depth-50 step.
 *
 * <p>The lane belongs to one thread between {@link #open} and {@link #close}. Its tasks run on the
 * first kernel thread, and at {@link #close} the owner runs what is still queued itself. Each is
 * computed exactly as on the owner (kernels never split a sum), so results are the same bits with
 * or without the lane. Queued tasks must be independent (write different buffers); a caller that
 * writes a buffer again first {@link #await awaits} the task that wrote it. While a task is queued
 * or running, kernels on the owner do not split ({@link Parallelism#threadsAvailable} is 1): the
 * other core is busy.
 *
 * <p>Moving data between cores has its price: a task reading 17 KB that the other core has just
 * written ran 1.8x slower than on the writing core. So the lane pays for layers of thousands of
 * multiply-adds, not for width-3 ones, and not for products large enough to split over cores.
 */
public final class SideLane {
    private SideLane() {}

    /**
     * Opens the lane for the calling thread if it may use more than one thread and the kernel threads
     * are free; returns whether it did. A caller that gets true must call {@link #close}.
     */
    public static boolean open() {
        return Parallelism.threadsAvailable() > 1 && Gang.INSTANCE.openSide();
    }

    /** True if the calling thread has the lane open (so it may {@link #submit}). */
    public static boolean isOpen() {
        return Gang.INSTANCE.side.ownedBy(Thread.currentThread());
    }

    /**
     * Queues {@code task} and returns its ticket. The caller must not touch what the task reads or
     * writes until {@link #await} of that ticket (or {@link #close}) returns.
     */
    public static long submit(Runnable task) {
        if (!isOpen()) {
            throw new IllegalStateException("the side lane is not open on this thread");
        }
        return Gang.INSTANCE.submitSide(task);
    }

    /** The number of side tasks finished since the JVM started (for tests and diagnostics). */
    public static long tasksFinished() {
        return Gang.INSTANCE.side.finishedCount();
    }

    /** Waits until the task with this ticket has finished, running queued tasks meanwhile. */
    public static void await(long ticket) {
        Gang.INSTANCE.side.await(ticket);
    }

    /**
     * Runs what is still queued on the calling thread, alongside the kernel thread, waits for the
     * rest, releases the lane, and rethrows the first failure of a task.
     */
    public static void close() {
        Gang.INSTANCE.closeSide();
    }
}
