package org.relume.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.relume.data.CsvReaderTest.assertMessage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.tensor.Tensor;

class StandardizerTest {
    /** 200 samples: column 0 ~ N(5, 2^2), column 1 ~ U(-100, 0), column 2 constant 7. */
    private static Dataset sample() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 200;
        float[] x = new float[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = (float) (5 + 2 * random.nextGaussian());
            x[3 * i + 1] = (float) (-100 * random.nextDouble());
            x[3 * i + 2] = 7f;
            labels[i] = i % 2;
        }
        return Dataset.classification("sample", Tensor.wrap(x, n, 3), labels, 2);
    }

    @Test
    void appliedTrainingDataHasMeanZeroAndStdOne() {
        Dataset train = sample();
        Standardizer s = Standardizer.fit(train);
        Dataset z = s.apply(train);
        assertEquals(train.name(), z.name());
        assertArrayEquals(train.labels(), z.labels());
        for (int j = 0; j < 2; j++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < z.size(); i++) {
                sum += z.features().get(i, j);
            }
            double mean = sum / z.size();
            for (int i = 0; i < z.size(); i++) {
                double d = z.features().get(i, j) - mean;
                squares += d * d;
            }
            assertEquals(0, mean, 1e-5, "mean of feature " + j);
            assertEquals(1, Math.sqrt(squares / z.size()), 1e-5, "population std of feature " + j);
        }
        assertEquals(5, s.mean()[0], 0.5);
        assertEquals(2, s.std()[0], 0.3);
    }

    @Test
    void constantColumnKeepsUnitScale() {
        Standardizer s = Standardizer.fit(sample());
        assertEquals(7f, s.mean()[2], 0);
        assertEquals(1f, s.std()[2], 0, "zero spread becomes 1, so nothing is divided by 0");
        Tensor z = s.apply(sample().features());
        for (int i = 0; i < z.rows(); i++) {
            assertEquals(0f, z.get(i, 2), 0, "a constant column is only shifted");
        }
        // a later value off the constant passes with its offset unscaled
        Tensor later = Tensor.of(new float[] {5, -50, 9.5f}, 1, 3);
        assertEquals(2.5f, s.apply(later).get(0, 2), 0);
    }

    @Test
    void applyLeavesItsInputAloneAndUsesTrainingStatistics() {
        Standardizer s = Standardizer.of(new float[] {1, -2}, new float[] {2, 0.5f});
        Tensor x = Tensor.of(new float[] {3, -2, 1, -1}, 2, 2);
        Tensor z = s.apply(x);
        assertNotSame(x, z);
        assertArrayEquals(new float[] {1, 0, 0, 2}, z.toArray());
        assertArrayEquals(new float[] {3, -2, 1, -1}, x.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.apply(Tensor.zeros(4, 3)));
        assertMessage(e, "fitted on 2 features", "[4, 3]");
    }

    @Test
    void accessorsReturnCopies() {
        Standardizer s = Standardizer.of(new float[] {1}, new float[] {2});
        s.mean()[0] = 100;
        s.std()[0] = 100;
        assertArrayEquals(new float[] {1}, s.mean());
        assertArrayEquals(new float[] {2}, s.std());
        float[] mean = {3};
        Standardizer t = Standardizer.of(mean, new float[] {1});
        mean[0] = 4;
        assertArrayEquals(new float[] {3}, t.mean());
    }

    @Test
    void ofValidates() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Standardizer.of(new float[] {0, 0}, new float[] {1})), "2 means and 1 stds");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Standardizer.of(new float[] {0, 0}, new float[] {1, 0})), "std of feature 1 is 0.0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Standardizer.of(new float[] {0}, new float[] {-1})), "expected a finite number > 0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Standardizer.of(new float[] {Float.NaN}, new float[] {1})), "mean of feature 0 is NaN");
        assertThrows(IllegalArgumentException.class,
                () -> Standardizer.of(new float[] {0}, new float[] {Float.POSITIVE_INFINITY}));
    }

    @Test
    void fitRejectsEmptyAndNonFiniteData() {
        Dataset empty = Dataset.regression("none", Tensor.zeros(0, 2), Tensor.zeros(0, 1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(empty)), "none", "no samples");
        Dataset nan = Dataset.regression("nan", Tensor.of(new float[] {1, Float.NaN}, 2, 1), Tensor.zeros(2, 1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(nan)), "feature 0", "non-finite");
    }
}
