package org.relume.bench.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One framework that {@code relume bench} compares with: which interpreter runs which of the bench
 * scripts, and why it cannot run here when that is already known before starting it (no virtual
 * environment, say). Peers know workloads only by name, so this package does not depend on the
 * harness that uses it.
 *
 * @param id          the peer's name in results.csv ({@code pytorch}, {@code jax}, {@code pytorch-debian})
 * @param interpreter the program that runs the script (a Python; tests use a shell script)
 * @param script      the file name of the script among {@link PeerScripts#FILES}
 * @param hint        how to install the peer, quoted when it is missing
 */
public record Peer(String id, Path interpreter, String script, String hint) {
    /** The environment variable that points {@code relume bench} to another virtual environment. */
    public static final String VENV_VARIABLE = "RELUME_BENCH_VENV";

    /**
     * The default peers: PyTorch (pip wheel) and JAX from the bench's virtual environment, then
     * Debian's PyTorch from the system Python. {@code venv} may be null (none found).
     */
    public static List<Peer> defaults(Path venv) {
        Path python = venv == null ? Path.of("bench/.venv/bin/python") : venv.resolve("bin/python");
        String pip = "install it with bench/install-peers.sh (a virtual environment in bench/.venv)";
        return List.of(new Peer("pytorch", python, "pytorch_bench.py", pip),
                new Peer("jax", python, "jax_bench.py", pip),
                new Peer("pytorch-debian", Path.of("/usr/bin/python3"), "pytorch_bench.py",
                        "install Debian's python3-torch with bench/install-pytorch.sh"));
    }

    /**
     * The virtual environment: {@value #VENV_VARIABLE} when set, otherwise the first
     * {@code bench/.venv} with a Python found in {@code starts} or a folder above one; null if none.
     */
    public static Path findVenv(String variable, List<Path> starts) {
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        for (Path start : starts) {
            for (Path p = start == null ? null : start.toAbsolutePath(); p != null; p = p.getParent()) {
                Path venv = p.resolve("bench/.venv");
                if (Files.isExecutable(venv.resolve("bin/python"))) {
                    return venv;
                }
            }
        }
        return null;
    }
}
