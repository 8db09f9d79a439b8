package org.relume.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run trains: the first asks it to save a checkpoint after the
 * current batch and exit 130; a second one ends the process at once, with the same code, for a
 * run that is busy elsewhere (a long evaluation). Handlers are installed only for the training
 * loop and restored after, so that Ctrl-C while data load still ends the process as usual.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is the JDK's only way to handle a signal without the
 * JVM shutting down; a shutdown hook could save, but not choose the exit code. It is reached by
 * reflection so that the build stays free of "internal proprietary API" warnings, and where it is
 * missing the signals keep their default effect (the process ends, without a checkpoint).
 */
final class StopSignal implements AutoCloseable {
    /** Tests stop a run after this many steps, as if Ctrl-C came then (-1: never). */
    static volatile long stopAtStepForTests = -1;

    private volatile boolean raised;
    private final List<Object[]> installed = new ArrayList<>();

    private StopSignal() {}

    /** Installs the handlers; a platform without one of the signals just goes without it. */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(StopSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            s.raise();
                        }
                        return null;
                    });
            for (String name : new String[] {"INT", "TERM"}) {
                s.handle(handle, signalClass, name, handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no sun.misc.Signal here: Ctrl-C ends the process as usual
        }
        return s;
    }

    private void handle(Method handle, Class<?> signalClass, String name, Object handler) {
        try {
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object previous = handle.invoke(null, signal, handler);
            installed.add(new Object[] {handle, signal, previous});
        } catch (ReflectiveOperationException | RuntimeException e) {
            // this signal is not available (or the JVM keeps it): its default effect stays
        }
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
        for (Object[] i : installed) {
            try {
                ((Method) i[0]).invoke(null, i[1], i[2]);
            } catch (ReflectiveOperationException e) {
                // the previous handler could not be put back; the process ends soon after a run anyway
            }
        }
        installed.clear();
    }
}
