package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RowTicketsTest {

    @Test
    void ticketsComePhaseByPhaseEachOnceThenNone() {
        RowTickets t = new RowTickets(23, 5, 3);
        assertEquals(5, t.blocks, "23 rows in blocks of 5, the last one short");
        for (int expected = 0; expected < 15; expected++) {
            assertEquals(expected, t.take());
        }
        assertEquals(-1, t.take());
        assertEquals(-1, t.take());
    }

    @Test
    void aLaterPhaseWaitsForTheSameRowsPreviousPhase() throws Exception {
        RowTickets t = new RowTickets(10, 5, 3);
        assertTrue(t.awaitPrevious(1, 0), "a first phase never waits");
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> t.awaitPrevious(1, 2));
        t.finish(0, 1); // another block's phase releases nothing
        t.finish(1, 0);
        Thread.sleep(50);
        assertFalse(waiter.isDone(), "block 1's phase 1 is not done yet");
        t.finish(1, 1);
        assertTrue(waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void abandoningReleasesWaitersAndStopsTheTickets() throws Exception {
        RowTickets t = new RowTickets(10, 5, 2);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> t.awaitPrevious(0, 1));
        Thread.sleep(20);
        t.abandon();
        assertFalse(waiter.get(10, TimeUnit.SECONDS), "the waiter learns the work was abandoned");
        assertEquals(-1, t.take());
    }
}
