package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.relume.data.CsvReaderTest.assertMessage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.Tensor;

class ChannelStandardizerTest {
    /**
     * n images of 3 channels x 4 pixels: channel 0 ~ N(0.5, 0.1^2), channel 1 ~ U(0, 1) + pixel index,
     * channel 2 constant 0.25.
     */
    private static Dataset images(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 12];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 4; p++) {
                x[i * 12 + p] = (float) (0.5 + 0.1 * random.nextGaussian());
                x[i * 12 + 4 + p] = (float) (random.nextDouble() + p);
                x[i * 12 + 8 + p] = 0.25f;
            }
            labels[i] = i % 3;
        }
        return Dataset.classification("img", Tensor.wrap(x, n, 12), labels, 3);
    }

    @Test
    void statisticsAreTakenOverAllPixelsOfAChannel() {
        // two images, one channel pair: channel 0 holds 1, 2 | 3, 4; channel 1 holds 10, 10 | 10, 10
        Dataset d = Dataset.classification("hand", Tensor.wrap(new float[] {1, 2, 10, 10, 3, 4, 10, 10}, 2, 4),
                new int[] {0, 1}, 2);
        ChannelStandardizer s = ChannelStandardizer.fit(d, 2);
        assertEquals(2, s.channels());
        assertArrayEquals(new float[] {2.5f, 10f}, s.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(1.25), 1f}, s.std(), 1e-7f, "population std; constant -> 1");
        float sd = (float) Math.sqrt(1.25);
        assertArrayEquals(new float[] {-1.5f / sd, -0.5f / sd, 0, 0, 0.5f / sd, 1.5f / sd, 0, 0},
                s.apply(d).features().toArray(), 1e-6f);
    }

    @Test
    void trainingChannelsGetMeanZeroAndStdOneAndValidationTheSameTransform() {
        Dataset.Split split = new Dataset.Split(images(300, 1), images(50, 2));
        float[] before = split.train().features().toArray();
        Dataset.Split z = ChannelStandardizer.standardize(split, 3);
        ChannelStandardizer s = ChannelStandardizer.fit(split.train(), 3);
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double squares = 0;
            int count = 0;
            for (int i = 0; i < 300; i++) {
                for (int p = 0; p < 4; p++) {
                    double v = z.train().features().get(i, c * 4 + p);
                    sum += v;
                    squares += v * v;
                    count++;
                }
            }
            assertEquals(0, sum / count, 1e-5, "channel " + c + " mean");
            assertEquals(1, squares / count, 1e-4, "channel " + c + " variance");
        }
        assertEquals(0f, z.train().features().get(7, 9), "a constant channel is shifted to 0, not divided by 0");
        // validation uses the training statistics, not its own
        for (int j = 0; j < 12; j++) {
            int c = j / 4;
            float expected = (split.validation().features().get(5, j) - s.mean()[c]) / s.std()[c];
            assertEquals(expected, z.validation().features().get(5, j), 0f);
        }
        assertEquals("img", z.validation().name());
        assertArrayEquals(split.validation().labels(), z.validation().labels());
        assertArrayEquals(before, split.train().features().toArray(), 0f, "the input is not modified");
    }

    @Test
    void statisticsRoundTripThroughOf() {
        Dataset train = images(40, 3);
        ChannelStandardizer fitted = ChannelStandardizer.fit(train, 3);
        ChannelStandardizer copy = ChannelStandardizer.of(fitted.mean(), fitted.std());
        assertArrayEquals(fitted.apply(train).features().toArray(), copy.apply(train).features().toArray(), 0f);
    }

    @Test
    void badShapesAndStatisticsAreRefused() {
        Dataset train = images(10, 4);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ChannelStandardizer.fit(train, 5)),
                "cannot split the 12 features of img into 5 equal channels");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ChannelStandardizer.fit(train, 0)),
                "at least one channel");
        Dataset none = Dataset.classification("none", Tensor.wrap(new float[0], 0, 12), new int[0], 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ChannelStandardizer.fit(none, 3)),
                "none: it has no samples");
        ChannelStandardizer s = ChannelStandardizer.fit(train, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.apply(Tensor.wrap(new float[10], 2, 5))),
                "cannot split the 5 features of a tensor of shape [2, 5] into 3 equal channels");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ChannelStandardizer.of(new float[] {0, 1}, new float[] {1})), "1 stds");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ChannelStandardizer.of(new float[] {0}, new float[] {0})), "std of channel 0 is 0.0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ChannelStandardizer.of(new float[] {Float.NaN}, new float[] {1})), "mean of channel 0 is NaN");
        float[] x = new float[24];
        x[3] = Float.POSITIVE_INFINITY;
        Dataset inf = Dataset.classification("inf", Tensor.wrap(x, 2, 12), new int[] {0, 1}, 2);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ChannelStandardizer.fit(inf, 3)),
                "channel 0 has non-finite values");
    }
}
