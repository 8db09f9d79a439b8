package org.relume.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relume.optim.LearningRateSchedule;

/** The resnet-cifar recipe's decays land where the reference code puts them, colliding ones included. */
class TrainingRecipeTest {
    @Test
    void milestonesRoundDownAndCollidingOnesDecayTogether() {
        TrainingRecipe r = TrainingRecipe.RESNET_CIFAR;
        assertArrayEquals(new int[] {150, 225}, r.milestones(300), "the paper's 300 epochs");
        assertArrayEquals(new int[] {1, 2}, r.milestones(3));
        LearningRateSchedule two = r.schedule(2);
        assertArrayEquals(new int[] {1, 1}, r.milestones(2));
        assertEquals(0.1, two.rate(0.1, 0), 1e-12);
        assertEquals(0.001, two.rate(0.1, 1), 1e-12, "both decays at epoch 1");
        assertEquals(0.1, r.schedule(1).rate(0.1, 0), 1e-12, "one epoch: no room for a decay");
        LearningRateSchedule five = r.schedule(5);
        assertEquals(0.1, five.rate(0.1, 1), 1e-12);
        assertEquals(0.01, five.rate(0.1, 2), 1e-12);
        assertEquals(0.001, five.rate(0.1, 4), 1e-12);
    }
}
