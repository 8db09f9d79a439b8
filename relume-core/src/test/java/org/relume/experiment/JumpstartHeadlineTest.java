package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.geometry.UnitPointStates;
import org.relume.jumpstart.Jumpstart;
import org.relume.nn.Activations;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.RunSeeds;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * The jumpstart paper's headline at width 3, depth 30 with its settings (Adam lr 0.01, full
 * batch, Glorot uniform, 5000 epochs): without the penalty the network dies (a dead layer, a
 * constant output, so its validation accuracy is the validation share of the one class it
 * predicts); with jumpstart (l1, lambda 1e-4) it reaches validation accuracy of at least 0.95.
 * Seeds 1, 2 and 3, as the issue asks.
 */
class JumpstartHeadlineTest {

    @Test
    void width3Depth30DiesWithoutJumpstartAndTrainsWithIt() {
        Settings s = Settings.paper();
        for (long seed = 1; seed <= 3; seed++) {
            RunSeeds seeds = RunSeeds.of(seed);
            Dataset.Split split = DataSources.load(DataSources.Request.of("moons", seeds.data())).split();
            for (boolean jumpstart : new boolean[] {false, true}) {
                int[] widths = new int[30];
                Arrays.fill(widths, 3);
                Network net = Mlp.builder().inputs(2).hidden(widths).outputs(1).activation(Activations.relu())
                        .init(s.init()).seed(seeds.init()).build();
                TrainConfig cfg = TrainConfig.defaults().epochs(s.epochs()).optimizer(new Adam(s.lr()))
                        .logEvery(s.epochs()).seed(seeds.batches());
                if (jumpstart) {
                    cfg.regularizer(new Jumpstart(s.aggregation(), s.lambda(), false));
                }
                TrainResult r = new Trainer(cfg).train(net, split.train(), split.validation());
                UnitPointStates.Report states = UnitPointStates.analyze(r.network(), split.train().features());
                String where = "seed " + seed + (jumpstart ? " jumpstart" : " baseline");
                if (jumpstart) {
                    assertTrue(r.validation().accuracy() >= 0.95, where + ": validation accuracy " + r.validation().accuracy());
                    assertEquals(0, states.deadLayers(), where + ": " + states.summary());
                } else {
                    assertTrue(states.deadLayers() > 0, where + " should have a dead layer: " + states.summary());
                    Tensor out = r.network().predict(split.validation().features());
                    for (int i = 1; i < out.rows(); i++) {
                        assertEquals(out.get(0, 0), out.get(i, 0), where + ": a dead network's output is constant");
                    }
                    int predicted = out.get(0, 0) > 0 ? 1 : 0;
                    long share = Arrays.stream(split.validation().labels()).filter(l -> l == predicted).count();
                    assertEquals((double) share / split.validation().size(), r.validation().accuracy(), 1e-12,
                            where + ": accuracy of the constant prediction");
                }
            }
        }
    }
}
