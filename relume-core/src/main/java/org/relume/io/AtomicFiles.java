package org.relume.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader never sees a half-written one: the content goes to a temporary
 * file in the target's directory ({@code .<name>.tmp<random>}), which is flushed, forced to disk
 * (fsync) and then renamed over the target in one atomic step. A crash, a full disk or an exception
 * thrown by the writer leaves the target exactly as it was and removes the temporary file.
 *
 * <p>The temporary file lives in the same directory because a rename is only atomic within one file
 * system. Where the file system cannot move atomically, the move falls back to
 * {@code REPLACE_EXISTING}, which on common systems is still a single rename.
 *
 * <p>Relume writes models, checkpoints and result tables through this class (DESIGN.md: "nothing
 * half-written is left behind").
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final int NAME_ATTEMPTS = 16;

    private AtomicFiles() {
    }

    /** Writes the whole content of a file to the stream it is given. */
    @FunctionalInterface
    public interface IoWriter {
        /**
         * @param out the temporary file's stream, buffered; closing it is allowed and harmless, the
         *            caller flushes, forces and closes it. Modified.
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code body} writes, atomically. Missing parent directories are
     * created. On any failure (from {@code body}, the disk or the move) the temporary file is deleted,
     * the target is left untouched and the failure is rethrown. A symbolic link at {@code target} is
     * replaced by the new file, not followed.
     *
     * @param target the file to create or replace. Not modified unless the whole write succeeds.
     * @param body   writes the content; called exactly once.
     * @throws IOException if the target is a directory, or writing, forcing or moving fails
     */
    public static void write(Path target, IoWriter body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path absolute = target.toAbsolutePath();
        Path name = absolute.getFileName();
        Path dir = absolute.getParent();
        if (name == null || dir == null) {
            throw new IOException("cannot write " + target + ": it names no file");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        Files.createDirectories(dir);

        Path temp = null;
        FileChannel channel = null;
        try {
            temp = createTemp(dir, name.toString());
            channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            BufferedOutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
            body.write(new UnclosableStream(buffered));
            buffered.flush();
            channel.force(true);
            channel.close();
            channel = null;
            moveIntoPlace(temp, absolute);
            temp = null;
        } catch (Throwable t) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
        forceDirectory(dir);
    }

    /** Replaces {@code target} with {@code text} encoded as UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code target} with {@code bytes}, atomically. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Creates a new, empty temporary file next to the target. Not {@code Files.createTempFile}: that
     * gives mode 600 on POSIX systems, and the renamed file would keep it; a plain create honours the
     * umask like any other new file.
     */
    private static Path createTemp(Path dir, String targetName) throws IOException {
        FileAlreadyExistsException last = null;
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path temp = dir.resolve("." + targetName + ".tmp" + suffix);
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                last = e;
            }
        }
        throw new IOException("could not create a temporary file for " + dir.resolve(targetName) + " after "
                + NAME_ATTEMPTS + " attempts", last);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Forces the directory entry of the rename to disk, so the new file survives a power cut. Best
     * effort: some systems (Windows) cannot open a directory as a channel, and the file itself is
     * already complete and in place.
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the write has succeeded; only its durability across a crash is weaker here
        }
    }

    /** Passes writes through; close() only flushes, so a body that closes its stream does no harm. */
    private static final class UnclosableStream extends OutputStream {
        private final OutputStream out;

        UnclosableStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
