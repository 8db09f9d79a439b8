package org.relume.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.data.CsvReader;
import org.relume.data.DataFormatException;
import org.relume.data.IdxReader;
import org.relume.data.Task;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;

/**
 * Seeded mutation fuzzing of every reader of outside files: model directories (both files, chain
 * and structured), CSV text and idx files (raw and gzip). A mutant may load (a harmless change) or
 * be refused with the project's own format error; any other exception fails the test. The seed
 * fixes every mutant, so a failure names a case that reruns the same.
 */
class MutationFuzzTest {
    private static final int CASES = 250;

    @TempDir
    Path tmp;

    /** The refusals a reader may give: the project's format errors and bad-argument errors. */
    private static boolean expected(Throwable t) {
        return t instanceof ModelFormatException || t instanceof DataFormatException || t instanceof IllegalArgumentException;
    }

    @Test
    void modelDirectories() throws IOException {
        Path chain = tmp.resolve("chain");
        ModelFiles.save(chain, Mlp.of(3, 4, 2, 2, Activations.relu(), Initializer.GLOROT_UNIFORM, 1),
                new ModelMetadata(Task.MULTICLASS, 2, "softmax_ce", new float[] {0, 1, 2}, new float[] {1, 1, 1},
                        List.of("a", "b", "c"), Map.of("seed", 1)));
        Path structured = tmp.resolve("structured");
        ModelFiles.save(structured, Structures.forTask(Structure.AGD2, new Structures.Options(Double.NaN, true), 2, 3, 4, 1,
                Activations.byName("sigmoid"), Initializer.GLOROT_UNIFORM, 2),
                new ModelMetadata(Task.REGRESSION, 0, "mse", null, null, List.of("x", "y"), Map.of()));
        SplittableRandom r = new SplittableRandom(1807);
        int loaded = 0;
        for (int i = 0; i < CASES; i++) {
            Path source = i % 2 == 0 ? chain : structured;
            Path dir = tmp.resolve("mutant" + i);
            Files.createDirectories(dir);
            byte[] json = Files.readAllBytes(source.resolve(ModelFiles.ARCHITECTURE));
            byte[] weights = Files.readAllBytes(source.resolve(ModelFiles.WEIGHTS));
            boolean mutateJson = r.nextBoolean();
            Files.write(dir.resolve(ModelFiles.ARCHITECTURE), mutateJson ? mutate(json, r) : json);
            Files.write(dir.resolve(ModelFiles.WEIGHTS), mutateJson ? weights : mutate(weights, r));
            try {
                ModelFiles.load(dir);
                loaded++;
            } catch (RuntimeException e) {
                if (!expected(e)) {
                    fail("mutant " + i + " (" + (mutateJson ? "model.json" : "model.safetensors") + "): " + e, e);
                }
            }
        }
        assertTrue(loaded < CASES, "some mutants must be refused");
    }

    @Test
    void csvText() {
        String valid = "x0,x1,label\n0.5,1.25,a\n-1,2e-3,b\n3,4,a\n\"5\",6,b\n";
        SplittableRandom r = new SplittableRandom(1808);
        for (int i = 0; i < CASES * 4; i++) {
            String text = new String(mutate(valid.getBytes(StandardCharsets.UTF_8), r), StandardCharsets.UTF_8);
            try {
                CsvReader.read(new StringReader(text), "mutant" + i + ".csv", CsvReader.Options.defaults());
            } catch (IOException e) {
                fail("mutant " + i + ": " + e, e);
            } catch (RuntimeException e) {
                if (!expected(e)) {
                    fail("mutant " + i + " " + text.replace("\n", "\\n") + ": " + e, e);
                }
            }
        }
    }

    @Test
    void idxFilesRawAndGzipped() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 12 + 3 * 4 * 4).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0803).putInt(3).putInt(4).putInt(4);
        for (int i = 0; i < 48; i++) {
            b.put((byte) (i * 5));
        }
        byte[] valid = b.array();
        SplittableRandom r = new SplittableRandom(1809);
        for (int i = 0; i < CASES; i++) {
            byte[] mutant = mutate(valid, r);
            boolean gzip = i % 3 == 0;
            Path file = tmp.resolve("mutant" + i + (gzip ? "-images-idx3-ubyte.gz" : "-images-idx3-ubyte"));
            if (gzip) {
                try (GZIPOutputStream z = new GZIPOutputStream(Files.newOutputStream(file))) {
                    z.write(mutant);
                }
                if (r.nextBoolean()) {
                    byte[] packed = Files.readAllBytes(file);
                    Files.write(file, mutate(packed, r));
                }
            } else {
                Files.write(file, mutant);
            }
            try {
                IdxReader.readTensor(file);
            } catch (RuntimeException e) {
                if (!expected(e)) {
                    fail("mutant " + i + (gzip ? " (gzip)" : "") + ": " + e, e);
                }
            }
        }
    }

    /** One to three random edits: flip bits, overwrite a byte, truncate, duplicate or delete a span. */
    static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] out = in.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = r.nextInt(out.length);
            switch (r.nextInt(6)) {
                case 0 -> out[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> out[at] = (byte) r.nextInt(256);
                case 2 -> out = java.util.Arrays.copyOf(out, at);
                case 3 -> {
                    int len = Math.min(1 + r.nextInt(16), out.length - at);
                    byte[] longer = new byte[out.length + len];
                    System.arraycopy(out, 0, longer, 0, at + len);
                    System.arraycopy(out, at, longer, at + len, out.length - at);
                    out = longer;
                }
                case 4 -> {
                    int len = Math.min(1 + r.nextInt(16), out.length - at);
                    byte[] shorter = new byte[out.length - len];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + len, shorter, at, out.length - at - len);
                    out = shorter;
                }
                default -> out[at] = (byte) "0123456789.-e\"{}[],:\n\u0000".charAt(r.nextInt(22));
            }
        }
        return out;
    }
}
