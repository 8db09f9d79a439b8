package org.relume.examples;

import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.geometry.UnitPointStates;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * The jumpstart paper's headline as a library call: a width-3, depth-30 ReLU net on the moons data,
 * plain and with the jumpstart penalty (Riera et al., eq. 9), with the unit/point states after
 * training. Run: java --add-modules jdk.incubator.vector -cp ... org.relume.examples.TrainWithJumpstart
 */
public final class TrainWithJumpstart {
    private TrainWithJumpstart() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Dataset.Split data = Moons.generate(100, 0, 1).splitAt(85);
        for (boolean jumpstart : new boolean[] {false, true}) {
            Network net = Mlp.builder().inputs(2).hidden(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
                    3, 3, 3, 3, 3, 3, 3, 3).outputs(1).activation(Activations.relu()).init(Initializer.GLOROT_UNIFORM)
                    .seed(1).build();
            TrainConfig config = TrainConfig.defaults().epochs(epochs).optimizer(new Adam(0.01));
            if (jumpstart) {
                config.regularizer(new Jumpstart(Aggregation.L1, 1e-4, false));
            }
            TrainResult r = new Trainer(config).train(net, data.train(), data.validation());
            UnitPointStates.Report states = UnitPointStates.analyze(r.network(), data.train().features());
            System.out.printf("%-9s validation accuracy %.3f, dead layers %d%n", jumpstart ? "jumpstart" : "plain",
                    r.validation().accuracy(), states.deadLayers());
        }
    }
}
