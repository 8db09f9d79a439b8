package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SideLaneTest {

    private static void assumeTwoCores() {
        Assumptions.assumeTrue(Parallelism.threadsAvailable() > 1, "the side lane needs two cores");
    }

    @Test
    void everyTaskRunsOnceAndCloseWaitsForAll() throws InterruptedException {
        assumeTwoCores();
        for (int round = 0; round < 200; round++) {
            assertTrue(SideLane.open());
            AtomicIntegerArray runs = new AtomicIntegerArray(40);
            for (int i = 0; i < 40; i++) {
                int index = i;
                SideLane.submit(() -> runs.incrementAndGet(index));
            }
            SideLane.close();
            for (int i = 0; i < 40; i++) {
                assertEquals(1, runs.get(i), "task " + i);
            }
            if (round % 50 == 0) {
                // Longer than the kernel thread's spin: the next task wakes a parked thread.
                Thread.sleep(2 * Gang.SPIN_NANOS / 1_000_000 + 5);
            }
        }
    }

    @Test
    void awaitReturnsOnlyWhenItsTaskHasFinished() {
        assumeTwoCores();
        assertTrue(SideLane.open());
        try {
            AtomicBoolean done = new AtomicBoolean();
            long ticket = SideLane.submit(() -> {
                long until = System.nanoTime() + 2_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                done.set(true);
            });
            SideLane.await(ticket);
            assertTrue(done.get());
        } finally {
            SideLane.close();
        }
    }

    @Test
    void whileTasksAreQueuedTheOwnerDoesNotSplitAndOthersCannotOpen() throws InterruptedException {
        assumeTwoCores();
        assertTrue(SideLane.open());
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean otherOpened = new AtomicBoolean(true);
        try {
            SideLane.submit(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(1, Parallelism.threadsAvailable());
            Thread other = new Thread(() -> otherOpened.set(SideLane.open()));
            other.start();
            other.join();
            assertFalse(otherOpened.get());
            assertThrows(IllegalStateException.class, () -> runOn(() -> SideLane.submit(() -> { })));
        } finally {
            release.countDown();
            SideLane.close();
        }
        assertTrue(Parallelism.threadsAvailable() > 1);
        AtomicIntegerArray parts = new AtomicIntegerArray(2);
        Parallelism.forEachPart(2, parts::incrementAndGet);
        assertEquals(2, parts.get(0) + parts.get(1));
    }

    @Test
    void aKernelLargeEnoughToSplitWaitsForTheLaneAndThenUsesBothCores() {
        assumeTwoCores();
        assertTrue(SideLane.open());
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean sideDone = new AtomicBoolean();
        try {
            SideLane.submit(() -> {
                try {
                    release.await();
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sideDone.set(true);
            });
            assertEquals(1, Parallelism.threadsAvailable(), "small kernels leave the busy core alone");
            release.countDown();
            int threads = Parallelism.threadsToSplit();
            assertTrue(sideDone.get(), "the side task must have finished before a large kernel splits");
            assertEquals(EngineParameters.maxThreads, threads);
            AtomicIntegerArray parts = new AtomicIntegerArray(threads);
            Parallelism.forEachPart(threads, parts::incrementAndGet);
            for (int i = 0; i < threads; i++) {
                assertEquals(1, parts.get(i), "part " + i);
            }
        } finally {
            SideLane.close();
        }
        assertEquals(1, Parallelism.callSingleThreaded(Parallelism::threadsToSplit));
    }

    @Test
    void aFailingTaskIsRethrownByCloseAndTheLaneOpensAgain() {
        assumeTwoCores();
        assertTrue(SideLane.open());
        SideLane.submit(() -> {
            throw new ArithmeticException("task failed");
        });
        AtomicIntegerArray after = new AtomicIntegerArray(1);
        SideLane.submit(() -> after.incrementAndGet(0));
        ArithmeticException e = assertThrows(ArithmeticException.class, SideLane::close);
        assertEquals("task failed", e.getMessage());
        assertEquals(1, after.get(0));
        assertTrue(SideLane.open());
        SideLane.close();
    }

    @Test
    void aThreadThatMayNotSplitNeverOpensTheLane() {
        assertFalse(Parallelism.callSingleThreaded(SideLane::open));
    }

    /** Runs {@code body} on a fresh thread and rethrows what it threw. */
    private static void runOn(Runnable body) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.start();
        t.join();
        if (thrown[0] instanceof RuntimeException re) {
            throw re;
        }
    }
}
