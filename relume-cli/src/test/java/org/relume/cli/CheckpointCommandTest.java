package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

/**
 * relume train stopped as by Ctrl-C (the test hook stops it after a given step, where a signal
 * would), then resumed with --resume: the final weights are byte-identical to an uninterrupted run.
 */
class CheckpointCommandTest {
    @TempDir
    Path tmp;

    /** 85 moons in batches of 16: 6 steps an epoch, 60 in all; warm-up, cosine and early stopping. */
    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "moons:noise=0.1", "--width", "5", "--depth", "4",
                "--epochs", "10", "--batch-size", "16", "--schedule", "warmup:2+cosine", "--validate-every", "2",
                "--early-stop", "100", "--seed", "5", "--out", out.toString(), "-q"));
        a.addAll(List.of(extra));
        return a;
    }

    @AfterEach
    void noStop() {
        StopSignal.stopAtStepForTests = -1;
    }

    @Test
    void anInterruptedRunResumesToByteIdenticalWeights() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun w = CliRun.of(args(whole).toArray(new String[0]));
        assertEquals(0, w.exitCode(), w.toString());

        Path run = tmp.resolve("run");
        StopSignal.stopAtStepForTests = 29;
        CliRun stopped = CliRun.of(args(run, "--checkpoint-every", "2").toArray(new String[0]));
        assertEquals(Relume.INTERRUPTED, stopped.exitCode(), stopped.toString());
        assertEquals("relume: interrupted at epoch 5 of 10, batch 5 of 6; saved a checkpoint in " + run
                + "; continue with: relume train --resume " + run + "\n", stopped.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.json")));
        assertTrue(Files.isRegularFile(run.resolve("model.safetensors")), "a checkpoint is a usable model");
        StopSignal.stopAtStepForTests = -1;

        CliRun resumed = CliRun.of("train", "--resume", run.toString(), "-q");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.out().contains("resume   from " + run + ": epoch 5, after its batch 5 (step 29)"), resumed.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(run.resolve("model.safetensors")));
        assertFalse(Files.exists(run.resolve("checkpoint.json")), "a finished run holds no checkpoint");
        JsonNode summary = Json.MAPPER.readTree(Files.readString(run.resolve("summary.json")));
        assertEquals(Json.MAPPER.readTree(Files.readString(whole.resolve("summary.json"))).get("validation_accuracy"),
                summary.get("validation_accuracy"));
        assertEquals(60, summary.get("steps").asInt());
        assertTrue(summary.has("best_epoch"), summary.toString());
    }

    @Test
    void badCheckpointRequestsAreOneLineWithExitTwo() throws IOException {
        Path model = tmp.resolve("model");
        assertEquals(0, CliRun.of(args(model).toArray(new String[0])).exitCode());
        String[][] cases = {
            {"train", "--resume", model.toString()},
            {"train", "--resume", model.toString(), "--epochs", "5"},
            {"train", "--checkpoint-every", "3"},
            {"train", "--early-stop", "5", "--val-split", "0"},
        };
        String[] expected = {"holds no checkpoint", "give no other options (found --epochs)", "give --out DIR",
            "no validation data"};
        for (int i = 0; i < cases.length; i++) {
            CliRun r = CliRun.of(cases[i]);
            assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
            assertTrue(r.err().contains(expected[i]), r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
    }

    @Test
    void resumingOnChangedDataIsRefused() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 7).append(',').append(i % 5).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Path table = Files.writeString(tmp.resolve("table.csv"), sb.toString());
        Path run = tmp.resolve("run");
        StopSignal.stopAtStepForTests = 3;
        CliRun stopped = CliRun.of("train", "--data", "csv:" + table, "--epochs", "5", "--batch-size", "8", "--out",
                run.toString(), "-q");
        assertEquals(Relume.INTERRUPTED, stopped.exitCode(), stopped.toString());
        StopSignal.stopAtStepForTests = -1;
        Files.writeString(table, sb.toString().replace("\n6,", "\n5,"));
        CliRun resumed = CliRun.of("train", "--resume", run.toString());
        assertEquals(Relume.BAD_INPUT, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().startsWith("relume: the training data differ from the checkpoint's"), resumed.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.json")), "the checkpoint is kept for a resume on the right data");
    }
}
