package org.relume.tensor;

/**
 * Batch normalization of feature-major images [C*P, N] per channel (Ioffe and Szegedy 2015, Alg. 1;
 * the "BN" of the ResNet, HB-Net and AGD-Net blocks): y = gamma (x - mu) / sqrt(var + eps) + beta,
 * with mu and var over the channel's P positions times N samples.
 *
 * <p>A tape that records gradients is a training step: it normalizes with the batch's statistics
 * (biased variance) and moves the running statistics towards them, running = (1 - m) running +
 * m batch, with the unbiased variance as PyTorch does. A tape that does not (prediction,
 * evaluation, diagnostics) normalizes with the running statistics and changes nothing. Sums are in
 * double and in a fixed order, so the result depends neither on the vector width nor on threads.
 */
public final class NormalizationOps {
    private NormalizationOps() {}

    /** The running statistics of one normalization, updated in place by training steps. */
    public record RunningStatistics(float[] mean, float[] variance, float momentum, float eps) {
        public RunningStatistics {
            if (mean.length != variance.length) {
                throw new IllegalArgumentException("batch norm: " + mean.length + " running means but "
                        + variance.length + " running variances");
            }
            if (!(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
                throw new IllegalArgumentException("batch norm: momentum must be in [0, 1] and eps > 0, got momentum "
                        + momentum + ", eps " + eps);
            }
        }
    }

    /** y = gamma * normalize(x) + beta; gamma and beta [C]. */
    public static Var batchNorm(Tape tape, Var x, Var gamma, Var beta, RunningStatistics running) {
        Tensor xv = x.value();
        Shapes.requireRank("batch norm", "input", xv, 2);
        int channels = running.mean().length;
        if (channels <= 0 || xv.rows() % channels != 0) {
            throw new ShapeException("batch norm: " + xv.rows() + " features are not " + channels
                    + " channels of equal size");
        }
        requireChannels("gamma", gamma, channels);
        requireChannels("beta", beta, channels);
        boolean training = tape.gradEnabled();
        int n = xv.cols();
        int positions = xv.rows() / channels;
        if (training && (long) positions * n < 2) {
            throw new ShapeException("batch norm: training needs at least 2 values per channel, got " + positions
                    + " positions x " + n + " samples");
        }
        boolean grad = tape.needsGrad(x, gamma, beta);
        Var y = tape.alloc(xv.rows(), n, grad);
        Node node = grad ? tape.record(BATCH_NORM, y, x, gamma, beta) : null;
        // Row 0: the mean used, row 1: 1 / sqrt(var + eps), per channel, kept for backward.
        float[] kept = node != null ? node.scratch(2, channels).data() : null;
        float[] g = gamma.value().data();
        float[] b = beta.value().data();
        float[] xd = xv.data();
        float[] yd = y.value().data();
        for (int c = 0; c < channels; c++) {
            int from = c * positions * n;
            int to = from + positions * n;
            float mean;
            float inv;
            if (training) {
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += xd[i];
                }
                double m = sum / (to - from);
                double sq = 0;
                for (int i = from; i < to; i++) {
                    double d = xd[i] - m;
                    sq += d * d;
                }
                double var = sq / (to - from);
                mean = (float) m;
                inv = (float) (1.0 / Math.sqrt(var + running.eps()));
                float keep = 1f - running.momentum();
                running.mean()[c] = keep * running.mean()[c] + running.momentum() * mean;
                running.variance()[c] = keep * running.variance()[c]
                        + running.momentum() * (float) (sq / (to - from - 1));
            } else {
                mean = running.mean()[c];
                inv = (float) (1.0 / Math.sqrt(running.variance()[c] + (double) running.eps()));
            }
            if (kept != null) {
                kept[c] = mean;
                kept[channels + c] = inv;
            }
            float scale = g[c] * inv;
            float shift = b[c] - mean * scale;
            for (int i = from; i < to; i++) {
                yd[i] = xd[i] * scale + shift;
            }
        }
        if (node != null) {
            node.i0 = channels;
        }
        return y;
    }

    private static void requireChannels(String what, Var v, int channels) {
        Tensor t = v.value();
        if (t.rank() != 1 || t.dim(0) != channels) {
            throw new ShapeException("batch norm: " + what + " of shape " + t.shapeString() + " does not match "
                    + channels + " channels");
        }
    }

    private static final Op BATCH_NORM = new Op() {
        @Override public String name() { return "batch_norm"; }

        @Override public void backward(Node node) {
            Var x = node.in0;
            Var gamma = node.in1;
            Var beta = node.in2;
            int channels = node.i0;
            float[] xd = x.value().data();
            float[] dy = node.out.grad().data();
            float[] stats = node.scratch.data();
            float[] g = gamma.value().data();
            int n = x.value().cols();
            int count = x.value().rows() / channels * n;
            boolean accX = x.requiresGrad() && x.beginGradWrite();
            float[] dx = x.requiresGrad() ? x.grad().data() : null;
            boolean accGamma = gamma.requiresGrad() && gamma.beginGradWrite();
            boolean accBeta = beta.requiresGrad() && beta.beginGradWrite();
            float[] dGamma = gamma.requiresGrad() ? gamma.grad().data() : null;
            float[] dBeta = beta.requiresGrad() ? beta.grad().data() : null;
            for (int c = 0; c < channels; c++) {
                int from = c * count;
                float mean = stats[c];
                float inv = stats[channels + c];
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int i = from; i < from + count; i++) {
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * (double) ((xd[i] - mean) * inv);
                }
                if (dGamma != null) {
                    dGamma[c] = accGamma ? dGamma[c] + (float) sumDyXhat : (float) sumDyXhat;
                }
                if (dBeta != null) {
                    dBeta[c] = accBeta ? dBeta[c] + (float) sumDy : (float) sumDy;
                }
                if (dx == null) {
                    continue;
                }
                float scale = g[c] * inv;
                // Only training steps record (the tape records exactly when it is one), so the
                // statistics are the batch's and depend on x: two more terms than gamma inv dy.
                float meanDy = (float) (sumDy / count);
                float meanDyXhat = (float) (sumDyXhat / count);
                for (int i = from; i < from + count; i++) {
                    float xhat = (xd[i] - mean) * inv;
                    float v = scale * (dy[i] - meanDy - xhat * meanDyXhat);
                    dx[i] = accX ? dx[i] + v : v;
                }
            }
        }
    };
}
