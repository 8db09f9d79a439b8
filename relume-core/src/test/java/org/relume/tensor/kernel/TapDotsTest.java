package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The blocked weight gradient gives what {@link Lanes#dotRows} gives for every (output channel,
 * input channel, tap), bit for bit, whichever quads and taps a call covers and however the pairs
 * fall into blocks of output rows (rows with no pair of a tap included). This runs at the machine's
 * vector width; VectorWidthDeterminismTest checks that 8 and 16 lanes give the same bits.
 */
class TapDotsTest {

    @Test
    void everyWeightIsTheDotOfItsPairs() {
        org.junit.jupiter.api.Assertions.assertTrue(TapDots.applies(32, 2, 2, 4), "8 or 16 lanes, a batch of 32");
        int n = 32;
        int inChannels = 8;
        int outChannels = 8;
        int kk = 4;
        int outHeight = 5;
        int outWidth = 3;
        int inPositions = 20;
        SplittableRandom r = new SplittableRandom(7);
        // Tap t reads some of the output positions (in order; row 2 none for tap 1) from input positions.
        int[][] pairs = new int[kk][];
        int[] counts = new int[kk];
        for (int t = 0; t < kk; t++) {
            int[] list = new int[2 * outHeight * outWidth];
            int c = 0;
            for (int o = 0; o < outHeight * outWidth; o++) {
                boolean skip = (t == 1 && o / outWidth == 2) || r.nextInt(4) == 0;
                if (!skip) {
                    list[2 * c] = o;
                    list[2 * c + 1] = r.nextInt(inPositions);
                    c++;
                }
            }
            pairs[t] = list;
            counts[t] = c;
        }
        TapDots.Map m = TapDots.Map.of(pairs, counts, inChannels, inChannels * kk, outHeight, outWidth, inPositions);
        float[] dz = random(r, outChannels * outHeight * outWidth * n);
        float[] x = random(r, inChannels * inPositions * n);
        float[] dw = new float[outChannels * inChannels * kk];
        TapDots.quads(0, 1, 0, kk, m, n, dz, x, dw, false);
        TapDots.quads(1, 2, 0, 3, m, n, dz, x, dw, false);
        TapDots.quads(1, 2, 3, kk, m, n, dz, x, dw, false);
        float[] before = dw.clone();
        for (int co = 0; co < outChannels; co++) {
            for (int ci = 0; ci < inChannels; ci++) {
                for (int t = 0; t < kk; t++) {
                    float want = Lanes.dotRows(dz, co * outHeight * outWidth * n, x, ci * inPositions * n, pairs[t],
                            counts[t], n);
                    assertEquals(want, dw[co * inChannels * kk + ci * kk + t], "co " + co + " ci " + ci + " tap " + t);
                }
            }
        }
        // Accumulating adds the same sum to what was there.
        TapDots.quads(0, 2, 0, kk, m, n, dz, x, dw, true);
        for (int i = 0; i < dw.length; i++) {
            assertEquals(before[i] + before[i], dw[i], "accumulated " + i);
        }
    }

    @Test
    void widerLayersKeepThePlainDots() {
        org.junit.jupiter.api.Assertions.assertTrue(TapDots.applies(32, 16, 16, 9), "16 x 16 channels, 3 x 3");
        org.junit.jupiter.api.Assertions.assertFalse(TapDots.applies(30, 16, 16, 9), "a batch with a scalar tail");
        org.junit.jupiter.api.Assertions.assertFalse(TapDots.applies(32, 64, 64, 9), "256 x 256 channels, 3 x 3");
        org.junit.jupiter.api.Assertions.assertFalse(TapDots.applies(32, 1024, 1024, 9), "no int overflow");
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
