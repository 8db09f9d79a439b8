package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelismTest {

    @Test
    void everyPartRunsOnceWhetherTheGangIsAwakeOrParked() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            Parallelism.forEachPart(4, runs::incrementAndGet);
            for (int i = 0; i < 4; i++) {
                assertEquals(1, runs.get(i), "part " + i);
            }
            // Longer than the gang's spin, so the next split wakes a parked thread.
            Thread.sleep(2 * Gang.SPIN_NANOS / 1_000_000 + 5);
            // Two parts: within the gang's size on any machine with two or more cores.
            AtomicIntegerArray two = new AtomicIntegerArray(2);
            Parallelism.forEachPart(2, two::incrementAndGet);
            assertEquals(1, two.get(0));
            assertEquals(1, two.get(1));
            Thread.sleep(2 * Gang.SPIN_NANOS / 1_000_000 + 5);
        }
        for (int round = 0; round < 1000; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            Parallelism.forEachPart(2, runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        }
    }

    @Test
    void aFailingPartIsRethrownAndTheNextSplitStillWorks() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallelism.forEachPart(2, i -> {
                    if (i == 1) {
                        throw new IllegalStateException("part one failed");
                    }
                }));
        assertEquals("part one failed", e.getMessage());
        assertThrows(ArithmeticException.class, () -> Parallelism.forEachPart(2, i -> {
            if (i == 0) {
                throw new ArithmeticException("caller's part");
            }
        }));
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        Parallelism.forEachPart(2, runs::incrementAndGet);
        assertEquals(2, runs.get(0) + runs.get(1));
    }

    @Test
    void concurrentCallersAllFinishAndPartsNeverSplitAgain() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean splitAgain = new java.util.concurrent.atomic.AtomicBoolean();
        Thread[] callers = new Thread[4];
        AtomicIntegerArray total = new AtomicIntegerArray(callers.length);
        for (int c = 0; c < callers.length; c++) {
            final int caller = c;
            callers[c] = new Thread(() -> {
                for (int round = 0; round < 200; round++) {
                    Parallelism.forEachPart(round % 2 == 0 ? 2 : 3, i -> {
                        total.incrementAndGet(caller);
                        if (i > 0 && Parallelism.threadsAvailable() != 1) {
                            splitAgain.set(true);
                        }
                    });
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        for (int c = 0; c < callers.length; c++) {
            assertEquals(500, total.get(c), "caller " + c);
        }
        assertTrue(!splitAgain.get(), "a helper thread may not split again");
    }
}
