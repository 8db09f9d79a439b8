package org.relume.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: complete files or none, never a half-written target or a stray temp file. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesThenReplacesLeavingOnlyTheTarget() throws IOException {
        Path target = dir.resolve("results.csv");
        AtomicFiles.writeString(target, "a,b\n1,2\n");
        assertEquals("a,b\n1,2\n", Files.readString(target));

        AtomicFiles.writeString(target, "π ≈ 3.14159\n");
        assertArrayEquals("π ≈ 3.14159\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals(List.of("results.csv"), names(dir));
    }

    @Test
    void writeBytesIsExactAndCreatesMissingParents() throws IOException {
        Path target = dir.resolve("runs").resolve("seed-7").resolve("model.bin");
        byte[] bytes = {0, -1, 127, -128, 10, 13};
        AtomicFiles.writeBytes(target, bytes);
        assertArrayEquals(bytes, Files.readAllBytes(target));
    }

    @Test
    void writesThroughAHiddenTempFileNextToTheTarget() throws IOException {
        Path target = dir.resolve("model.bin");
        List<String> seenDuringWrite = new ArrayList<>();
        AtomicFiles.write(target, out -> {
            out.write(new byte[] {1, 2, 3});
            seenDuringWrite.addAll(names(dir));
        });
        assertEquals(1, seenDuringWrite.size(), seenDuringWrite.toString());
        assertTrue(seenDuringWrite.get(0).startsWith(".model.bin.tmp"), seenDuringWrite.toString());
        assertEquals(List.of("model.bin"), names(dir));
    }

    @Test
    void aBodyThatClosesItsStreamDoesNoHarm() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            out.write("done".getBytes(StandardCharsets.US_ASCII));
            out.close();
        });
        assertEquals("done", Files.readString(target));
    }

    @Test
    void aBodyThatThrowsMidwayLeavesNoTargetAndNoTempFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        IOException failure = new IOException("disk full (simulated)");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // more than the stream buffers, so bytes reach the temp file
            throw failure;
        }));
        assertSame(failure, thrown);
        assertTrue(Files.notExists(target));
        assertEquals(List.of(), names(dir));
    }

    @Test
    void anExistingTargetIsUnchangedWhenTheReplacementFails() throws IOException {
        Path target = dir.resolve("model.safetensors");
        byte[] original = {9, 8, 7, 6, 5, 4, 3, 2, 1};
        Files.write(target, original);

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write(new byte[200_000]);
                    out.flush();
                    throw new IllegalStateException("NaN in layer 3 (simulated)");
                }));
        assertEquals("NaN in layer 3 (simulated)", thrown.getMessage());
        assertArrayEquals(original, Files.readAllBytes(target));
        assertEquals(List.of("model.safetensors"), names(dir));

        assertThrows(StackOverflowError.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new StackOverflowError("simulated");
        }));
        assertArrayEquals(original, Files.readAllBytes(target));
        assertEquals(List.of("model.safetensors"), names(dir));
    }

    @Test
    void refusesToReplaceADirectory() throws IOException {
        Path target = dir.resolve("out");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "keep");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("directory"), e.getMessage());
        assertEquals("keep", Files.readString(target.resolve("keep.txt")));
        assertEquals(List.of("out"), names(dir));
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
