package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus of bad inputs (files under test resources {@code bad-inputs/}, and model directories
 * and idx sets derived here from good ones), each through the command line: the documented exit
 * code, exactly one line on stderr naming the offending file, and the --out directory never
 * created.
 */
class BadInputCorpusTest {
    @TempDir
    Path tmp;

    private record Case(String name, int exit, String names, String... args) {}

    @Test
    void everyBadInputGetsOneLineNamingItsFileAndLeavesOutUntouched() throws Exception {
        Path res = Path.of(BadInputCorpusTest.class.getClassLoader().getResource("bad-inputs").toURI());
        List<Case> cases = new ArrayList<>();
        for (String csv : new String[] {"ragged.csv", "nul-byte.csv", "text-in-number.csv", "empty.csv", "header-only.csv",
            "overflowing-number.csv", "mixed-separators.csv"}) {
            cases.add(new Case(csv, 2, csv, "train", "--data", "csv:" + res.resolve(csv), "--epochs", "1"));
        }
        Path longLine = tmp.resolve("one-long-line.csv");
        Files.writeString(longLine, "1,".repeat(600_000));
        cases.add(new Case("a line of 1.2M characters", 2, "one-long-line.csv", "train", "--data", "csv:" + longLine, "--epochs", "1"));
        for (String idx : new String[] {"bad-magic-images-idx3-ubyte", "truncated-images-idx3-ubyte",
            "huge-dims-images-idx3-ubyte", "corrupt-images-idx3-ubyte.gz"}) {
            Path dir = idxSet(idx, res.resolve(idx));
            cases.add(new Case(idx, 2, "train-images", "train", "--data", "idx:" + dir, "--epochs", "1"));
        }

        Path good = tmp.resolve("good");
        assertEquals(0, CliRun.of("train", "--data", "moons", "--width", "4", "--depth", "2", "--epochs", "5",
                "--out", good.toString()).exitCode());
        Path points = tmp.resolve("points.csv");
        Files.writeString(points, "x,y\n0.1,0.2\n");
        for (ModelMutation m : ModelMutation.values()) {
            Path dir = tmp.resolve("model-" + m.name().toLowerCase());
            copy(good, dir);
            m.apply(dir);
            cases.add(new Case("info: " + m, 2, m.file, "info", "--model", dir.toString()));
            cases.add(new Case("predict: " + m, 2, m.file, "predict", "--model", dir.toString(), "--input", points.toString()));
            cases.add(new Case("evaluate: " + m, 2, m.file, "evaluate", "--model", dir.toString(), "--data", "csv:" + points));
        }
        for (String csv : new String[] {"ragged.csv", "nul-byte.csv", "text-in-number.csv", "empty.csv", "header-only.csv",
            "overflowing-number.csv", "mixed-separators.csv"}) {
            cases.add(new Case("evaluate " + csv, 2, csv, "evaluate", "--model", good.toString(), "--data", "csv:" + res.resolve(csv)));
        }

        for (Case c : cases) {
            Path out = tmp.resolve("out-" + Integer.toHexString(c.name().hashCode()));
            List<String> args = new ArrayList<>(List.of(c.args()));
            if (args.get(0).equals("train")) {
                args.add("--out");
                args.add(out.toString());
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            String what = c.name() + "\n" + r;
            assertEquals(c.exit(), r.exitCode(), what);
            assertEquals(1, r.err().strip().split("\n").length, "one line: " + what);
            assertTrue(r.err().contains(c.names()), "names " + c.names() + ": " + what);
            assertFalse(r.err().contains("Exception"), "no exception class names: " + what);
            assertTrue(r.err().strip().chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f), "no control characters: " + what);
            assertFalse(Files.exists(out), "--out untouched: " + what);
        }
        assertTrue(cases.size() >= 30, "corpus size " + cases.size());
    }

    /** Ways to break a good model directory, each naming the file it breaks. */
    enum ModelMutation {
        JSON_NOT_JSON("model.json") {
            @Override void apply(Path d) throws IOException {
                Files.writeString(d.resolve(file), "{ \"format\": ");
            }
        },
        JSON_NO_LAYERS("model.json") {
            @Override void apply(Path d) throws IOException {
                Path f = d.resolve(file);
                Files.writeString(f, Files.readString(f).replace("\"layers\"", "\"strata\""));
            }
        },
        JSON_FUTURE_VERSION("model.json") {
            @Override void apply(Path d) throws IOException {
                Path f = d.resolve(file);
                Files.writeString(f, Files.readString(f).replaceFirst("\"version\" ?: ?1", "\"version\" : 99"));
            }
        },
        JSON_TOO_LARGE("model.json") {
            @Override void apply(Path d) throws IOException {
                try (RandomAccessFile f = new RandomAccessFile(d.resolve(file).toFile(), "rw")) {
                    f.setLength(17L << 20);
                }
            }
        },
        JSON_IS_A_DIRECTORY("model.json") {
            @Override void apply(Path d) throws IOException {
                Files.delete(d.resolve(file));
                Files.createDirectory(d.resolve(file));
            }
        },
        WEIGHTS_TRUNCATED("model.safetensors") {
            @Override void apply(Path d) throws IOException {
                byte[] b = Files.readAllBytes(d.resolve(file));
                Files.write(d.resolve(file), java.util.Arrays.copyOf(b, b.length - 7));
            }
        },
        WEIGHTS_HUGE_HEADER_LENGTH("model.safetensors") {
            @Override void apply(Path d) throws IOException {
                byte[] b = Files.readAllBytes(d.resolve(file));
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
                Files.write(d.resolve(file), b);
            }
        },
        WEIGHTS_NAN("model.safetensors") {
            @Override void apply(Path d) throws IOException {
                byte[] b = Files.readAllBytes(d.resolve(file));
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(b.length - 4, Float.NaN);
                Files.write(d.resolve(file), b);
            }
        },
        WEIGHTS_MISSING("model.safetensors") {
            @Override void apply(Path d) throws IOException {
                Files.delete(d.resolve(file));
            }
        },
        WEIGHTS_IS_A_DIRECTORY("model.safetensors") {
            @Override void apply(Path d) throws IOException {
                Files.delete(d.resolve(file));
                Files.createDirectory(d.resolve(file));
            }
        };

        final String file;

        ModelMutation(String file) {
            this.file = file;
        }

        abstract void apply(Path dir) throws IOException;
    }

    /** An MNIST-layout directory of tiny valid files with one of them replaced by {@code bad}. */
    private Path idxSet(String name, Path bad) throws IOException {
        Path dir = tmp.resolve("idx-" + name);
        Files.createDirectories(dir);
        for (String split : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(0x0803, new int[] {4, 2, 2}, 16));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(0x0801, new int[] {4}, 4));
        }
        Files.delete(dir.resolve("train-images-idx3-ubyte"));
        Files.copy(bad, dir.resolve(bad.getFileName().toString().replace(name.substring(0, name.indexOf("-images")), "train")),
                StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    private static byte[] idx(int magic, int[] dims, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + bytes).order(ByteOrder.BIG_ENDIAN);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < bytes; i++) {
            b.put((byte) (i % 2));
        }
        return b.array();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

}
