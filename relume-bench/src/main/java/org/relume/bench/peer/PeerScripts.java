package org.relume.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Python side of the benchmark travels in the jar (bench/*.py); a peer runs it from a temporary
 * folder, where the framework scripts find their shared module next to them.
 */
public final class PeerScripts {
    private PeerScripts() {}

    /** The scripts packaged under /bench/ in the jar. */
    public static final List<String> FILES = List.of("peer_common.py", "pytorch_bench.py", "jax_bench.py");

    /** Copies every script into a new temporary folder, deleted when the JVM exits. */
    public static Path extract() throws IOException {
        Path dir = Files.createTempDirectory("relume-bench-peers");
        dir.toFile().deleteOnExit();
        for (String f : FILES) {
            try (InputStream in = PeerScripts.class.getResourceAsStream("/bench/" + f)) {
                if (in == null) {
                    throw new IOException("the bench script " + f + " is not packaged with this build");
                }
                Path target = dir.resolve(f);
                Files.write(target, in.readAllBytes());
                target.toFile().deleteOnExit();
            }
        }
        return dir;
    }
}
