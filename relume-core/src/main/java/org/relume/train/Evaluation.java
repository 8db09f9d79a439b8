package org.relume.train;

import org.relume.data.Dataset;
import org.relume.data.Task;
import org.relume.loss.Loss;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;
import org.relume.tensor.kernel.CrossEntropy;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * A network's loss and metric on a whole data set, computed in double from its raw outputs:
 * accuracy for classification (logit &gt; 0 for binary, arg-max for multiclass), mean squared
 * error for regression. The cross-entropies are the training losses' own ({@link CrossEntropy}).
 */
public record Evaluation(double loss, double accuracy, double mse, int samples) {

    public static Evaluation of(Network network, Dataset data, Loss loss) {
        int n = data.size();
        if (n == 0) {
            return new Evaluation(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        Tensor out = network.predict(data.features());
        float[] o = out.data();
        int k = out.cols();
        double lossSum = 0;
        double sq = 0;
        int correct = 0;
        Task task = data.task();
        for (int i = 0; i < n; i++) {
            if (task == Task.REGRESSION) {
                float[] t = data.targets().data();
                for (int c = 0; c < k; c++) {
                    double d = (double) o[i * k + c] - t[i * k + c];
                    sq += d * d;
                }
            } else if (task == Task.BINARY) {
                double z = o[i];
                int y = data.labels()[i];
                if ((z > 0 ? 1 : 0) == y) {
                    correct++;
                }
                if (loss == Loss.BINARY_CROSS_ENTROPY) {
                    lossSum += CrossEntropy.binary(z, y);
                } else {
                    sq += (z - y) * (z - y);
                }
            } else {
                int y = data.labels()[i];
                int arg = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    if (o[i * k + c] > max) {
                        max = o[i * k + c];
                        arg = c;
                    }
                }
                if (arg == y) {
                    correct++;
                }
                lossSum += CrossEntropy.softmax(o, i * k, 1, k, y, null);
            }
        }
        double mse = task == Task.REGRESSION ? sq / ((double) n * k) : Double.NaN;
        double lossValue = switch (loss) {
            case MSE -> task == Task.REGRESSION ? mse : sq / n;
            case BINARY_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY -> lossSum / n;
        };
        double accuracy = task.isClassification() ? (double) correct / n : Double.NaN;
        return new Evaluation(lossValue, accuracy, mse, n);
    }

    /** The metric that matters for the task: accuracy or MSE. */
    public double metric(Task task) {
        return task.isClassification() ? accuracy : mse;
    }

    /** Probability of class 1 for a binary logit (for predictions). */
    public static double probability(double logit) {
        return PointwiseFunctions.sigmoid(logit);
    }
}
