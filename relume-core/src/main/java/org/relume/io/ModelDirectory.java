package org.relume.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model directory changes from one complete state to the next, never to a mix of old and new
 * files, even under {@code kill -9}. Everything a command writes there (model, metrics, summary,
 * figures) is first written into a staging sibling {@code .<name>.relume-new}; then the old
 * directory is renamed to {@code .<name>.relume-old}, the staging directory to the real name, and
 * the old one is deleted. Each rename is atomic, so a kill leaves one of three states:
 * <ul>
 *   <li>the old directory in place (with perhaps an incomplete staging sibling): the old model;</li>
 *   <li>no directory, but complete old and new siblings (killed between the two renames):
 *       {@link #readable} reads the new one, and the next save finishes the swap;</li>
 *   <li>the new directory in place (with perhaps a half-deleted old sibling): the new model.</li>
 * </ul>
 * Leftovers of a killed save are removed by the next save into the same directory.
 */
public final class ModelDirectory {
    private ModelDirectory() {}

    /** The names Relume writes into a model directory; anything else there is the user's. */
    public static final Set<String> KNOWN_FILES = Set.of("model.safetensors", "model.json", "metrics.csv",
            "summary.json", "curves.png", "curves.svg", "growth.csv", "growth.png", "growth.svg", "folds.png", "folds.svg", "canonicalize.json",
            "fit.png", "fit.svg", "waves.png", "waves.svg", "analysis.json", "regions.png", "regions.svg", "checkpoint.json",
            "checkpoint.safetensors");

    /** Writes the directory's whole content into the staging directory it is given. */
    @FunctionalInterface
    public interface Contents {
        void write(Path staging) throws IOException;
    }

    /** Replaces {@code dir} with what {@code contents} writes, as one step (see the class comment). */
    public static void replace(Path dir, Contents contents) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new IOException("cannot write a model directory at " + dir);
        }
        Files.createDirectories(parent);
        recover(target);
        Path staging = sibling(target, "new");
        Path old = sibling(target, "old");
        Files.createDirectory(staging);
        try {
            contents.write(staging);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(staging, e);
            throw e;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
    }

    /**
     * The directory to read for {@code dir}: itself, or, after a save killed between its two renames,
     * the complete new model beside it.
     */
    public static Path readable(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && target.getParent() != null) {
            Path staging = sibling(target, "new");
            if (Files.isDirectory(staging) && Files.isDirectory(sibling(target, "old"))) {
                return staging;
            }
        }
        return dir;
    }

    /**
     * Checks, before any work starts, that {@code out} can take a model directory: not a file, not
     * the same as or inside (or around) any of {@code inputs} by real path, and holding nothing but
     * files Relume writes there. Throws IllegalArgumentException with one line.
     */
    public static void checkOutput(Path out, Path... inputs) {
        if (out.toString().isBlank()) {
            throw new IllegalArgumentException("--out must name a directory, got an empty path");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a directory (new or a model directory)");
        }
        Path real = realOrAbsolute(out);
        for (Path in : inputs) {
            Path inReal = realOrAbsolute(in);
            if (real.startsWith(inReal) || inReal.startsWith(real)) {
                throw new IllegalArgumentException("--out " + out + " is " + (real.equals(inReal) ? "the same directory as"
                        : real.startsWith(inReal) ? "inside" : "around") + " the input " + in
                        + " (by real path); write the result somewhere else");
            }
        }
        requireCreatable(out);
        if (Files.isDirectory(out)) {
            List<String> foreign = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(out)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (!KNOWN_FILES.contains(name) && !name.startsWith(".")) {
                        foreign.add(name);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + out + " cannot be read: " + e.getMessage());
            }
            if (!foreign.isEmpty()) {
                foreign.sort(null);
                throw new IllegalArgumentException("--out " + out + " holds files that are not part of a Relume model ("
                        + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                        + (foreign.size() > 3 ? ", ..." : "") + "); saving would replace them, so choose a new or empty directory");
            }
        }
    }

    /**
     * Creates and removes a probe directory where the save will stage its files, so a read-only or
     * special file system (/sys, /proc, a full disk) is refused now rather than after training.
     */
    private static void requireCreatable(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        Path existing = abs.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out " + out + " cannot be created: " + existing + " is not a directory");
        }
        Path probe = existing.resolve("." + abs.getFileName() + ".relume-probe");
        try {
            Files.deleteIfExists(probe);
            Files.createDirectory(probe);
            Files.delete(probe);
        } catch (IOException e) {
            String why = e.getMessage() == null ? "" : e.getMessage().replace(probe.toString(), "").replace(": ", "").trim();
            if (why.isEmpty() || why.equals(existing.toString())) {
                why = e.getClass().getSimpleName();
            }
            throw new IllegalArgumentException("--out " + out + " cannot be written: creating a directory in " + existing
                    + " failed (" + why + ")");
        }
    }

    /** Finishes a swap killed between its renames, then removes what killed saves left behind. */
    private static void recover(Path target) throws IOException {
        Path staging = sibling(target, "new");
        Path old = sibling(target, "old");
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(staging) && Files.isDirectory(old)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
        deleteRecursively(staging);
        deleteRecursively(old);
    }

    private static Path sibling(Path target, String role) {
        return target.resolveSibling("." + target.getFileName() + ".relume-" + role);
    }

    private static Path realOrAbsolute(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        // The nearest existing ancestor's real path, plus the rest: a not-yet-existing --out still
        // resolves symbolic links above it.
        Path existing = abs;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing)) {
            rest.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path r = existing.toRealPath();
            for (Path part : rest) {
                r = r.resolve(part);
            }
            return r;
        } catch (IOException e) {
            return abs;
        }
    }

    private static void deleteQuietly(Path dir, Throwable cause) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Deletes a directory tree without following symbolic links; absent is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
