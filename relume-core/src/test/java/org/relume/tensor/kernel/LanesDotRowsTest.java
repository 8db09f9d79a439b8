package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LanesDotRowsTest {

    /** dotRows4 is four dotRows in one pass; the convolution's weight gradient relies on bit equality. */
    @Test
    void fourAtOnceEqualsOneAtATimeBitForBit() {
        SplittableRandom r = new SplittableRandom(21);
        for (int n : new int[] {5, 16, 37, 128}) {
            int rowsPerPlane = 9;
            int plane = rowsPerPlane * n;
            float[] a = new float[plane];
            float[] b = new float[5 * plane + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
            int count = 7;
            int[] pairs = new int[2 * count];
            for (int c = 0; c < count; c++) {
                pairs[2 * c] = r.nextInt(rowsPerPlane);
                pairs[2 * c + 1] = r.nextInt(rowsPerPlane);
            }
            float[] four = new float[6];
            Lanes.dotRows4(a, 0, b, 3, plane, pairs, count, n, four, 1);
            for (int q = 0; q < 4; q++) {
                assertEquals(Lanes.dotRows(a, 0, b, 3 + q * plane, pairs, count, n), four[1 + q], "n " + n + ", channel " + q);
            }
        }
    }
}
