package org.relume.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
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
 * Runs one peer in its own process and reads the JSON it prints. Output and errors go to files, not
 * pipes, so that a chatty peer (XLA logs to stderr) can never block on a full pipe and the timeout
 * holds. Every way a peer can fail (no interpreter, no framework, a crash, a timeout, bad output)
 * becomes a missing peer with the reason, never an exception: the benchmark goes on without it.
 */
public final class PeerRunner {
    /** The exit status the scripts use when their framework cannot be imported. */
    static final int EXIT_MISSING_FRAMEWORK = 3;

    private final Path scripts;
    private final long timeoutSeconds;

    /** @param scripts the folder of {@link PeerScripts#extract()} */
    public PeerRunner(Path scripts, long timeoutSeconds) {
        this.scripts = scripts;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * @param plan          timed steps per workload name, in order
     * @param checkDir      folder of the agreement check's inputs (check-NAME.json), or null
     */
    public PeerResult run(Peer peer, Map<String, Integer> plan, double warmupSeconds, Path checkDir) {
        if (!Files.isExecutable(peer.interpreter())) {
            return PeerResult.missing(peer.id(), peer.interpreter() + " not found; " + peer.hint());
        }
        List<String> cmd = new ArrayList<>(List.of(peer.interpreter().toString(), scripts.resolve(peer.script()).toString(),
                "--workloads", String.join(",", plan.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()),
                "--warmup-seconds", Double.toString(warmupSeconds)));
        if (checkDir != null) {
            cmd.addAll(List.of("--check", checkDir.toString()));
        }
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("relume-peer-" + peer.id(), ".out");
            err = Files.createTempFile("relume-peer-" + peer.id(), ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // No __pycache__ beside the scripts, so that their temporary folder can be deleted at exit.
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return PeerResult.missing(peer.id(), "timed out after " + timeoutSeconds + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                return PeerResult.missing(peer.id(), failure(p.exitValue(), stdout, Files.readString(err, StandardCharsets.UTF_8), peer));
            }
            return parse(peer.id(), stdout);
        } catch (IOException e) {
            return PeerResult.missing(peer.id(), "cannot run " + peer.interpreter() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerResult.missing(peer.id(), "interrupted");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Reads the peer's JSON; output that is not the expected object makes the peer missing. */
    static PeerResult parse(String peer, String stdout) {
        try {
            JsonNode j = Json.MAPPER.readTree(lastLine(stdout));
            if (j == null || !j.has("workloads")) {
                return PeerResult.missing(peer, "its output is not a result: " + abbreviate(stdout));
            }
            Map<String, PeerResult.Timing> w = new LinkedHashMap<>();
            j.get("workloads").fields().forEachRemaining(e -> {
                JsonNode t = e.getValue();
                List<Double> losses = new ArrayList<>();
                t.path("check_losses").forEach(l -> losses.add(l.asDouble()));
                w.put(e.getKey(), new PeerResult.Timing(t.path("median_ms").asDouble(Double.NaN),
                        t.path("compile_ms").asDouble(Double.NaN), List.copyOf(losses)));
            });
            return new PeerResult(peer, true, null, j.path("version").asText("?"), j.path("details").asText(""),
                    j.path("python").asText(""), w);
        } catch (IOException e) {
            return PeerResult.missing(peer, "its output is not JSON: " + abbreviate(stdout));
        }
    }

    private static String failure(int exit, String stdout, String stderr, Peer peer) {
        if (exit == EXIT_MISSING_FRAMEWORK) {
            try {
                return Json.MAPPER.readTree(lastLine(stdout)).path("error").asText("framework missing") + "; " + peer.hint();
            } catch (IOException e) {
                return "framework missing; " + peer.hint();
            }
        }
        return "failed (exit " + exit + "): " + abbreviate(lastLine(stderr.strip()));
    }

    private static String lastLine(String s) {
        int i = s.lastIndexOf('\n');
        return i < 0 ? s : s.substring(i + 1);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 200 ? one : one.substring(0, 200) + "...";
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
