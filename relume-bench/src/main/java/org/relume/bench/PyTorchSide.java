package org.relume.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.relume.io.Json;

/**
 * Runs bench/pytorch_bench.py in its own Python process and reads its JSON. The script travels in
 * the jar; the interpreter is the first of /usr/bin/python3 (Debian's, where python3-torch lives)
 * and python3 that can import torch. When none can, the PyTorch side is skipped, with the reason.
 */
public final class PyTorchSide {
    private PyTorchSide() {}

    /** What the Python side measured, or why it did not run. */
    public record Result(boolean available, String reason, String python, String torchVersion, int threads,
                         String blas, Map<String, Double> medianMillis) {}

    static final String SCRIPT_RESOURCE = "/bench/pytorch_bench.py";

    public static Result run(List<Workload> workloads, int steps, int warmup, double warmupSeconds, long timeoutSeconds) {
        Path script;
        try (InputStream in = PyTorchSide.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                return unavailable("the PyTorch script is not packaged with this build (" + SCRIPT_RESOURCE + ")");
            }
            script = Files.createTempFile("relume-pytorch-bench", ".py");
            Files.write(script, in.readAllBytes());
            script.toFile().deleteOnExit();
        } catch (IOException e) {
            return unavailable("cannot write the PyTorch script: " + e.getMessage());
        }
        String python = findPython();
        if (python == null) {
            return unavailable("no Python with PyTorch found (tried /usr/bin/python3 and python3); install it with bench/install-pytorch.sh");
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(),
                "--workloads", String.join(",", workloads.stream().map(Workload::id).toList()),
                "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup),
                "--warmup-seconds", Double.toString(warmupSeconds)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return unavailable("the PyTorch side timed out after " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                return unavailable("the PyTorch side failed (exit " + p.exitValue() + "): " + lastLine(err));
            }
            JsonNode j = Json.MAPPER.readTree(new String(out, StandardCharsets.UTF_8));
            Map<String, Double> ms = new LinkedHashMap<>();
            j.get("workloads").fields().forEachRemaining(e -> ms.put(e.getKey(), e.getValue().get("median_ms").asDouble()));
            return new Result(true, null, python, j.get("torch").asText(), j.get("threads").asInt(), j.get("blas").asText(), ms);
        } catch (IOException e) {
            return unavailable("cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private static String findPython() {
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed; try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static Result unavailable(String reason) {
        return new Result(false, reason, null, null, 0, null, Map.of());
    }
}
