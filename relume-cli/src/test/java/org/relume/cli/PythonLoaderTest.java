package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python/relume_torch.py loads model directories into PyTorch and gives what relume predict prints,
 * to 1e-5: class names and probabilities, or regression outputs. It runs where a Python with torch
 * is found (RELUME_PYTHON, else bench/.venv/bin/python of this checkout) and is skipped, saying so,
 * elsewhere.
 */
class PythonLoaderTest {
    private static Path python;
    private static Path module;
    private static String skipReason;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findPython() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("python/relume_torch.py"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "python/relume_torch.py not found above " + Path.of("").toAbsolutePath());
        module = root.resolve("python");
        String env = System.getenv("RELUME_PYTHON");
        Path candidate = env != null && !env.isBlank() ? Path.of(env) : root.resolve("bench/.venv/bin/python");
        if (!Files.isExecutable(candidate)) {
            skipReason = "skipped: no Python with torch (set RELUME_PYTHON, or run bench/install-peers.sh to create"
                    + " bench/.venv); looked for " + candidate;
            return;
        }
        Process p = new ProcessBuilder(candidate.toString(), "-c", "import torch").redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done || p.exitValue() != 0) {
            skipReason = "skipped: " + candidate + " cannot import torch";
            return;
        }
        python = candidate;
    }

    @Test
    void classifierRegressorAndCnnPredictAsRelumeDoes() throws Exception {
        Assumptions.assumeTrue(python != null, skipReason);
        SplittableRandom r = new SplittableRandom(11);
        StringBuilder iris = new StringBuilder("length,width,species\n");
        StringBuilder reg = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 36; i++) {
            iris.append(String.format(Locale.ROOT, "%.3f,%.3f,%s%n", 3 * (i % 3) + r.nextDouble(), 4 * r.nextDouble(),
                    List.of("setosa", "versicolor", "virginica").get(i % 3)));
            double a = 50 + 10 * r.nextDouble();
            reg.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", a, r.nextDouble(), a / 50 - r.nextDouble()));
        }
        check(Files.writeString(tmp.resolve("iris.csv"), iris.toString()), 2, "--label", "species", "--width", "4", "--depth", "2");
        check(Files.writeString(tmp.resolve("reg.csv"), reg.toString()), 2, "--label", "y", "--task", "regression");
        StringBuilder images = new StringBuilder();
        for (int p = 0; p < 25; p++) {
            images.append('p').append(p).append(',');
        }
        images.append("label\n");
        for (int i = 0; i < 20; i++) {
            for (int p = 0; p < 25; p++) {
                images.append(String.format(Locale.ROOT, "%.3f,", r.nextDouble() + (p % 5 < 2 == (i % 2 == 0) ? 1 : 0)));
            }
            images.append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        check(Files.writeString(tmp.resolve("images.csv"), images.toString()), 25, "--label", "label", "--conv", "3x2",
                "--image", "1x5x5", "--batchnorm", "--pool", "avg", "--head", "gap");
    }

    /** Trains on {@code table}, whose first {@code features} columns are the inputs, and compares. */
    private void check(Path table, int features, String... options) throws Exception {
        Path model = tmp.resolve(table.getFileName() + ".model");
        List<String> args = new ArrayList<>(List.of("train", "--data", "csv:" + table, "--epochs", "20", "--quiet", "--out",
                model.toString()));
        args.addAll(List.of(options));
        CliRun t = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, t.exitCode(), t.toString());
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--input", table.toString());
        assertEquals(0, p.exitCode(), p.toString());
        String[] expected = p.out().split("\n");
        String[] actual = runPython(model, table, features).split("\n");
        assertEquals(expected.length - 1, actual.length, "rows from Python:\n" + String.join("\n", actual));
        boolean classifier = !expected[0].startsWith("y0");
        for (int i = 1; i < expected.length; i++) {
            String[] e = expected[i].split(",");
            String[] a = actual[i - 1].split(",");
            assertEquals(e.length, a.length, expected[i] + " vs " + actual[i - 1]);
            for (int j = 0; j < e.length; j++) {
                if (classifier && j == 0) {
                    assertEquals(e[0], a[0], "row " + i + ": class");
                } else {
                    assertEquals(Double.parseDouble(e[j]), Double.parseDouble(a[j]), 1e-5, "row " + i + " column " + j);
                }
            }
        }
    }

    private String runPython(Path model, Path table, int features) throws Exception {
        String script = String.join("\n",
                "import sys, torch",
                "sys.path.insert(0, sys.argv[1])",
                "import relume_torch",
                "m = relume_torch.load(sys.argv[2])",
                "rows = [[float(v) for v in line.split(',')[:int(sys.argv[3])]] for line in sys.stdin.read().split()[1:]]",
                "x = torch.tensor(rows, dtype=torch.float32)",
                "out = m(x).detach() if m.task == 'regression' else m.predict_proba(x)",
                "labels = m.predict(x) if m.task != 'regression' else None",
                "for i, row in enumerate(out.tolist()):",
                "    print(((labels[i] + ',') if labels else '') + ','.join('%.9g' % v for v in row))");
        Process p = new ProcessBuilder(python.toString(), "-c", script, module.toString(), model.toString(),
                Integer.toString(features)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write(Files.readAllBytes(table));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "python failed; its output: " + out);
        return out;
    }
}
