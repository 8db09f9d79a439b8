package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input cases of the reliability issue, each through the command line: one line on
 * stderr, the documented exit code, and nothing written where nothing should be.
 */
class ReliabilityCommandsTest {
    @TempDir
    Path tmp;

    private static void assertRefused(CliRun r, int exit, String fragment) {
        assertEquals(exit, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, "one line: " + r);
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r);
    }

    @Test
    void outputPathsAreCheckedBeforeAnyWork() throws IOException {
        Path file = tmp.resolve("existing.txt");
        Files.writeString(file, "keep me");
        long start = System.nanoTime();
        assertRefused(CliRun.of("train", "--epochs", "100000", "--out", file.toString()), 2, "is a file");
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "refused before training");
        assertEquals("keep me", Files.readString(file));
        assertRefused(CliRun.of("train", "--epochs", "1", "--out", ""), 2, "empty path");

        if (Files.isDirectory(Path.of("/sys"))) {
            // A file system where nothing can be created: refused up front with exit 2, not after training.
            assertRefused(CliRun.of("train", "--epochs", "100000", "--out", "/sys/relume-out"), 2, "cannot be written");
        }

        Path notes = tmp.resolve("notes");
        Files.createDirectories(notes);
        Files.writeString(notes.resolve("paper.tex"), "x");
        assertRefused(CliRun.of("train", "--epochs", "1", "--out", notes.toString()), 2, "paper.tex");
        assertEquals(List.of("paper.tex"), Files.list(notes).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void canonicalizeDoesNotWriteThroughALinkToItsSource() throws IOException {
        Path model = tmp.resolve("runs/m");
        assertEquals(0, CliRun.of("train", "--data", "moons", "--width", "4", "--depth", "1", "--epochs", "20",
                "--out", model.toString()).exitCode());
        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        Path link = tmp.resolve("runs/link");
        Files.createSymbolicLink(link, model);
        assertRefused(CliRun.of("canonicalize", "--model", model.toString(), "--rebalance", "--out", link.toString()),
                2, "the same directory as the input");
        assertRefused(CliRun.of("canonicalize", "--model", model.toString(), "--rebalance", "--out",
                model.resolve("inner").toString()), 2, "inside the input");
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(model.resolve("model.safetensors"))));
    }

    /** Found by a hostile test of this session's own features. */
    @Test
    void parserErrorsReproductionOutputsAndDataAreOneLine() throws IOException {
        assertRefused(CliRun.of("train", "--bogus"), 2, "Unknown option: '--bogus'; see 'relume train --help'");
        assertRefused(CliRun.of("train", "--conv"), 2, "--conv");
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        assertRefused(CliRun.of("reproduce", "opt-structures", "--quick", "--out", file.toString()), 2, "is a file");
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Path out = tmp.resolve("rc");
        assertRefused(CliRun.of("reproduce", "jumpstart-cifar", "--quick", "--data-dir", empty.toString(), "--out",
                out.toString()), 2, "CIFAR");
        assertFalse(Files.exists(out.resolve("results.csv")), "no failed cells recorded for a resume to keep");
        assertRefused(CliRun.of("train", "--data", "moons", "--depth", "2147483647", "--epochs", "1"), 2, "--depth is at most");
        assertRefused(CliRun.of("train", "--kernel", "5", "--epochs", "1"), 2, "--kernel applies to --conv");
    }

    @Test
    void impossibleSizesAndInputsAreRefusedWithoutAStackTrace() {
        assertRefused(CliRun.of("train", "--width", "200000", "--depth", "2", "--epochs", "1"), 2, "needs");
        assertRefused(CliRun.of("train", "--data", "moons:n=2000000000", "--epochs", "1"), 2, "needs");
        assertRefused(CliRun.of("train", "--data", "csv:/dev/zero", "--epochs", "1"), 2, "not a regular file");
        assertRefused(CliRun.of("train", "--batch-size", "-1", "--epochs", "1"), 2, "--batch-size");
    }

    @Test
    void sweepsRefuseBadFlagsAndDataBeforeWritingAndChangedSettingsOnResume() throws IOException {
        Path s = tmp.resolve("s");
        assertRefused(CliRun.of("sweep", "--widths", "2,2", "--depths", "1", "--epochs", "5", "--out", s.toString()),
                2, "twice");
        assertRefused(CliRun.of("sweep", "--widths", "2", "--depths", "1", "--threads", "0", "--epochs", "5",
                "--out", s.toString()), 2, "--threads");
        assertRefused(CliRun.of("sweep", "--widths", "2", "--depths", "1", "--data", "bogus", "--epochs", "5",
                "--out", s.toString()), 2, "bogus");
        assertFalse(Files.exists(s), "nothing written for refused sweeps");

        String[] first = {"sweep", "--widths", "2,3", "--depths", "1,2", "--seeds", "1", "--epochs", "30", "-q",
            "--out", s.toString()};
        assertEquals(0, CliRun.of(first).exitCode());
        List<String> rows = Files.readAllLines(s.resolve("results.csv"));
        assertTrue(rows.get(1).contains("\"data moons, Adam lr 0.01"), "settings quoted with their commas: " + rows.get(1));
        CliRun changed = CliRun.of("sweep", "--widths", "2,3", "--depths", "1,2", "--seeds", "1", "--epochs", "5",
                "--lr", "0.5", "-q", "--out", s.toString());
        assertRefused(changed, 2, "other settings");
        assertEquals(rows, Files.readAllLines(s.resolve("results.csv")), "results.csv untouched");
        CliRun same = CliRun.of(first);
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().contains("0 new cells (8 resumed)"), same.out());
    }
}
