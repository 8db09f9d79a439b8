package org.relume.io;

import java.nio.file.Path;

/**
 * A model file is malformed or truncated. Readers of Relume's model formats (safetensors and the
 * JSON architecture header) throw this instead of a bare parser error, so that the user learns which
 * file is wrong, what was expected there, what was found, and, where it helps, at which byte.
 *
 * <p>Message layout: {@code <file>: <problem>} or {@code <file> at byte <offset>: <problem>}.
 */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Kept as text too, because a Path is not serializable. */
    private final String fileName;
    private final transient Path file;
    private final long byteOffset;

    /** A problem with the file as a whole (its size, its overall structure). */
    public ModelFormatException(Path file, String problem) {
        this(file, -1, problem, null);
    }

    /** A problem at a known byte offset from the start of the file. */
    public ModelFormatException(Path file, long byteOffset, String problem) {
        this(file, byteOffset, problem, null);
    }

    /** As {@link #ModelFormatException(Path, long, String)}, with the underlying cause; offset -1 if unknown. */
    public ModelFormatException(Path file, long byteOffset, String problem, Throwable cause) {
        super(describe(file, byteOffset, problem), cause);
        this.file = file;
        this.fileName = String.valueOf(file);
        this.byteOffset = byteOffset;
    }

    private static String describe(Path file, long byteOffset, String problem) {
        return byteOffset >= 0 ? file + " at byte " + byteOffset + ": " + problem : file + ": " + problem;
    }

    /** The offending file. */
    public Path file() {
        return file != null ? file : Path.of(fileName);
    }

    /** The byte offset from the start of the file where the problem lies, or -1 if it has no single place. */
    public long byteOffset() {
        return byteOffset;
    }
}
