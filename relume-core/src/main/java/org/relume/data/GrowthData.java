package org.relume.data;

import java.util.SplittableRandom;
import org.relume.tensor.Tensor;

/**
 * The generated data sets of the growth experiments (REFERENCES.md §4; settings [R] in §7.4).
 * <ul>
 *   <li><b>student-teacher</b> (GradMax's MLP experiment): inputs N(0, I_10); targets from a teacher
 *       10 -> 10 relu (no bias) -> 10 with weights U(-1, 1), drawn from the seed; {@link #teacher}
 *       gives any shape and a seed of the teacher's own.</li>
 *   <li><b>sine</b> (folding slides): points uniform on [-pi, pi] x [-1.5, 1.5], class 1 when
 *       y &gt; sin(x).</li>
 *   <li><b>overlap-quadratic</b> (folding slides) [R]: points uniform on [-1, 1]^2, class 1 when
 *       y &gt; x^2 - 0.5 + e with e ~ N(0, noise^2), so the classes overlap along the parabola.</li>
 * </ul>
 * The two 2-D sets have two outputs (softmax), for folding's 2-2-2 networks.
 */
public final class GrowthData {
    private GrowthData() {}

    /** GradMax's setting: the teacher's weights, then the inputs, from one stream of {@code seed}. */
    public static Dataset studentTeacher(int n, int inputs, int hidden, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Teacher t = Teacher.draw(inputs, hidden, outputs, r);
        return t.sample("student-teacher", n, r);
    }

    /**
     * A teacher drawn from {@code teacherSeed} alone and inputs from {@code inputSeed}: the same
     * function for every input seed, unlike {@link #studentTeacher}, whose teacher changes with it.
     */
    public static Dataset teacher(int n, int inputs, int hidden, int outputs, long teacherSeed, long inputSeed) {
        if (inputs < 1 || hidden < 1 || outputs < 1 || n < 1) {
            throw new IllegalArgumentException("a teacher needs in, hidden, out and n >= 1, got in=" + inputs + ", hidden="
                    + hidden + ", out=" + outputs + ", n=" + n);
        }
        if ((long) hidden * Math.max(inputs, outputs) > 10_000_000L || (long) n * Math.max(inputs, outputs) > 100_000_000L) {
            throw new IllegalArgumentException("a teacher of " + inputs + "-" + hidden + "-" + outputs + " with n=" + n
                    + " is too large (at most 1e7 weights per layer and 1e8 values per tensor)");
        }
        Teacher t = Teacher.draw(inputs, hidden, outputs, new SplittableRandom(teacherSeed));
        return t.sample("teacher", n, new SplittableRandom(inputSeed));
    }

    /** A bias-free inputs -> hidden relu -> outputs network with weights U(-1, 1), in double. */
    record Teacher(int inputs, int hidden, int outputs, double[] w1, double[] w2) {
        static Teacher draw(int inputs, int hidden, int outputs, SplittableRandom r) {
            double[] w1 = new double[hidden * inputs];
            double[] w2 = new double[outputs * hidden];
            for (int i = 0; i < w1.length; i++) {
                w1[i] = 2 * r.nextDouble() - 1;
            }
            for (int i = 0; i < w2.length; i++) {
                w2[i] = 2 * r.nextDouble() - 1;
            }
            return new Teacher(inputs, hidden, outputs, w1, w2);
        }

        /** The outputs for the sample that starts at {@code x[from]}, written to {@code y[to..]}. */
        void apply(float[] x, int from, float[] y, int to) {
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double z = 0;
                for (int i = 0; i < inputs; i++) {
                    z += w1[j * inputs + i] * x[from + i];
                }
                h[j] = Math.max(0, z);
            }
            for (int o = 0; o < outputs; o++) {
                double z = 0;
                for (int j = 0; j < hidden; j++) {
                    z += w2[o * hidden + j] * h[j];
                }
                y[to + o] = (float) z;
            }
        }

        /** n inputs N(0, I) from {@code r} and the teacher's outputs for them. */
        Dataset sample(String name, int n, SplittableRandom r) {
            float[] x = new float[n * inputs];
            float[] y = new float[n * outputs];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < inputs; i++) {
                    x[s * inputs + i] = (float) r.nextGaussian();
                }
                apply(x, s * inputs, y, s * outputs);
            }
            return Dataset.regression(name, Tensor.wrap(x, n, inputs), Tensor.wrap(y, n, outputs));
        }
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
