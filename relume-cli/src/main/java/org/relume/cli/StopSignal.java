package org.relume.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run trains: the first asks it to save a checkpoint after the
 * current batch and exit 130; a second one ends the process at once, with the same code, for a
 * run that is busy elsewhere (a long evaluation). Handlers are installed only for the training
 * loop and restored after, so that Ctrl-C while data load still ends the process as usual.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is the JDK's only way to handle a signal without
 * the JVM shutting down; a shutdown hook could save, but not choose the exit code.
 */
final class StopSignal implements AutoCloseable {
    /** Tests stop a run after this many steps, as if Ctrl-C came then (-1: never). */
    static volatile long stopAtStepForTests = -1;

    private volatile boolean raised;
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignal() {}

    /** Installs the handlers; a platform without one of the signals just goes without it. */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                s.previous.add(Signal.handle(signal, sig -> s.raise()));
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // not available here (or claimed by the JVM): the default behaviour stays
            }
        }
        return s;
    }

    private void raise() {
        if (raised) {
            Runtime.getRuntime().halt(Relume.INTERRUPTED);
        }
        raised = true;
    }

    /** True once a stop was asked for (or the test step was reached). */
    boolean raised(long steps) {
        return raised || steps == stopAtStepForTests;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
        signals.clear();
    }
}
