package org.relume.tensor.kernel;

/**
 * Cross-entropy on logits, the one implementation that the training losses (LossOps), the
 * evaluation loss (train.Evaluation) and grow-by-folding's per-sample losses (grow.Folding) share,
 * so the number a run trains on and the number it reports cannot drift apart. Both forms are finite
 * for any finite logits:
 * <ul>
 *   <li>binary, logit z, target t in [0, 1]: -t log sigmoid(z) - (1 - t) log(1 - sigmoid(z))
 *       = max(z, 0) - z t + log(1 + e^-|z|); e is only raised to non-positive powers;</li>
 *   <li>softmax, logits z_0..z_{k-1}, label y: -log softmax(z)_y = log sum_c e^(z_c - m) - (z_y - m)
 *       with m = max_c z_c (log-sum-exp with the maximum subtracted): every power is at most 0 and
 *       one is 0, so the sum lies in [1, k] and neither overflows nor underflows to 0.</li>
 * </ul>
 * Exponentials, sums and logarithms are taken in double on float logits; z_c - m is rounded to
 * float, as the training loss has always computed it, so seeded runs stay what they were bit for bit.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** max(z, 0) - z t + log1p(e^-|z|), the binary cross-entropy of logit z against target t. */
    public static double binary(double z, double t) {
        return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /**
     * -log softmax(z)_label of the {@code classes} logits z_c = logits[offset + c * stride]: a stride
     * of 1 reads one sample-major row, a stride of the batch size one feature-major column.
     * {@code label} must lie in [0, classes); callers check it, with their own context.
     *
     * @param logits not modified
     * @param probabilities null, or modified: softmax(z)_c at probabilities[offset + c * stride],
     *                      the same places the logits came from
     */
    public static double softmax(float[] logits, int offset, int stride, int classes, int label, float[] probabilities) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c * stride]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            double e = Math.exp(logits[offset + c * stride] - max);
            if (probabilities != null) {
                probabilities[offset + c * stride] = (float) e;
            }
            sum += e;
        }
        if (probabilities != null) {
            for (int c = 0; c < classes; c++) {
                int i = offset + c * stride;
                probabilities[i] = (float) (probabilities[i] / sum);
            }
        }
        return Math.log(sum) - (logits[offset + label * stride] - max);
    }
}
