package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pad-and-crop with flips (He et al.'s CIFAR augmentation): every augmented image is its original
 * shifted by at most the padding, zero-filled, possibly mirrored; the draws repeat for the same
 * seed, epoch and batch and change with the epoch.
 */
class ImageAugmentationTest {
    private static final int C = 2;
    private static final int H = 4;
    private static final int W = 5;

    @Test
    void everyImageIsAShiftedPossiblyMirroredCopy() {
        int n = 12;
        float[] original = batch(n);
        float[] x = original.clone();
        new ImageAugmentation(C, H, W, 2, true).apply(x, n, 7, 0, 3);
        int changed = 0;
        for (int s = 0; s < n; s++) {
            float[] got = sample(x, n, s);
            boolean found = false;
            for (int dy = -2; dy <= 2 && !found; dy++) {
                for (int dx = -2; dx <= 2 && !found; dx++) {
                    for (boolean mirror : new boolean[] {false, true}) {
                        found |= Arrays.equals(got, shifted(sample(original, n, s), dy, dx, mirror));
                    }
                }
            }
            assertTrue(found, "sample " + s + " is a shifted, zero-filled, possibly mirrored copy");
            changed += Arrays.equals(got, sample(original, n, s)) ? 0 : 1;
        }
        assertTrue(changed > n / 2, "most samples move: " + changed + " of " + n);
    }

    @Test
    void drawsRepeatForTheSameBatchAndChangeWithTheEpoch() {
        int n = 6;
        ImageAugmentation a = new ImageAugmentation(C, H, W, 1, true);
        float[] one = batch(n);
        float[] two = batch(n);
        float[] later = batch(n);
        a.apply(one, n, 3, 5, 2);
        a.apply(two, n, 3, 5, 2);
        a.apply(later, n, 3, 6, 2);
        assertArrayEquals(one, two);
        assertFalse(Arrays.equals(one, later));
    }

    @Test
    void specsAndBadShapes() {
        assertEquals("crop-flip:pad=4", ImageAugmentation.parse("crop-flip", new int[] {3, 32, 32}).describe());
        assertEquals("crop:pad=2", ImageAugmentation.parse("crop:pad=2", new int[] {1, 28, 28}).describe());
        assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("rotate", new int[] {1, 28, 28}));
        assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("crop:pad=x", new int[] {1, 28, 28}));
        assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("crop:pad=28", new int[] {1, 28, 28}));
    }

    private static float[] batch(int n) {
        float[] x = new float[C * H * W * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + i;
        }
        return x;
    }

    private static float[] sample(float[] x, int n, int s) {
        float[] out = new float[C * H * W];
        for (int f = 0; f < out.length; f++) {
            out[f] = x[f * n + s];
        }
        return out;
    }

    private static float[] shifted(float[] img, int dy, int dx, boolean mirror) {
        float[] out = new float[img.length];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int sy = y + dy;
                    int sx = (mirror ? W - 1 - x : x) + dx;
                    out[(c * H + y) * W + x] = sy >= 0 && sy < H && sx >= 0 && sx < W ? img[(c * H + sy) * W + sx] : 0f;
                }
            }
        }
        return out;
    }
}
