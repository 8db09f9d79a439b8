package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit is read from every shape of .git a checkout has; --version prints it with the version. */
class BuildInfoTest {
    private static final String A = "0123456789abcdef0123456789abcdef01234567";
    private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    private Path gitDir(String name, String head) throws IOException {
        Path git = Files.createDirectories(tmp.resolve(name).resolve(".git"));
        Files.writeString(git.resolve("HEAD"), head + "\n");
        return git;
    }

    @Test
    void looseAndPackedRefsDetachedHeadsAndWorktrees() throws IOException {
        Path loose = gitDir("loose", "ref: refs/heads/main");
        Files.createDirectories(loose.resolve("refs/heads"));
        Files.writeString(loose.resolve("refs/heads/main"), A + "\n");
        Path deep = Files.createDirectories(tmp.resolve("loose/relume-cli/target/classes"));
        assertEquals(A, BuildInfo.commitFrom(deep), "found from below the checkout's root");

        Path packed = gitDir("packed", "ref: refs/heads/dev");
        Files.writeString(packed.resolve("packed-refs"), "# pack-refs with: peeled\n" + A + " refs/heads/main\n" + B
                + " refs/heads/dev\n");
        assertEquals(B, BuildInfo.commitFrom(tmp.resolve("packed")));

        gitDir("detached", B);
        assertEquals(B, BuildInfo.commitFrom(tmp.resolve("detached")));

        Path worktree = Files.createDirectories(tmp.resolve("worktree"));
        Path linked = Files.createDirectories(loose.resolve("worktrees/w"));
        Files.writeString(linked.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(linked.resolve("commondir"), "../..\n");
        Files.writeString(worktree.resolve(".git"), "gitdir: " + linked + "\n");
        assertEquals(A, BuildInfo.commitFrom(worktree), "a worktree's refs live in the common directory");

        gitDir("broken", "ref: refs/heads/missing");
        assertEquals("unknown", BuildInfo.commitFrom(tmp.resolve("broken")));
    }

    @Test
    void versionPrintsTheBuildAndTheCommit() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s)relume \\S+.*, commit ([0-9a-f]{40}|unknown)\\nJava .*"), r.out());
        assertTrue(!r.out().contains("${"), "the version resource is filtered: " + r.out());
    }
}
