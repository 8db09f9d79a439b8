package org.relume.tensor;

import org.relume.tensor.kernel.CrossEntropy;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Loss functions on the tape, each the mean over the batch, on feature-major predictions
 * ([outputs, batch]).
 * <ul>
 *   <li>MSE: mean over all elements of (y - t)^2 (PyTorch's MSELoss, Keras' mse for one output);</li>
 *   <li>binary cross-entropy on logits z with targets t in [0, 1]:
 *       mean of max(z, 0) - z t + log(1 + e^-|z|), stable for any z; dz = (sigmoid(z) - t) / n;</li>
 *   <li>softmax cross-entropy on logits [classes, batch] with integer labels:
 *       mean of -log softmax(z)[label]; dz = (softmax(z) - onehot) / batch.</li>
 * </ul>
 * Both cross-entropies come from {@link CrossEntropy}, which evaluation and growth use too.
 */
public final class LossOps {
    private LossOps() {}

    /** Mean squared error between {@code prediction} and {@code target} (same shape). */
    public static Var mse(Tape tape, Var prediction, Tensor target) {
        Tensor p = prediction.value();
        Shapes.requireSameShape("mse loss (prediction vs target)", p, target);
        int n = p.numel();
        float[] pd = p.data();
        float[] td = target.data();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) pd[i] - td[i];
            s += d * d;
        }
        boolean grad = tape.needsGrad(prediction);
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = n == 0 ? 0f : (float) (s / n);
        if (grad) {
            tape.record(MSE, out, prediction, null, null).aux = target;
        }
        return out;
    }

    /** Binary cross-entropy of {@code logits} against 0/1 (or soft) {@code target}, same shape. */
    public static Var bceWithLogits(Tape tape, Var logits, Tensor target) {
        Tensor z = logits.value();
        Shapes.requireSameShape("binary cross-entropy (logits vs target)", z, target);
        int n = z.numel();
        float[] zd = z.data();
        float[] td = target.data();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += CrossEntropy.binary(zd[i], td[i]);
        }
        boolean grad = tape.needsGrad(logits);
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = n == 0 ? 0f : (float) (s / n);
        if (grad) {
            tape.record(BCE, out, logits, null, null).aux = target;
        }
        return out;
    }

    /**
     * Softmax cross-entropy of {@code logits} [classes, batch] against {@code labels} (one per
     * column, each in [0, classes)).
     */
    public static Var softmaxCrossEntropy(Tape tape, Var logits, int[] labels) {
        Tensor z = logits.value();
        Shapes.requireRank("softmax cross-entropy", "logits", z, 2);
        int classes = z.rows();
        int batch = z.cols();
        if (labels.length < batch) {
            throw new ShapeException("softmax cross-entropy: " + batch + " columns of logits but only "
                    + labels.length + " labels");
        }
        boolean grad = tape.needsGrad(logits);
        Var out = tape.allocScalar(grad);
        Node node = grad ? tape.record(SOFTMAX_CE, out, logits, null, null) : null;
        // Only the backward needs the probabilities; without it there is nowhere to keep them.
        float[] pd = node != null ? node.scratch(classes, batch).data() : null;
        float[] zd = z.data();
        double total = 0;
        for (int j = 0; j < batch; j++) {
            int label = labels[j];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("softmax cross-entropy: label " + label + " of sample " + j
                        + " is outside [0, " + classes + ")");
            }
            total += CrossEntropy.softmax(zd, j, batch, classes, label, pd);
        }
        out.value().data()[0] = batch == 0 ? 0f : (float) (total / batch);
        if (node != null) {
            node.aux = labels;
        }
        return out;
    }

    /**
     * Gradients at the logits below this are set to 0. A memorized sample's other classes reach
     * probabilities of 1e-40 and less: subnormal floats, which x86 multiplies through microcode
     * (about 100 times slower) in every later product of the backward pass, and Java cannot set the
     * flush-to-zero flags. What is dropped is tiny but not nothing: summed over a batch of
     * activations it stays below about 1e-14, and Adam amplifies a gradient by at most 1/eps = 1e8,
     * so one step's change to a weight is at most lr * 1e-6 (an ulp of a small weight). Runs are
     * therefore not bit-identical to unflushed ones, and a chaotic run (a deep net near dying) can
     * end elsewhere.
     */
    static final float TINY_GRADIENT = 1e-20f;

    static float flushTiny(float v) {
        return Math.abs(v) < TINY_GRADIENT ? 0f : v;
    }

    private static final Op MSE = new Op() {
        @Override public String name() { return "mse"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            Tensor p = n.in0.value();
            float[] td = ((Tensor) n.aux).data();
            int len = p.numel();
            float scale = 2f * n.out.grad().data()[0] / len;
            boolean acc = n.in0.beginGradWrite();
            float[] pd = p.data();
            float[] g = n.in0.grad().data();
            for (int i = 0; i < len; i++) {
                float v = scale * (pd[i] - td[i]);
                g[i] = acc ? g[i] + v : v;
            }
        }
    };

    private static final Op BCE = new Op() {
        @Override public String name() { return "bce_with_logits"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            Tensor z = n.in0.value();
            float[] td = ((Tensor) n.aux).data();
            int len = z.numel();
            float scale = n.out.grad().data()[0] / len;
            boolean acc = n.in0.beginGradWrite();
            float[] zd = z.data();
            float[] g = n.in0.grad().data();
            for (int i = 0; i < len; i++) {
                float v = flushTiny(scale * ((float) PointwiseFunctions.sigmoid(zd[i]) - td[i]));
                g[i] = acc ? g[i] + v : v;
            }
        }
    };

    private static final Op SOFTMAX_CE = new Op() {
        @Override public String name() { return "softmax_cross_entropy"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            int[] labels = (int[]) n.aux;
            Tensor prob = n.scratch;
            int classes = prob.rows();
            int batch = prob.cols();
            float scale = n.out.grad().data()[0] / batch;
            boolean acc = n.in0.beginGradWrite();
            float[] pd = prob.data();
            float[] g = n.in0.grad().data();
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < batch; j++) {
                    int i = c * batch + j;
                    float v = flushTiny(scale * (pd[i] - (labels[j] == c ? 1f : 0f)));
                    g[i] = acc ? g[i] + v : v;
                }
            }
        }
    };
}
