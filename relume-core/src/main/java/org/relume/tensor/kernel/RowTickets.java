package org.relume.tensor.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The work of a packed product split over cores as tickets, each one block of C's rows in one
 * phase (a block of B: Kc deep, Nc wide), taken in order by whichever part is free, instead of one
 * fixed share of the rows per part. With fixed halves every product waited for the slower half: in
 * the medium step on a 2-core VM the halves' times differed by 12% of a product's time on average
 * under AVX2 and 8% under AVX-512, the machine's own jitter rather than a lopsided split (summed over
 * the run, the two halves took the same time).
 *
 * <p>Where a ticket's phase is not its rows' first, the part waits until the same rows' previous
 * phase is done, so every element of C still gets its Kc blocks added in order, one FMA chain each:
 * which part computes a block never changes a result. The earliest ticket still in work never
 * waits (its previous phase was handed out earlier and is done), so the parts cannot deadlock; a
 * part that fails {@link #abandon abandons} the rest, so no other part waits for it.
 */
final class RowTickets {
    private final AtomicInteger next = new AtomicInteger();
    /** Per row block, the last phase done (-1: none). */
    private final AtomicIntegerArray done;
    private volatile boolean abandoned;
    final int blocks;
    final int blockRows;
    final int phases;

    RowTickets(int m, int blockRows, int phases) {
        this.blockRows = blockRows;
        this.blocks = (m + blockRows - 1) / blockRows;
        this.phases = phases;
        this.done = new AtomicIntegerArray(blocks);
        for (int i = 0; i < blocks; i++) {
            done.set(i, -1);
        }
    }

    /** The next ticket (phase * blocks + block), or -1 when all are taken or the work was abandoned. */
    int take() {
        if (abandoned) {
            return -1;
        }
        int t = next.getAndIncrement();
        return t < phases * blocks ? t : -1;
    }

    /**
     * Waits until the block's phase {@code phase - 1} is done (at once for phase 0); false if the work
     * was abandoned meanwhile.
     */
    boolean awaitPrevious(int block, int phase) {
        while (done.get(block) < phase - 1) {
            if (abandoned) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** Publishes the block's phase, and with it the rows of C it wrote. */
    void finish(int block, int phase) {
        done.set(block, phase);
    }

    /** Stops handing out tickets and releases every part waiting for a phase. */
    void abandon() {
        abandoned = true;
    }
}
