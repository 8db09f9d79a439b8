package org.relume.data;

import java.util.SplittableRandom;
import org.relume.tensor.Tensor;

/**
 * The generated data sets of the growth experiments (REFERENCES.md §4; settings [R] in §7.4).
 * <ul>
 *   <li><b>student-teacher</b> (GradMax's MLP experiment): inputs N(0, I_10); targets from a teacher
 *       10 -> 10 relu (no bias) -> 10 with weights U(-1, 1), drawn from the seed.</li>
 *   <li><b>sine</b> (folding slides): points uniform on [-pi, pi] x [-1.5, 1.5], class 1 when
 *       y &gt; sin(x).</li>
 *   <li><b>overlap-quadratic</b> (folding slides) [R]: points uniform on [-1, 1]^2, class 1 when
 *       y &gt; x^2 - 0.5 + e with e ~ N(0, noise^2), so the classes overlap along the parabola.</li>
 * </ul>
 * The two 2-D sets have two outputs (softmax), for folding's 2-2-2 networks.
 */
public final class GrowthData {
    private GrowthData() {}

    public static Dataset studentTeacher(int n, int inputs, int hidden, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w1 = new double[hidden * inputs];
        double[] w2 = new double[outputs * hidden];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = 2 * r.nextDouble() - 1;
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = 2 * r.nextDouble() - 1;
        }
        float[] x = new float[n * inputs];
        float[] y = new float[n * outputs];
        double[] h = new double[hidden];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < inputs; i++) {
                x[s * inputs + i] = (float) r.nextGaussian();
            }
            for (int j = 0; j < hidden; j++) {
                double z = 0;
                for (int i = 0; i < inputs; i++) {
                    z += w1[j * inputs + i] * x[s * inputs + i];
                }
                h[j] = Math.max(0, z);
            }
            for (int o = 0; o < outputs; o++) {
                double z = 0;
                for (int j = 0; j < hidden; j++) {
                    z += w2[o * hidden + j] * h[j];
                }
                y[s * outputs + o] = (float) z;
            }
        }
        return Dataset.regression("student-teacher", Tensor.wrap(x, n, inputs), Tensor.wrap(y, n, outputs));
    }

    public static Dataset sine(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            double a = (2 * r.nextDouble() - 1) * Math.PI;
            double b = (2 * r.nextDouble() - 1) * 1.5;
            x[2 * s] = (float) a;
            x[2 * s + 1] = (float) b;
            labels[s] = b > Math.sin(a) ? 1 : 0;
        }
        return Dataset.multiclass("sine", Tensor.wrap(x, n, 2), labels, 2);
    }

    public static Dataset overlapQuadratic(int n, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            double a = 2 * r.nextDouble() - 1;
            double b = 2 * r.nextDouble() - 1;
            x[2 * s] = (float) a;
            x[2 * s + 1] = (float) b;
            labels[s] = b > a * a - 0.5 + noise * r.nextGaussian() ? 1 : 0;
        }
        return Dataset.multiclass("overlap-quadratic", Tensor.wrap(x, n, 2), labels, 2);
    }
}
