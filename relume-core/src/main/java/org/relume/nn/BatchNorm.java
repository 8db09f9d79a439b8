package org.relume.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.tensor.NormalizationOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * The per-channel batch normalization a convolution layer may carry between its linear map and
 * its activation (Ioffe and Szegedy 2015; conv-BN-ReLU, as in the ResNet and HB-Net blocks of Li
 * et al., eq. 16): learnable scale and shift ({@code bn.weight}, {@code bn.bias}, PyTorch's names)
 * and running statistics ({@code bn.running_mean}, {@code bn.running_var}) that training steps
 * update and model files keep. Training steps use the batch's statistics, everything else the
 * running ones (see {@link NormalizationOps}).
 */
public final class BatchNorm {
    /** PyTorch's defaults, so that a model moved between the two normalizes alike. */
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;

    private final Var gamma;
    private final Var beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final NormalizationOps.RunningStatistics running;

    /** Identity at the start: scale 1, shift 0, running mean 0 and variance 1. */
    public static BatchNorm fresh(int channels) {
        return new BatchNorm(Var.parameter("bn.weight", Tensor.zeros(channels).fill(1f)),
                Var.parameter("bn.bias", Tensor.zeros(channels)), Tensor.zeros(channels), Tensor.zeros(channels).fill(1f),
                MOMENTUM, EPS);
    }

    /** Over existing tensors (not copied), as model loading needs. */
    public BatchNorm(Var gamma, Var beta, Tensor runningMean, Tensor runningVar, float momentum, float eps) {
        int c = gamma.value().numel();
        for (Tensor t : new Tensor[] {beta.value(), runningMean, runningVar}) {
            if (t.rank() != 1 || t.dim(0) != c) {
                throw new IllegalArgumentException("batch norm: every tensor must have " + c + " channels, got "
                        + t.shapeString());
            }
        }
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.running = new NormalizationOps.RunningStatistics(runningMean.data(), runningVar.data(), momentum, eps);
    }

    public int channels() {
        return runningMean.numel();
    }

    public Var apply(Tape tape, Var x) {
        return NormalizationOps.batchNorm(tape, x, gamma, beta, running);
    }

    public List<Var> parameters() {
        return List.of(gamma, beta);
    }

    /** The running statistics by local name; not trained, but saved. */
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("bn.running_mean", runningMean);
        m.put("bn.running_var", runningVar);
        return m;
    }

    public float momentum() {
        return running.momentum();
    }

    public float eps() {
        return running.eps();
    }

    public BatchNorm copy() {
        return new BatchNorm(Var.parameter("bn.weight", gamma.value().copy()), Var.parameter("bn.bias", beta.value().copy()),
                runningMean.copy(), runningVar.copy(), momentum(), eps());
    }
}
