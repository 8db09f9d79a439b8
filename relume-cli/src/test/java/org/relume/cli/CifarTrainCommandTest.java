package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** relume train on generated CIFAR binary files: the cifar: spec end to end, and a torn file. */
class CifarTrainCommandTest {
    @TempDir
    Path tmp;

    private Path cifar10(String name) throws IOException {
        return ImageDataFiles.cifar10Directory(tmp.resolve(name));
    }

    @Test
    void trainsOnACifar10DirectoryWithALimit() throws IOException {
        cifar10("good");
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("train", "--data", "cifar:" + tmp.resolve("good"), "--limit", "30", "--width", "8",
                "--depth", "1", "--epochs", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("30 train / 10 validation"), r.out());
        assertTrue(r.out().contains("3072-8-10"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("model.json")), r.toString());

        CliRun e = CliRun.of("evaluate", "--model", out.toString(), "--data", "cifar:" + tmp.resolve("good"), "--json");
        assertEquals(0, e.exitCode(), e.toString());
        assertTrue(e.out().contains("\"samples\" : 10"), "the 10 test records: " + e.out());
        assertTrue(e.out().contains("\"confusion_matrix\" : [ ["), e.out());
    }

    @Test
    void aTornRecordGivesOneLineNamingTheFileAndNoOutput() throws IOException {
        Path dir = cifar10("torn");
        Path batch = dir.resolve("data_batch_5.bin");
        Files.write(batch, Arrays.copyOf(ImageDataFiles.cifar10Records(3), 2 * 3073 + 10));
        Path out = tmp.resolve("never");
        CliRun r = CliRun.of("train", "--data", "cifar:" + dir, "--out", out.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.toString());
        assertTrue(r.err().contains(batch + " at byte 6146: truncated record 2"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out));
    }
}
