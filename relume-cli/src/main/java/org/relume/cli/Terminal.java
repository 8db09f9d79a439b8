package org.relume.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Whether standard error is a terminal, so that progress bars (carriage returns, escape codes) go
 * only where a person watches them. Java 17's System.console() is non-null when stdin and stdout
 * are terminals and says nothing of stderr: {@code relume train ... 2>log} filled the log with a
 * redrawn bar. On Linux /proc/self/fd/2 is a link to the file, pipe or device behind stderr; a
 * terminal is a /dev/pts/N or /dev/ttyX device. Elsewhere the console check is the fallback.
 */
final class Terminal {
    private Terminal() {}

    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    /** True when standard error is (most likely) a terminal. */
    static boolean stderrIsTerminal() {
        return linksToTerminal(STDERR_LINK, () -> System.console() != null);
    }

    /** Whether {@code fdLink} points to a terminal device; {@code fallback} when it cannot be read. */
    static boolean linksToTerminal(Path fdLink, BooleanSupplier fallback) {
        try {
            return isTerminalDevice(Files.readSymbolicLink(fdLink).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return fallback.getAsBoolean();
        }
    }

    /** A pseudo-terminal (/dev/pts/3), a virtual or serial console (/dev/tty1, /dev/ttyS0) or /dev/console. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.matches("/dev/tty[A-Za-z]*[0-9]+") || target.equals("/dev/tty")
                || target.equals("/dev/console");
    }
}
