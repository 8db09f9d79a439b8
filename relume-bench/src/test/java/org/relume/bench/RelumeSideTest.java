package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Relume's side starts a JVM per workload on the harness's own class path (plumbing, not speed). */
class RelumeSideTest {
    @Test
    void timesAWorkloadInItsOwnJvm() {
        RelumeSide.Timing t = RelumeSide.time(Workload.THIN.shape(), 3, 0.0, 300);
        assertTrue(t.ownJvm(), String.valueOf(t.note()));
        assertNull(t.note());
        assertTrue(t.medianMs() > 0, t.toString());
    }
}
