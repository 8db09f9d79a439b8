package org.relume.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Curves;
import org.relume.data.Dataset;
import org.relume.geometry.LinearRegions1D;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/** Stage 1 through the ordinary trainer: the loss falls and the weights stay the construction of the current peaks. */
class StageOneTrainingTest {

    @Test
    void trainingPeaksKeepsTheConstructionAndItsPieces() {
        Dataset data = Curves.generate("x3", 200, 0, 1);
        double[] start = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
        for (PeakParametrization.Mode mode : PeakParametrization.Mode.values()) {
            PeakParametrization p = new PeakParametrization(start, Sign.SUBTRACTED, mode, false);
            Network net = p.network();
            double before = Math.pow(4, -6); // Yarotsky's x^2 error scale; x^3 is far from x^2
            TrainResult r = new Trainer(TrainConfig.defaults().epochs(300).optimizer(new Adam(1e-2)).parametrization(p)
                    .logEvery(300)).train(net, data, data.range(0, 0, "none"));
            double first = r.history().rows().get(0).get("train_mse");
            assertTrue(first < 1e-3, mode + ": stage 1 fits x^3 roughly: " + first);
            assertTrue(before > 0);
            // The trained network is exactly the construction of its current peaks and scales.
            Network rebuilt = p.network();
            Tensor x = data.features();
            assertTrue(net.predict(x).maxAbsDifference(rebuilt.predict(x)) == 0f, mode + ": weights follow the peaks");
            if (mode == PeakParametrization.Mode.ENFORCED) {
                double resolution = 0.4 * CompositionalEncoding.narrowestPiece(p.peaks(), 5);
                assertEquals(32, LinearRegions1D.count(net, 0, 1, resolution), "2^5 pieces survive stage 1");
            }
        }
    }
}
