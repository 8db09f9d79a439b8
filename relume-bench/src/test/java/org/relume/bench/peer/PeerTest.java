package org.relume.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a peer's process is found, started and read, with shell scripts standing in for Python. */
class PeerTest {
    @TempDir
    Path dir;

    @Test
    void parsesAPeersJson() {
        PeerResult r = PeerRunner.parse("jax", "some log line\n{\"version\": \"0.1\", \"details\": \"jit\", \"python\": \"3.11\", "
                + "\"workloads\": {\"thin\": {\"median_ms\": 1.5, \"compile_ms\": 300, \"check_losses\": [0.5, 0.4]},"
                + " \"tiny\": {\"median_ms\": 2}}}");
        assertTrue(r.available());
        assertEquals("0.1", r.version());
        assertEquals(new PeerResult.Timing(1.5, 300, List.of(0.5, 0.4)), r.workloads().get("thin"));
        assertTrue(Double.isNaN(r.workloads().get("tiny").compileMs()));
        assertFalse(PeerRunner.parse("jax", "not json").available());
        assertFalse(PeerRunner.parse("jax", "{\"something\": 1}").available());
    }

    @Test
    void everyFailureIsAMissingPeerWithItsReason() throws IOException {
        PeerRunner runner = new PeerRunner(dir, 30);
        Map<String, Integer> plan = new LinkedHashMap<>(Map.of("thin", 3));
        PeerResult absent = runner.run(new Peer("x", dir.resolve("no/python"), "s.py", "install x"), plan, 0, null);
        assertEquals(dir.resolve("no/python") + " not found; install x", absent.reason());
        PeerResult crash = runner.run(new Peer("y", script("crash", "echo boom >&2; exit 1"), "s.py", "h"), plan, 0, null);
        assertEquals("failed (exit 1): boom", crash.reason());
        PeerResult noFramework = runner.run(new Peer("z", script("nofw", "echo '{\"error\": \"cannot import jax\"}'; exit 3"),
                "s.py", "run the installer"), plan, 0, null);
        assertEquals("cannot import jax; run the installer", noFramework.reason());
    }

    @Test
    void passesThePlanAndTheCheckFolderOnTheCommandLine() throws IOException {
        // The stand-in echoes its arguments back as the details, so the test sees what a script would get.
        Path echo = script("echo", "printf '{\"version\": \"1\", \"details\": \"%s\", \"workloads\": {}}\\n' \"$*\"");
        Map<String, Integer> plan = new LinkedHashMap<>();
        plan.put("thin", 300);
        plan.put("wide-cnn", 10);
        PeerResult r = new PeerRunner(dir, 30).run(new Peer("e", echo, "jax_bench.py", "h"), plan, 1.5, dir.resolve("chk"));
        assertEquals(dir.resolve("jax_bench.py") + " --workloads thin:300,wide-cnn:10 --warmup-seconds 1.5 --check "
                + dir.resolve("chk"), r.details());
    }

    @Test
    void findsTheVirtualEnvironmentAboveAStartOrFromTheVariable() throws IOException {
        Path venv = dir.resolve("repo/bench/.venv");
        Files.createDirectories(venv.resolve("bin"));
        script("repo/bench/.venv/bin/python", "exit 0");
        Path nested = Files.createDirectories(dir.resolve("repo/relume-cli/target"));
        assertEquals(venv, Peer.findVenv(null, List.of(dir.resolve("elsewhere"), nested)));
        assertEquals(Path.of("/opt/v"), Peer.findVenv("/opt/v", List.of(nested)));
        assertNull(Peer.findVenv("", List.of(dir.resolve("elsewhere"))));
        assertEquals(List.of("pytorch", "jax", "pytorch-debian"), Peer.defaults(venv).stream().map(Peer::id).toList());
        assertEquals(venv.resolve("bin/python"), Peer.defaults(venv).get(1).interpreter());
    }

    @Test
    void theScriptsTravelTogether() throws IOException {
        Path scripts = PeerScripts.extract();
        for (String f : PeerScripts.FILES) {
            assertTrue(Files.size(scripts.resolve(f)) > 0, f);
        }
    }

    private Path script(String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
