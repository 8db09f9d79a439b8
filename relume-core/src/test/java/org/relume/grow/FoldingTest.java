package org.relume.grow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relume.data.Dataset;
import org.relume.data.GrowthData;
import org.relume.experiment.FoldingExperiment;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.TrainConfig;
import org.relume.train.Trainer;

class FoldingTest {

    private static Network trained(Dataset data, long seed, int epochs) {
        Network net = Mlp.builder().inputs(2).hidden(2).outputs(2).init(Initializer.KAIMING_UNIFORM).seed(seed).build();
        new Trainer(TrainConfig.defaults().epochs(epochs).optimizer(new Adam(0.01)).logEvery(epochs))
                .train(net, data, data.range(0, 0, "none"));
        return net;
    }

    @Test
    void aFoldPreservesTheFunctionAndPlacesTheHyperplaneThroughTheFoldPoint() {
        for (long seed = 1; seed <= 4; seed++) {
            Dataset data = seed % 2 == 0 ? GrowthData.sine(300, seed) : GrowthData.overlapQuadratic(300, 0.15, seed);
            Network net = trained(data, seed, 500);
            Tensor before = net.predict(data.features());
            Folding.Result r = Folding.grow(net, data, Folding.Settings.defaults(seed), null);
            Network grown = r.network();
            assertEquals(3, grown.layer(0).outputSize());
            assertTrue(grown.predict(data.features()).maxAbsDifference(before) < 1e-6f, "seed " + seed + ": outputs unchanged");
            Folding.Step s = r.step();
            double[] w = s.newWeights();
            double atFold = w[0] * s.foldPoint()[0] + w[1] * s.foldPoint()[1] + s.newBias();
            assertEquals(0, atFold, 1e-9, "the new hyperplane passes through x_f");
            double atTarget = w[0] * s.target()[0] + w[1] * s.target()[1] + s.newBias();
            assertTrue(atTarget >= 0, "x_t lies on the new unit's active side");
            // x_f lies on the boundary of x_t's activated segment: w.x_f + b = 0 for the boundary normal.
            double boundary = s.boundaryNormal()[0] * s.foldPoint()[0] + s.boundaryNormal()[1] * s.foldPoint()[1] + s.boundaryOffset();
            assertEquals(0, boundary, 1e-6 * (1 + Math.abs(s.boundaryOffset())), "x_f on the local decision boundary");
            // The new unit's outgoing weights are zero, its incoming weights the new hyperplane.
            Dense hidden = (Dense) grown.layer(0);
            assertEquals((float) w[0], hidden.weight().value().get(2, 0));
            assertEquals(0f, ((Dense) grown.layer(1)).weight().value().get(0, 2));
            // Equivalent deepening keeps the function too.
            Network deeper = Surgery.insertIdentity(grown, 1, Surgery.IdentityMode.AUTO, null);
            assertTrue(deeper.predict(data.features()).maxAbsDifference(before) < 1e-6f);
        }
    }

    @Test
    void foldingOnSineBeatsTheSameSeedsNarrowNetwork() {
        FoldingExperiment.Result r = FoldingExperiment.run("sine", 1, FoldingExperiment.Settings.defaults());
        assertEquals("2-3-2", r.grown().network().architecture());
        assertTrue(r.grown().accuracy() > r.narrow().accuracy(),
                "grown " + r.grown().accuracy() + " vs 2-2-2 " + r.narrow().accuracy());
    }

    @Test
    void typicalInstanceIsInTheHighestLossCluster() {
        // Two blobs; only the right one has loss.
        float[] xs = {0, 0, 0.1f, 0, 0, 0.1f, 5, 5, 5.1f, 5, 5, 5.1f};
        double[] loss = {0.01, 0.01, 0.01, 2, 3, 2};
        Folding.Typical t = Folding.typicalInstance(xs, 6, 2, loss, new Folding.Settings(2, 8, 20, 1));
        assertTrue(t.index() >= 3, "x_t from the high-loss blob, got index " + t.index());
        assertEquals(7.0 / 3, t.clusterMeanLoss(), 1e-9);
    }
}
