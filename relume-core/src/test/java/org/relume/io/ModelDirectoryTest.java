package org.relume.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Task;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * A model directory changes as a unit: the states a killed save can leave all read as the old or
 * the new model, leftovers are cleaned by the next save, and unsafe output paths are refused
 * before any work.
 */
class ModelDirectoryTest {
    @TempDir
    Path tmp;

    static final ModelMetadata META = new ModelMetadata(Task.REGRESSION, 0, "mse", null, null, List.of("a", "b"),
            Map.of());

    /** Model {@code id}: distinct weights per id, wide enough that a save takes a while. */
    static Network model(int id) {
        return Mlp.builder().inputs(2).hidden(400, 400).outputs(1).activation(Activations.relu())
                .init(Initializer.GLOROT_UNIFORM).seed(id).build();
    }

    @Test
    void everyStateOfAKilledSaveReadsAsOldOrNew() throws IOException {
        Path dir = tmp.resolve("m");
        ModelFiles.save(dir, model(1), META);
        Path staging = tmp.resolve(".m.relume-new");
        Path old = tmp.resolve(".m.relume-old");

        // Killed while writing the new model: the old one is read; the next save cleans up.
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("model.json"), "{ half");
        assertPredicts(dir, 1);

        // Killed between the two renames: no directory, complete old and new beside it.
        ModelFiles.write(staging, model(2), META);
        Files.move(dir, old);
        assertPredicts(dir, 2);
        ModelFiles.save(dir, model(3), META);
        assertPredicts(dir, 3);
        assertFalse(Files.exists(staging) || Files.exists(old), "leftovers removed");

        // Killed while deleting the old model: the new one is in place.
        Files.createDirectories(old);
        Files.writeString(old.resolve("model.json"), "stale");
        assertPredicts(dir, 3);
        ModelFiles.save(dir, model(4), META);
        assertFalse(Files.exists(old));
        assertPredicts(dir, 4);
    }

    @Test
    void unsafeOutputsAreRefusedWithOneLine() throws IOException {
        Path model = tmp.resolve("runs/m");
        ModelFiles.save(model, model(1), META);
        Path link = tmp.resolve("runs/link");
        Files.createSymbolicLink(link, model);
        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "x");
        Path foreign = tmp.resolve("notes");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("thesis.tex"), "x");

        assertTrue(message(link, model).contains("the same directory as the input"));
        assertTrue(message(model.resolve("sub"), model).contains("inside the input"));
        assertTrue(message(tmp.resolve("runs"), model).contains("around the input"));
        assertTrue(message(file).contains("is a file"));
        assertTrue(message(Path.of("")).contains("empty path"));
        assertTrue(message(foreign).contains("thesis.tex"));
        ModelDirectory.checkOutput(model);
        ModelDirectory.checkOutput(tmp.resolve("new/dir"), model);
    }

    /** A child JVM saving models 1 and 2 in turn is killed at random moments, 12 times. */
    @Test
    void killMinus9DuringSavesNeverLeavesAMix() throws Exception {
        Path dir = tmp.resolve("crash");
        ModelFiles.save(dir, model(1), META);
        SplittableRandom r = new SplittableRandom(9);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 12; round++) {
            Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                    System.getProperty("java.class.path"), SavingChild.class.getName(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(600 + r.nextInt(900));
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            int id = loadedId(dir);
            assertTrue(id == 1 || id == 2, "round " + round + ": read model " + id);
        }
    }

    /** Saves model 1 and model 2 alternately, forever, each with a metrics.csv naming it. */
    public static final class SavingChild {
        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            Network[] models = {model(1), model(2)};
            for (int i = 0; ; i++) {
                int id = 1 + i % 2;
                ModelDirectory.replace(dir, staging -> {
                    ModelFiles.write(staging, models[id - 1], META);
                    AtomicFiles.writeString(staging.resolve("metrics.csv"), "model\n" + id + "\n");
                });
            }
        }
    }

    /** Which model the directory holds; fails if the weights and metrics.csv disagree. */
    private static int loadedId(Path dir) throws IOException {
        Network net = ModelFiles.load(dir).network();
        Path readable = ModelDirectory.readable(dir);
        int id = predicts(net, 1) ? 1 : predicts(net, 2) ? 2 : -1;
        Path metrics = readable.resolve("metrics.csv");
        if (Files.exists(metrics)) {
            assertEquals("model\n" + id + "\n", Files.readString(metrics), "metrics.csv belongs to the saved model");
        }
        return id;
    }

    private static boolean predicts(Network net, int id) {
        Tensor x = Tensor.wrap(new float[] {0.3f, -0.7f, 1.1f, 0.2f}, 2, 2);
        return net.predict(x).identical(model(id).predict(x));
    }

    private static void assertPredicts(Path dir, int id) throws IOException {
        assertTrue(predicts(ModelFiles.load(dir).network(), id), "expected model " + id);
    }

    private static String message(Path out, Path... inputs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.checkOutput(out, inputs));
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }
}
