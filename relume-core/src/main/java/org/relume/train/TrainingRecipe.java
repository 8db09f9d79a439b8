package org.relume.train;

import java.util.Locale;
import org.relume.optim.LearningRateSchedule;
import org.relume.optim.Optimizer;
import org.relume.optim.Sgd;

/**
 * A named set of training settings that a paper states once for all its models, so that a
 * comparison trains each model the same way. {@code resnet-cifar} is the recipe of Li et al.
 * (Section 7.1, the DenseNet paper's strategy: Huang et al. 2017) for ResNet, HB-Net, DenseNet and
 * AGD-Net on CIFAR: SGD with Nesterov momentum 0.9, weight decay 1e-4, learning rate 0.1 divided by
 * 10 at 50% and 75% of training, batch 64.
 */
public record TrainingRecipe(String id, double lr, double momentum, boolean nesterov, double weightDecay,
                             int batchSize, double[] milestoneFractions, double gamma) {

    public static final TrainingRecipe RESNET_CIFAR =
            new TrainingRecipe("resnet-cifar", 0.1, 0.9, true, 1e-4, 64, new double[] {0.5, 0.75}, 0.1);

    public static TrainingRecipe byId(String id) {
        if (RESNET_CIFAR.id.equals(id.toLowerCase(Locale.ROOT))) {
            return RESNET_CIFAR;
        }
        throw new IllegalArgumentException("unknown recipe '" + id + "'; known: " + RESNET_CIFAR.id);
    }

    public Optimizer optimizer() {
        return new Sgd(lr, momentum, nesterov, weightDecay);
    }

    /**
     * The decays at the stated fractions of {@code epochs}, rounded down as the reference code does
     * (int(0.5 E), int(0.75 E)); milestones that coincide decay together. Constant when training is
     * too short to place the first.
     */
    public LearningRateSchedule schedule(int epochs) {
        int[] at = milestones(epochs);
        return at[0] <= 0 ? LearningRateSchedule.constant() : LearningRateSchedule.multistep(at, gamma);
    }

    /** The epochs (from 0) at which the rate decays. */
    public int[] milestones(int epochs) {
        int[] at = new int[milestoneFractions.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = (int) Math.floor(milestoneFractions[i] * epochs);
        }
        return at;
    }
}
