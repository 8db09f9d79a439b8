package org.relume.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which Relume this is: the version Maven built (from a filtered resource) and the git commit of
 * the checkout the program runs from, for {@code --version} and for every saved model's
 * provenance, so that a result can be traced to its code.
 *
 * <p>The commit is read at run time from the nearest {@code .git} above the jar or classes (no
 * build plugin, so a build without git or network still works); it is "unknown" outside a git
 * checkout. It does not say whether the working tree had uncommitted changes.
 */
final class BuildInfo {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final String DEVELOPMENT = "development build";

    private BuildInfo() {}

    /** The Maven project version, or "development build" when the resource was not filtered. */
    static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return DEVELOPMENT;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isBlank() || v.contains("${") ? DEVELOPMENT : v;
        } catch (IOException e) {
            return DEVELOPMENT;
        }
    }

    /** The commit of the checkout holding this program, or "unknown". */
    static String commit() {
        try {
            Path here = Path.of(BuildInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return commitFrom(here);
        } catch (URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Version and commit as provenance fields. */
    static Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("relume_version", version());
        m.put("git_commit", commit());
        return m;
    }

    /** The HEAD commit of the nearest git checkout at or above {@code start}, or "unknown". */
    static String commitFrom(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            try {
                if (Files.isDirectory(dotGit)) {
                    return head(dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    // a worktree or submodule: ".git" is a file "gitdir: PATH"
                    String text = read(dotGit).strip();
                    if (text.startsWith("gitdir:")) {
                        return head(dir.resolve(text.substring(7).strip()).normalize());
                    }
                    return "unknown";
                }
            } catch (IOException e) {
                return "unknown";
            }
        }
        return "unknown";
    }

    /** Resolves HEAD: a commit itself (detached), or a ref found loose or in packed-refs. */
    private static String head(Path gitDir) throws IOException {
        String head = read(gitDir.resolve("HEAD")).strip();
        if (SHA.matcher(head).matches()) {
            return head;
        }
        if (!head.startsWith("ref:")) {
            return "unknown";
        }
        String ref = head.substring(4).strip();
        Path common = gitDir;
        Path commondir = gitDir.resolve("commondir");
        if (Files.isRegularFile(commondir)) {
            common = gitDir.resolve(read(commondir).strip()).normalize();
        }
        for (Path root : new Path[] {gitDir, common}) {
            Path loose = root.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String sha = read(loose).strip();
                return SHA.matcher(sha).matches() ? sha : "unknown";
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : read(packed).split("\n")) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && SHA.matcher(parts[0]).matches()) {
                    return parts[0];
                }
            }
        }
        return "unknown";
    }

    /** Git's own small files; refuses anything large (it would not be one of them). */
    private static String read(Path file) throws IOException {
        if (Files.size(file) > (1 << 24)) {
            throw new IOException(file + " is too large for a git reference file");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
