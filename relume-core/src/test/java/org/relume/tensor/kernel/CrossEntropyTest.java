package org.relume.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared cross-entropies: hand-computed cases, extreme logits, both layouts, a naive double reference. */
class CrossEntropyTest {

    @Test
    void handComputedCases() {
        assertEquals(Math.log(2), CrossEntropy.binary(0, 1), 1e-15);
        assertEquals(Math.log(2), CrossEntropy.binary(0, 0), 1e-15);
        // a soft target: 0.25 log 2 + 0.75 log 2
        assertEquals(Math.log(2), CrossEntropy.binary(0, 0.25), 1e-15);
        // softmax(0, ln 3) = (1/4, 3/4)
        float[] z = {0f, (float) Math.log(3)};
        float[] p = new float[2];
        assertEquals(Math.log(4), CrossEntropy.softmax(z, 0, 1, 2, 0, p), 1e-6);
        assertArrayEquals(new float[] {0.25f, 0.75f}, p, 1e-7f);
        assertEquals(Math.log(4.0 / 3), CrossEntropy.softmax(z, 0, 1, 2, 1, null), 1e-6);
    }

    @Test
    void extremeLogitsStayFinite() {
        // the naive forms overflow here: e^1000 and log(1 + e^1000)
        assertEquals(0, CrossEntropy.binary(1000, 1), 0);
        assertEquals(1000, CrossEntropy.binary(-1000, 1), 0);
        assertEquals(1000, CrossEntropy.binary(1000, 0), 0);
        float[] z = {1000f, 0f, -1000f};
        float[] p = new float[3];
        assertEquals(2000, CrossEntropy.softmax(z, 0, 1, 3, 2, p), 0);
        assertEquals(0, CrossEntropy.softmax(z, 0, 1, 3, 0, p), 0);
        assertArrayEquals(new float[] {1f, 0f, 0f}, p);
    }

    @Test
    void featureMajorAndSampleMajorAgreeBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        int classes = 5;
        int batch = 9;
        float[] sampleMajor = new float[batch * classes];
        float[] featureMajor = new float[classes * batch];
        for (int j = 0; j < batch; j++) {
            for (int c = 0; c < classes; c++) {
                float v = (float) (4 * r.nextGaussian());
                sampleMajor[j * classes + c] = v;
                featureMajor[c * batch + j] = v;
            }
        }
        float[] ps = new float[sampleMajor.length];
        float[] pf = new float[featureMajor.length];
        for (int j = 0; j < batch; j++) {
            int label = j % classes;
            assertEquals(CrossEntropy.softmax(sampleMajor, j * classes, 1, classes, label, ps),
                    CrossEntropy.softmax(featureMajor, j, batch, classes, label, pf), 0);
            for (int c = 0; c < classes; c++) {
                assertEquals(ps[j * classes + c], pf[c * batch + j], 0);
            }
        }
    }

    @Test
    void matchesNaiveDoubleFormulasOnModerateLogits() {
        // seed 3: any seed will do; moderate logits keep the naive forms exact enough to compare
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int classes = 1 + r.nextInt(8);
            float[] z = new float[classes];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = (float) (3 * r.nextGaussian());
                sum += Math.exp(z[c]);
            }
            int label = r.nextInt(classes);
            float[] p = new float[classes];
            assertEquals(Math.log(sum) - z[label], CrossEntropy.softmax(z, 0, 1, classes, label, p), 1e-6);
            for (int c = 0; c < classes; c++) {
                assertEquals(Math.exp(z[c]) / sum, p[c], 1e-6);
            }
            double t = r.nextDouble();
            double s = 1 / (1 + Math.exp(-z[0]));
            assertEquals(-(t * Math.log(s) + (1 - t) * Math.log(1 - s)), CrossEntropy.binary(z[0], t), 1e-9);
        }
    }
}
