package org.relume.data;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The standard CIFAR augmentation of ResNet, DenseNet and HB-Net/AGD-Net training (He et al. 2016,
 * Section 4.2; Li et al. Table 4's "+" columns): each training image, every time it is drawn, is
 * zero-padded by {@code pad} pixels on every side, cropped back to its size at a random offset, and
 * flipped left-right with probability one half. Applied to a feature-major batch in place; the
 * draws come from a generator seeded by the run's seed, the epoch and the batch, so a run is
 * reproducible and a batch's augmentation does not depend on what ran before it.
 */
public final class ImageAugmentation {
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;
    private final boolean flip;
    private float[] scratch = new float[0];

    public ImageAugmentation(int channels, int height, int width, int pad, boolean flip) {
        if (channels <= 0 || height <= 0 || width <= 0 || pad < 0 || pad >= Math.min(height, width)) {
            throw new IllegalArgumentException("augmentation needs a positive image shape and 0 <= pad < the image side, got "
                    + channels + "x" + height + "x" + width + ", pad " + pad);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pad = pad;
        this.flip = flip;
    }

    /** {@code crop-flip[:pad=P]} (P defaults to 4) or {@code crop[:pad=P]}, for images of the given shape. */
    public static ImageAugmentation parse(String spec, int[] image) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String[] parts = s.split(":", 2);
        int pad = 4;
        if (parts.length == 2) {
            if (!parts[1].startsWith("pad=")) {
                throw new IllegalArgumentException("augmentation options are pad=P, got '" + parts[1] + "'");
            }
            try {
                pad = Integer.parseInt(parts[1].substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("augmentation pad must be a whole number, got '" + parts[1] + "'");
            }
        }
        return switch (parts[0]) {
            case "crop-flip" -> new ImageAugmentation(image[0], image[1], image[2], pad, true);
            case "crop" -> new ImageAugmentation(image[0], image[1], image[2], pad, false);
            default -> throw new IllegalArgumentException("augmentation must be crop-flip[:pad=P] or crop[:pad=P], got '"
                    + spec + "'");
        };
    }

    public int features() {
        return channels * height * width;
    }

    /** Shifts and flips each of the {@code size} samples of x [C*H*W, size] in place. */
    void apply(float[] x, int size, long seed, long epoch, int batch) {
        SplittableRandom r = new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ batch));
        int plane = height * width;
        if (scratch.length < plane) {
            scratch = new float[plane];
        }
        for (int s = 0; s < size; s++) {
            int dy = r.nextInt(2 * pad + 1) - pad;
            int dx = r.nextInt(2 * pad + 1) - pad;
            boolean mirror = flip && r.nextBoolean();
            for (int c = 0; c < channels; c++) {
                int base = c * plane;
                for (int i = 0; i < plane; i++) {
                    scratch[i] = x[(base + i) * size + s];
                }
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    for (int xx = 0; xx < width; xx++) {
                        int sx = (mirror ? width - 1 - xx : xx) + dx;
                        float v = sy >= 0 && sy < height && sx >= 0 && sx < width ? scratch[sy * width + sx] : 0f;
                        x[(base + y * width + xx) * size + s] = v;
                    }
                }
            }
        }
    }

    /** A 64-bit finalizer (Stafford's variant 13), so that neighbouring seeds give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public String describe() {
        return (flip ? "crop-flip" : "crop") + ":pad=" + pad;
    }
}
