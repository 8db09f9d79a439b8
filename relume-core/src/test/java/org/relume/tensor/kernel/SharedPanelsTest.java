package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The barrier of a row split's shared B panels: parts meet at every block, and a failed part releases the others. */
class SharedPanelsTest {

    @Test
    void partsMeetAtEveryBlockAndSeeWhatTheOthersWrote() throws InterruptedException {
        SharedPanels shared = SharedPanels.forSplit(2, 4);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger checked = new AtomicInteger();
        Thread other = new Thread(() -> {
            try {
                for (int block = 0; block < 100; block++) {
                    shared.buffer(block)[1] = block;
                    shared.await();
                    assertEquals(block, shared.buffer(block)[0]);
                    checked.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        for (int block = 0; block < 100; block++) {
            shared.buffer(block)[0] = block;
            shared.await();
            assertEquals(block, shared.buffer(block)[1]);
        }
        other.join(10_000);
        assertEquals(null, failure.get());
        assertEquals(100, checked.get());
    }

    @Test
    void aPartThatAbandonsReleasesTheOthersWithItsFailureAttached() throws Exception {
        SharedPanels shared = SharedPanels.forSplit(2, 4);
        RuntimeException cause = new IllegalArgumentException("part 1 broke");
        Thread failing = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shared.abandon(cause);
        });
        failing.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, shared::await);
        assertSame(cause, e.getCause());
        failing.join(10_000);
        // The caller's next product gets a fresh barrier: two parts meet at it again.
        SharedPanels next = SharedPanels.forSplit(2, 4);
        assertNotSame(shared, next);
        Thread other = new Thread(next::await);
        other.start();
        next.await();
        other.join(10_000);
        assertTrue(!other.isAlive());
    }
}
