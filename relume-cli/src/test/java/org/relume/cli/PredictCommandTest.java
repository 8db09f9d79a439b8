package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Task;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Dense;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** relume predict on hand-built models, so that each row's outcome is known exactly. */
class PredictCommandTest {
    @TempDir
    Path tmp;

    /**
     * A binary 2-2-1 ReLU net: hidden units relu(x + y) and relu(-x - y), output h0 - h1, so the
     * logit is x + y; a row of two values near the float maximum overflows inside it.
     */
    private Path model(float[] mean, float[] std) throws IOException {
        Dense hidden = new Dense(Tensor.of(new float[] {1, 1, -1, -1}, 2, 2), Tensor.zeros(2), Activations.relu());
        Dense output = new Dense(Tensor.of(new float[] {1, -1}, 1, 2), Tensor.zeros(1), Activations.byName("identity"));
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, new Network(List.of(hidden, output)),
                new ModelMetadata(Task.BINARY, 2, "bce", mean, std, List.of("x", "y"), Map.of()));
        return dir;
    }

    private Path csv(String text) throws IOException {
        return Files.writeString(tmp.resolve("points.csv"), text);
    }

    @Test
    void finiteRowsPredictAsBefore() throws IOException {
        CliRun r = CliRun.of("predict", "--model", model(null, null).toString(), "--input", csv("x,y\n1,2\n-3,1\n").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("probability,prediction\n0.952574,1\n0.119203,0\n", r.out());
    }

    @Test
    void aRowThatOverflowsInTheStandardizationIsRefusedByNumber() throws IOException {
        // Issue 18: the finite row 3.4e38,3.4e38 printed "NaN,0" with exit 0.
        Path model = model(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.5f});
        Path points = csv("x,y\n1,2\n3.4e38,3.4e38\n");
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", points.toString());
        assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("", r.out(), "no predictions are printed when a row fails");
        assertEquals("relume: " + points + ": data row 2: feature 'x' = 3.4E38 overflows to infinity in the model's input"
                + " standardization (x - 0.5) / 0.5; expected values the model can scale\n", r.err());
    }

    @Test
    void aRowWhoseOutputIsNotFiniteIsRefusedByNumber() throws IOException {
        Path points = csv("1,2\n-1,-1\n3.4e38,3.4e38\n");
        CliRun r = CliRun.of("predict", "--model", model(null, null).toString(), "--input", points.toString());
        assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("relume: " + points + ": data row 3: the model's output is infinite"), r.err());
        assertFalse(r.err().strip().contains("\n"), "one line: " + r.err());
    }

    @Test
    void anInconsistentModelIsRefusedWithExitTwo() throws IOException {
        Path model = model(null, null);
        Path json = model.resolve(ModelFiles.ARCHITECTURE);
        Files.writeString(json, Files.readString(json).replace("\"classes\" : 2", "\"classes\" : 5"));
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", csv("1,2\n").toString());
        assertEquals(Relume.BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("relume: " + json + ": field 'classes' is 5 but task 'binary' has 2 classes\n", r.err());
    }
}
