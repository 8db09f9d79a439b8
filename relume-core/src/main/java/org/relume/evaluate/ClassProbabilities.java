package org.relume.evaluate;

import org.relume.data.Task;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * A classifier's outputs read as classes: one probability per class and the predicted class of
 * every row. Binary models have one logit (class 1's); it is spread over two columns here so that
 * binary and multiclass models report alike. The predicted class is the one the training metric
 * counts (logit &gt; 0, arg-max with the first maximum winning), so evaluate and train agree.
 */
public record ClassProbabilities(int rows, int classes, double[] probabilities, int[] predicted) {

    /** From raw network outputs [rows, 1] (binary) or [rows, classes] (multiclass). */
    public static ClassProbabilities of(Tensor outputs, Task task) {
        if (!task.isClassification()) {
            throw new IllegalArgumentException("class probabilities need a classification model, not " + task.id());
        }
        int n = outputs.rows();
        int k = task == Task.BINARY ? 2 : outputs.cols();
        double[] p = new double[n * k];
        int[] predicted = new int[n];
        float[] d = outputs.data();
        for (int i = 0; i < n; i++) {
            if (task == Task.BINARY) {
                double one = PointwiseFunctions.sigmoid(d[i]);
                p[i * 2] = 1 - one;
                p[i * 2 + 1] = one;
                predicted[i] = d[i] > 0 ? 1 : 0;
            } else {
                predicted[i] = softmaxRow(d, i * k, k, p);
            }
        }
        return new ClassProbabilities(n, k, p, predicted);
    }

    /** Writes the softmax of one row into p (same offsets) and returns its arg-max. */
    private static int softmaxRow(float[] d, int offset, int k, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int c = 0; c < k; c++) {
            if (d[offset + c] > max) {
                max = d[offset + c];
                arg = c;
            }
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[offset + c] = Math.exp(d[offset + c] - max);
            sum += p[offset + c];
        }
        for (int c = 0; c < k; c++) {
            p[offset + c] /= sum;
        }
        return arg;
    }

    /** The probability of class {@code c} for row {@code row}. */
    public double probability(int row, int c) {
        return probabilities[row * classes + c];
    }
}
