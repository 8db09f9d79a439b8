package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up keeps its minimums and waits for a quiet JIT, but never past its limit. */
class WarmUpTest {
    @Test
    void keepsTheLeastCallsAndSeconds() {
        AtomicInteger calls = new AtomicInteger();
        double s = WarmUp.run(calls::incrementAndGet, 50, 0.2, null, WarmUp.MAX_SECONDS);
        assertTrue(calls.get() >= 50, calls + " calls");
        assertTrue(s >= 0.2, s + " s");
    }

    @Test
    void waitsUntilTheCompilersHaveBeenQuietLongEnough() {
        AtomicInteger calls = new AtomicInteger();
        // A fake JIT that compiles (its total time grows) for the first 0.3 s of calls.
        long start = System.nanoTime();
        double s = WarmUp.run(calls::incrementAndGet, 1, 0.1,
                () -> Math.min(System.nanoTime() - start, 300_000_000L) / 1_000_000, WarmUp.MAX_SECONDS);
        assertTrue(s >= 0.3 + WarmUp.QUIET_SECONDS - 0.01, "stopped after " + s + " s, before the JIT was quiet");
        assertTrue(s < 0.3 + WarmUp.QUIET_SECONDS + 1.0, "waited " + s + " s");
    }

    @Test
    void stopsAtItsLimitWhenTheCompilersNeverSettle() {
        long[] t = {0};
        double s = WarmUp.run(() -> { }, 1, 0.0, () -> t[0]++, 0.5);
        assertTrue(s >= 0.5 && s < 1.5, s + " s");
    }
}
