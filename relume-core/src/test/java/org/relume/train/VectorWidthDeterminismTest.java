package org.relume.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.Gemm;
import org.relume.tensor.kernel.Lanes;
import org.relume.tensor.kernel.TapDots;

/**
 * The same seed gives the same bits whatever the CPU's vector width: two child JVMs, one forced to
 * 256-bit and one to 512-bit vectors ({@code -Drelume.vector.bits}), run the kernels and three short
 * trainings (a thin ReLU net and a thin CNN under jumpstart, a sigmoid AGD2 net) and print a digest of every
 * result; the digests must agree. A 256-bit-only CPU runs the 512-bit child in the Vector API's
 * portable (slow) mode, so the work here is kept small.
 */
class VectorWidthDeterminismTest {

    @Test
    void kernelsAndTrainingGiveTheSameBitsAt256And512Bits() throws Exception {
        List<String> narrow = run("256");
        List<String> wide = run("512");
        assertEquals(8, narrow.size(), String.join("\n", narrow));
        assertTrue(narrow.get(0).startsWith("lanes 8"), narrow.get(0));
        assertTrue(wide.get(0).startsWith("lanes 16"), wide.get(0));
        assertEquals(narrow.subList(1, narrow.size()), wide.subList(1, wide.size()));
    }

    private static List<String> run(String bits) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Drelume.vector.bits=" + bits,
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child with " + bits + " bits did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    /** Prints the lane count, then one digest per group of results. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("lanes " + Lanes.SPECIES.length());
            SplittableRandom r = new SplittableRandom(3);
            MessageDigest reductions = MessageDigest.getInstance("SHA-256");
            for (int n : new int[] {1, 7, 15, 16, 17, 85, 100, 1000}) {
                float[] x = random(r, n);
                float[] y = random(r, n);
                put(reductions, new float[] {Lanes.sum(x, 0, n), Lanes.dot(x, 0, y, 0, n)});
            }
            System.out.println("reductions " + hex(reductions));
            MessageDigest gemm = MessageDigest.getInstance("SHA-256");
            // Small shapes in each form (axpy with tails of every length, dot, accumulate) and a blocked one;
            // 57, 100 and 25 columns group vectors differently at 8 and 16 lanes (a window in the last
            // call), and 12 columns take the dot form's padded copy at 16 lanes but not at 8.
            int[][] shapes = {{3, 85, 2}, {5, 90, 7}, {4, 6, 85}, {2, 3, 85}, {9, 13, 40}, {6, 31, 17}, {70, 70, 70},
                {4, 57, 9}, {9, 100, 25}, {5, 12, 85}, {25, 25, 85}};
            for (int[] s : shapes) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        int m = s[0], n = s[1], k = s[2];
                        float[] a = random(r, m * k);
                        float[] b = random(r, k * n);
                        float[] c = random(r, m * n);
                        Gemm.multiply(false, tb, m, n, k, a, 0, k, b, 0, tb ? k : n, acc, c, 0, n);
                        put(gemm, c);
                    }
                }
            }
            System.out.println("gemm " + hex(gemm));
            // A convolution's weight gradient by channel quads (two registers per partial sum at 8
            // lanes) and by four dots at once, over pairs that skip and repeat rows.
            MessageDigest taps = MessageDigest.getInstance("SHA-256");
            int n = 48;
            int positions = 6;
            int[][] pairs = {{0, 1, 1, 1, 3, 0, 5, 5}, {2, 4}};
            int[] counts = {4, 1};
            TapDots.Map map = TapDots.Map.of(pairs, counts, 8, 16, 2, 3, positions);
            float[] dz = random(r, 8 * positions * n);
            float[] xs = random(r, 8 * positions * n);
            float[] dw = new float[8 * 16];
            TapDots.quads(0, 2, 0, 2, map, n, dz, xs, dw, false);
            put(taps, dw);
            float[] four = new float[4];
            for (int width : new int[] {16, 37, 48}) {
                Lanes.dotRows4(dz, 0, xs, 5, positions * width, pairs[0], counts[0], width, four, 0);
                put(taps, four);
            }
            System.out.println("taps " + hex(taps));
            Dataset moons = Moons.generate(85, 0, 1);
            Network thin = Mlp.of(2, 3, 12, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
            TrainConfig cfg = TrainConfig.defaults().epochs(150).batchSize(0).optimizer(new Adam(0.01)).seed(1)
                    .logEvery(150).regularizer(new Jumpstart(Aggregation.L1, 1e-4, false));
            System.out.println("thin " + digest(new Trainer(cfg).train(thin, moons, null).network()));
            Network agd2 = Structures.forTask(Structure.AGD2, new Structures.Options(Double.NaN, true), 2, 6, 6, 1,
                    Activations.byName("sigmoid"), Initializer.GLOROT_UNIFORM, 2);
            TrainConfig cfg2 = TrainConfig.defaults().epochs(100).batchSize(0).optimizer(new Adam(0.01)).seed(2).logEvery(100);
            System.out.println("agd2 " + digest(new Trainer(cfg2).train(agd2, moons, null).network()));
            float[] pixels = random(r, 37 * 25);
            int[] labels = new int[37];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 2;
            }
            Dataset images = Dataset.classification("images", org.relume.tensor.Tensor.wrap(pixels, 37, 25), labels, 2);
            Network cnn = org.relume.nn.Cnn.build(1, 5, 5, new int[] {3, 3}, 3, 1, Activations.relu(),
                    Initializer.GLOROT_UNIFORM, 3);
            TrainConfig cfg3 = TrainConfig.defaults().epochs(40).batchSize(0).optimizer(new Adam(0.01)).seed(3).logEvery(40)
                    .regularizer(new Jumpstart(Aggregation.L1, 1e-4, false));
            System.out.println("cnn " + digest(new Trainer(cfg3).train(cnn, images, null).network()));
            // Quads of channels and a batch of 48: blocked kernels at 512 bits, narrower ones at 256.
            float[] pixels4 = random(r, 48 * 36);
            int[] labels4 = new int[48];
            for (int i = 0; i < labels4.length; i++) {
                labels4[i] = i % 3;
            }
            Dataset images4 = Dataset.multiclass("images4", org.relume.tensor.Tensor.wrap(pixels4, 48, 36), labels4, 3);
            Network cnn4 = org.relume.nn.Cnn.build(1, 6, 6, new int[] {4, 5, 8}, 3, 3, Activations.relu(),
                    Initializer.GLOROT_UNIFORM, 4);
            TrainConfig cfg4 = TrainConfig.defaults().epochs(20).batchSize(0).optimizer(new Adam(0.01)).seed(4)
                    .logEvery(20).loss(org.relume.loss.Loss.SOFTMAX_CROSS_ENTROPY);
            System.out.println("cnn4 " + digest(new Trainer(cfg4).train(cnn4, images4, null).network()));
        }

        private static float[] random(SplittableRandom r, int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (2 * r.nextDouble() - 1);
            }
            return x;
        }

        private static void put(MessageDigest d, float[] v) {
            for (float f : v) {
                int bits = Float.floatToRawIntBits(f);
                d.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
            }
        }

        private static String digest(Network net) throws NoSuchAlgorithmException {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Var v : net.parameters()) {
                put(d, java.util.Arrays.copyOf(v.value().data(), v.value().numel()));
            }
            return hex(d);
        }

        private static String hex(MessageDigest d) {
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        }
    }
}
