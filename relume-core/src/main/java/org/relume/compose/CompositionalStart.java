package org.relume.compose;

import java.util.SplittableRandom;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Dataset;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import org.relume.train.TrainingHistory;

/**
 * Stage 1 of compositional pretraining (Milkert et al., Section 4; REFERENCES.md §2) as a start for
 * any training: a 1-[4 x d]-1 network built from peaks a_0..a_d (drawn uniformly in [0.25, 0.75]
 * from the seed [R]) is fitted through its {@link PeakParametrization} with full-batch Adam, in the
 * unit frame of the data ({@link CurveFrame}), and handed back in the data's units as ordinary
 * weights. Stage 2 is then whatever training follows: the paper's plain Adam, or anything else a
 * trainer is configured with (a penalty, growth), which never learns how the weights began.
 */
public final class CompositionalStart {
    private CompositionalStart() {}

    /** What stage 1 produced. {@code unitMse} is the training MSE in the unit frame; the network computes y from x. */
    public record Result(Network network, CurveFrame frame, Sign sign, double[] startPeaks, double[] peaks,
                         TrainingHistory history, double unitMse) {
        /** Stage 1's MSE in the data's units. */
        public double mse() {
            return unitMse * frame.mseScale();
        }
    }

    /** The starting peaks of a model: a_0..a_d uniform in [0.25, 0.75] from the model's seed [R]. */
    public static double[] startingPeaks(long seed, int depth) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[depth + 1];
        for (int i = 0; i <= depth; i++) {
            a[i] = 0.25 + 0.5 * r.nextDouble();
        }
        return a;
    }

    /**
     * Trains {@code net} (which {@code p} builds) through the parametrization for {@code epochs}
     * full-batch Adam epochs at {@code lr} on unit-frame data; the network holds the result.
     */
    public static TrainResult stageOne(PeakParametrization p, Network net, Dataset unitData, int epochs, double lr) {
        TrainConfig c1 = TrainConfig.defaults().seed(0).epochs(epochs).optimizer(new Adam(lr)).parametrization(p)
                .logEvery(Math.max(1, epochs / 10));
        return new Trainer(c1).train(net, unitData, unitData.range(0, 0, "none"));
    }

    /**
     * The whole start for 1-D regression data: frame, wave sign (from the data's side of their
     * chord when {@code sign} is null, {@link Convexity}), peaks from {@code seed}, stage 1.
     *
     * @throws IllegalArgumentException one line for data that are not 1-D regression or have no chord
     */
    public static Result pretrain(Dataset data, Sign sign, PeakParametrization.Mode mode, int depth, long seed, int epochs,
                                  double lr) {
        if (depth < 1) {
            throw new IllegalArgumentException("a compositional network needs at least one hidden layer, got depth " + depth);
        }
        CurveFrame frame = CurveFrame.of(data);
        Dataset unit = frame.toUnit(data);
        Sign s = sign != null ? sign : Convexity.waves(unit);
        double[] peaks = startingPeaks(seed, depth);
        PeakParametrization p = new PeakParametrization(peaks, s, mode, false);
        Network net = p.network();
        TrainResult r = stageOne(p, net, unit, epochs, lr);
        return new Result(frame.toData(net), frame, s, peaks, p.peaks(), r.history(), r.train().mse());
    }
}
