package org.relume.train;

import java.util.List;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * A term added to the task loss, computed on the tape so its gradient flows with the rest. It may
 * read the current batch's preactivations (jumpstart, REFERENCES.md §1) or the parameters directly
 * (balance and redundancy penalties, REFERENCES.md §5). The trainer adds whatever this returns and
 * logs its value under {@link #name()}; it knows nothing else about it.
 */
public interface Regularizer {

    /** Column name for the logged value, e.g. {@code jumpstart}. */
    String name();

    /** Whether {@link #penalty} reads preactivations (the trainer only collects them if someone does). */
    default boolean needsPreactivations() {
        return false;
    }

    /**
     * The weighted penalty (already multiplied by its coefficient) as a scalar on the tape.
     *
     * @param preactivations this batch's preactivations, layer by layer (the output layer last);
     *                       empty unless {@link #needsPreactivations()}
     */
    Var penalty(Tape tape, List<Preactivation> preactivations, Network network);

    /** A one-line description of the configuration for logs and reports. */
    String describe();
}
