package org.relume.examples;

import org.relume.data.Dataset;
import org.relume.data.Moons;
import org.relume.geometry.Canonicalization;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * A function-preserving canonical form of a trained ReLU net (the degenerate-parametrization
 * paper's Section 3): a 2-12-1 net trained on moons is rebalanced (each unit's (a_i, b_i) and c_i
 * scaled to equal max-norms), its positively parallel units merged and its units that contribute
 * nothing anywhere dropped. The output difference on random inputs shows the function is kept.
 * Every setting not given here is the shared default ({@code org.relume.nn.Defaults}).
 */
public final class Canonicalize {
    private Canonicalize() {}

    /** @param args optional: the number of training epochs (default 2000) */
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Dataset.Split data = Moons.generate(100, 0.1, 1).splitAt(85);
        Network net = Mlp.builder().inputs(2).hidden(12).outputs(1).build();
        TrainResult r = new Trainer(TrainConfig.defaults().epochs(epochs)).train(net, data.train(), data.validation());
        Network canonical = Canonicalization.canonicalize(r.network(),
                new Canonicalization.Options(true, true, true, 1e-6));
        double diff = Canonicalization.maxOutputDifference(r.network(), canonical, 10_000, 1, false);
        System.out.printf("trained   %s, validation accuracy %.3f%n", r.network().architecture(), r.validation().accuracy());
        System.out.printf("canonical %s, max output difference %.2e on 10000 inputs%n", canonical.architecture(), diff);
    }
}
