package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * relume export and import end to end: a trained classifier, a regressor (both standardizing
 * their inputs) and a CNN with batch norm and pooling run in ONNX Runtime with the outputs relume
 * predict prints (to 1e-5); a model exported and imported back predicts exactly as before.
 */
class ExportImportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aClassifierRunsInOnnxRuntimeAsPredictAndComesBackIdentical() throws Exception {
        StringBuilder sb = new StringBuilder("id,length,width,species\n");
        SplittableRandom r = new SplittableRandom(3);
        String[] species = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 45; i++) {
            sb.append(String.format(Locale.ROOT, "row%d,%.3f,%.3f,%s%n", i, 3 * (i % 3) + r.nextDouble(), 5 * r.nextDouble(),
                    species[i % 3]));
        }
        Path table = Files.writeString(tmp.resolve("iris.csv"), sb.toString());
        Path model = train("csv:" + table, "--label", "species", "--drop", "id", "--width", "5", "--depth", "2");
        Path onnx = export(model);
        float[][] rows = columns(table, 1, 2);
        String predicted = predict(model, table);
        assertClose(predicted, 1, run(onnx, rows).get("probabilities"));

        Path imported = tmp.resolve("imported");
        CliRun i = CliRun.of("import", "--from", "onnx", onnx.toString(), "--out", imported.toString());
        assertEquals(0, i.exitCode(), i.toString());
        assertTrue(i.out().startsWith("imported " + onnx + " into " + imported + ": 2-5-5-3"), i.out());
        assertEquals(predicted, predict(imported, table), "the imported model predicts exactly as the original");
        CliRun info = CliRun.of("info", "--model", imported.toString());
        assertTrue(info.out().contains("classes      [setosa, versicolor, virginica]") && info.out().contains("command      import"),
                info.out());
    }

    /** An imported model fine-tuned with jumpstart: same architecture, its own standardization, wrong fits refused. */
    @Test
    void anImportedModelFineTunesWithJumpstart() throws Exception {
        StringBuilder sb = new StringBuilder("length,width,species\n");
        SplittableRandom r = new SplittableRandom(4);
        String[] species = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 60; i++) {
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%s%n", 3 * (i % 3) + r.nextDouble(), 5 * r.nextDouble(),
                    species[i % 3]));
        }
        Path table = Files.writeString(tmp.resolve("tune.csv"), sb.toString());
        Path model = train("csv:" + table, "--label", "species", "--width", "4", "--depth", "3");
        Path imported = tmp.resolve("tune-imported");
        assertEquals(0, CliRun.of("import", "--from", "onnx", export(model).toString(), "--out", imported.toString()).exitCode());
        Path tuned = tmp.resolve("tuned");
        CliRun t = CliRun.of("train", "--data", "csv:" + table, "--label", "species", "--init-from", imported.toString(),
                "--jumpstart", "l1", "--lambda", "1e-3", "--epochs", "300", "--out", tuned.toString());
        assertEquals(0, t.exitCode(), t.toString());
        assertTrue(t.out().contains("weights from " + imported), t.out());
        com.fasterxml.jackson.databind.JsonNode before = org.relume.io.Json.MAPPER.readTree(imported.resolve("model.json").toFile());
        com.fasterxml.jackson.databind.JsonNode after = org.relume.io.Json.MAPPER.readTree(tuned.resolve("model.json").toFile());
        assertEquals(before.get("architecture"), after.get("architecture"));
        assertEquals(before.get("input_standardization"), after.get("input_standardization"), "the model's own statistics");
        assertTrue(t.out().contains("validation accuracy 1.0000") || t.out().contains("validation accuracy 0.9"), t.out());
        CliRun width = CliRun.of("train", "--data", "csv:" + table, "--label", "species", "--init-from", imported.toString(),
                "--width", "8");
        assertEquals(2, width.exitCode(), width.toString());
        assertTrue(width.err().contains("--width does not combine with --init-from"), width.err());
        CliRun moons = CliRun.of("train", "--data", "moons", "--init-from", imported.toString());
        assertEquals(2, moons.exitCode(), moons.toString());
        assertEquals(1, moons.err().strip().split("\n").length, moons.err());
        // The same columns in another order would feed the weights the wrong inputs.
        StringBuilder swapped = new StringBuilder("width,length,species\n");
        for (String line : sb.toString().split("\n")) {
            String[] f = line.split(",");
            if (!f[0].equals("length")) {
                swapped.append(f[1]).append(',').append(f[0]).append(',').append(f[2]).append('\n');
            }
        }
        Path reordered = Files.writeString(tmp.resolve("swapped.csv"), swapped.toString());
        CliRun order = CliRun.of("train", "--data", "csv:" + reordered, "--label", "species", "--init-from",
                imported.toString(), "--epochs", "5");
        assertEquals(2, order.exitCode(), order.toString());
        assertTrue(order.err().contains("--features length,width"), order.err());
    }

    /** A saved one-hidden-layer classifier grows by folding when it is fine-tuned: the saved net is checked, not --depth. */
    @Test
    void aSavedModelGrowsByFoldingWhenFineTuned() throws Exception {
        Path model = tmp.resolve("narrow");
        CliRun t = CliRun.of("train", "--data", "moons", "--width", "2", "--depth", "1", "--epochs", "200", "-q", "--out",
                model.toString());
        assertEquals(0, t.exitCode(), t.toString());
        CliRun grown = CliRun.of("train", "--data", "moons", "--init-from", model.toString(), "--grow", "folding:every=50,times=1",
                "--epochs", "200", "-q", "--out", tmp.resolve("folded").toString());
        assertEquals(0, grown.exitCode(), grown.toString());
        assertTrue(grown.out().contains("2-3-1") || grown.out().contains("2-3-2"), grown.out());
    }

    @Test
    void aRegressorWithStandardizationRunsAsPredict() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,y\n");
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            double a = 100 + 20 * r.nextDouble();
            double b = r.nextDouble() / 10;
            sb.append(String.format(Locale.ROOT, "%.4f,%.5f,%.4f%n", a, b, a / 100 + 10 * b));
        }
        Path table = Files.writeString(tmp.resolve("reg.csv"), sb.toString());
        Path model = train("csv:" + table, "--label", "y", "--task", "regression", "--width", "4", "--depth", "2");
        assertTrue(Files.readString(model.resolve("model.json")).contains("\"input_standardization\""), "the CSV model standardizes");
        float[][] onnx = run(export(model), columns(table, 0, 1)).get("output");
        assertClose(predict(model, table), 0, onnx);
    }

    @Test
    void aCnnWithBatchNormAndPoolingRunsAsPredict() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 36; p++) {
            sb.append('p').append(p).append(',');
        }
        sb.append("label\n");
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 24; i++) {
            for (int p = 0; p < 36; p++) {
                sb.append(String.format(Locale.ROOT, "%.3f,", r.nextDouble() + (p % 6 < 3 == (i % 2 == 0) ? 1 : 0)));
            }
            sb.append(i % 2 == 0 ? "left" : "right").append('\n');
        }
        Path table = Files.writeString(tmp.resolve("images.csv"), sb.toString());
        Path model = train("csv:" + table, "--label", "label", "--conv", "3x2", "--image", "1x6x6", "--batchnorm", "--pool",
                "max", "--head", "gap+gmp");
        int[] pixels = new int[36];
        for (int p = 0; p < 36; p++) {
            pixels[p] = p;
        }
        assertClose(predict(model, table), 1, run(export(model), columns(table, pixels)).get("probabilities"));
    }

    @Test
    void badOutputAndUnsupportedGraphsAreRefusedInOneLine() throws Exception {
        Path model = train("moons", "--width", "3", "--depth", "2");
        CliRun dir = CliRun.of("export", "--model", model.toString(), "--out", tmp.toString());
        assertEquals(Relume.BAD_INPUT, dir.exitCode(), dir.toString());
        assertEquals("relume: --out " + tmp + " is a directory; give a file such as model.onnx\n", dir.err());
        CliRun inside = CliRun.of("export", "--model", model.toString(), "--out", model.resolve("m.onnx").toString());
        assertEquals(Relume.BAD_INPUT, inside.exitCode(), inside.toString());
        assertTrue(inside.err().contains("is inside the model directory"), inside.err());
        CliRun format = CliRun.of("export", "--model", model.toString(), "--format", "tflite", "--out", "x.tflite");
        assertEquals(Relume.BAD_INPUT, format.exitCode(), format.toString());
        Path onnx = export(model);
        Path garbage = Files.writeString(tmp.resolve("garbage.onnx"), "not protobuf \u00ff\u00fe");
        CliRun bad = CliRun.of("import", "--from", "onnx", garbage.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(Relume.BAD_INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().startsWith("relume: " + garbage + ": not an ONNX model") && bad.err().strip().lines().count() == 1,
                bad.err());
        CliRun ok = CliRun.of("import", "--from", "onnx", onnx.toString(), "--out", tmp.resolve("moons2").toString());
        assertEquals(0, ok.exitCode(), ok.toString());
    }

    private Path train(String data, String... options) {
        Path out = tmp.resolve("model-" + Math.abs(data.hashCode() % 1000) + "-" + options.length);
        String[] args = new String[options.length + 8];
        String[] head = {"train", "--data", data, "--epochs", "30", "--quiet", "--out", out.toString()};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(options, 0, args, head.length, options.length);
        CliRun t = CliRun.of(args);
        assertEquals(0, t.exitCode(), t.toString());
        return out;
    }

    private Path export(Path model) {
        Path file = tmp.resolve(model.getFileName() + ".onnx");
        CliRun e = CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--out", file.toString());
        assertEquals(0, e.exitCode(), e.toString());
        assertTrue(e.out().startsWith("wrote " + file + ": ONNX opset 17, IR version 8") && e.out().contains("input  input float [N, "),
                e.out());
        return file;
    }

    private static String predict(Path model, Path table) {
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--input", table.toString());
        assertEquals(0, p.exitCode(), p.toString());
        return p.out();
    }

    /** The given columns of a CSV with a header, as float rows. */
    private static float[][] columns(Path table, int... columns) throws IOException {
        var lines = Files.readAllLines(table);
        float[][] rows = new float[lines.size() - 1][columns.length];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int j = 0; j < columns.length; j++) {
                rows[i - 1][j] = Float.parseFloat(cells[columns[j]]);
            }
        }
        return rows;
    }

    private static Map<String, float[][]> run(Path onnx, float[][] rows) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(onnx.toString(), o);
             OnnxTensor x = OnnxTensor.createTensor(env, rows);
             OrtSession.Result r = s.run(Map.of("input", x))) {
            Map<String, float[][]> out = new java.util.HashMap<>();
            r.forEach(e -> {
                try {
                    out.put(e.getKey(), (float[][]) e.getValue().getValue());
                } catch (ai.onnxruntime.OrtException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            return out;
        }
    }

    /** predict's numeric columns from {@code first} on against ONNX Runtime's rows, to 1e-5. */
    private static void assertClose(String predicted, int first, float[][] onnx) {
        String[] lines = predicted.split("\n");
        assertEquals(onnx.length + 1, lines.length, predicted);
        double worst = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertEquals(cells.length - first, onnx[i - 1].length, lines[i]);
            for (int j = first; j < cells.length; j++) {
                worst = Math.max(worst, Math.abs(Double.parseDouble(cells[j]) - onnx[i - 1][j - first]));
            }
        }
        assertTrue(worst <= 1e-5, "ONNX Runtime differs from relume predict by " + worst);
    }
}
