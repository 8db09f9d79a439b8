package org.relume.tensor;

import java.util.Locale;

/**
 * A check before a large allocation: refuse with one line, saying what was asked and how much
 * memory it needs against how much the JVM has left, instead of an OutOfMemoryError with a stack
 * trace minutes into the work.
 */
public final class Memory {
    private Memory() {}

    /** The bytes the JVM can still allocate (its maximum heap less what is in use). */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Throws IllegalArgumentException if {@code bytes} (negative: overflowed) exceed what is available. */
    public static void require(String what, long bytes) {
        long free = available();
        if (bytes < 0 || bytes > free) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s needs %s of memory but the JVM has %s free (maximum heap %s; raise it with RELUME_JAVA_OPTS=-Xmx...)",
                    what, bytes < 0 ? "more than 8 EB" : human(bytes), human(free), human(Runtime.getRuntime().maxMemory())));
        }
    }

    /** Saturating product of non-negative factors, so an estimate cannot wrap around. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                return -1;
            }
            if (f != 0 && p > Long.MAX_VALUE / f) {
                return -1;
            }
            p *= f;
        }
        return p;
    }

    static String human(long bytes) {
        if (bytes < 1L << 20) {
            return (bytes >> 10) + " KB";
        }
        if (bytes < 1L << 30) {
            return (bytes >> 20) + " MB";
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
