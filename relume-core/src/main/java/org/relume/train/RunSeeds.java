package org.relume.train;

import java.util.SplittableRandom;

/**
 * How one user-facing seed fixes a run: the data split/shuffle uses the seed itself; the initial
 * weights and the batch order use two values drawn from {@code SplittableRandom(seed)}. Shared by
 * {@code relume train} and every experiment, so any cell of a sweep can be rerun alone.
 */
public record RunSeeds(long seed, long data, long init, long batches) {

    public static RunSeeds of(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long init = r.nextLong();
        long batches = r.nextLong();
        return new RunSeeds(seed, seed, init, batches);
    }
}
