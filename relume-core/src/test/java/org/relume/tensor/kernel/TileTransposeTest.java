package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The register transpose is an exact copy, for whole tiles, ragged edges and row starts anywhere. */
class TileTransposeTest {

    @Test
    void copiesEveryValueToItsTransposedPlace() {
        SplittableRandom r = new SplittableRandom(6);
        int lanes = Lanes.SPECIES.length();
        int[][] shapes = {{1, 1}, {3, 5}, {16, 16}, {25, 85}, {17, 33}, {40, 200}, {8, 7}, {64, 16}, {2, 300}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int k = shape[1];
            int npad = (n + lanes - 1) / lanes * lanes;
            int ldb = k + r.nextInt(5);
            int off = r.nextInt(7);
            float[] b = new float[off + n * ldb];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextDouble();
            }
            int[] rows = new int[npad];
            for (int j = 0; j < npad; j++) {
                rows[j] = off + Math.min(j, n - 1) * ldb;
            }
            // From column p0 on, into a buffer with its own start and row stride.
            int p0 = k > 1 ? r.nextInt(k / 2) : 0;
            int count = k - p0;
            int stride = npad + lanes * r.nextInt(2);
            int dst = r.nextInt(9);
            float[] bt = new float[dst + count * stride];
            TileTranspose.transpose(b, rows, npad, p0, count, bt, dst, stride);
            for (int p = 0; p < count; p++) {
                for (int j = 0; j < npad; j++) {
                    int pp = p;
                    int jj = j;
                    assertEquals(b[rows[j] + p0 + p], bt[dst + p * stride + j],
                            () -> "n " + n + " k " + k + " at p " + pp + " j " + jj);
                }
            }
        }
    }
}
