package org.relume.bench.peer;

import java.util.List;
import java.util.Map;

/**
 * What one peer measured, or why it did not run (then {@code reason} says so and the maps are
 * empty): its version and setup as the peer reports them, and per workload name the median
 * milliseconds per step, the compile time where the peer compiles (NaN otherwise) and the losses of
 * the agreement check (empty without one).
 */
public record PeerResult(String peer, boolean available, String reason, String version, String details,
                         String python, Map<String, Timing> workloads) {

    /** One workload's numbers from a peer. */
    public record Timing(double medianMs, double compileMs, List<Double> checkLosses) {}

    static PeerResult missing(String peer, String reason) {
        return new PeerResult(peer, false, reason, null, null, null, Map.of());
    }
}
