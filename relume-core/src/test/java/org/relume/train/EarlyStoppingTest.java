package org.relume.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relume.data.Dataset;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;

/** Early stopping on a validation set that learning makes worse: it must stop and give back its best epoch. */
class EarlyStoppingTest {

    @Test
    void stopsAfterThePatienceAndRestoresTheBestWeights() {
        Dataset train = TrainerTest.disc(200, 1);
        int[] flipped = train.labels().clone();
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = 1 - flipped[i];
        }
        // The same points with every label flipped: the better the fit, the worse the validation.
        Dataset validation = Dataset.classification("flipped", train.features(), flipped, 2);
        Network net = Mlp.of(2, 8, 2, 1, Activations.relu(), Initializer.KAIMING_UNIFORM, 2);
        EarlyStopping early = new EarlyStopping(10);
        TrainConfig cfg = TrainConfig.defaults().epochs(500).optimizer(new Adam(0.02)).logEvery(5).listener(early);
        TrainResult r = new Trainer(cfg).train(net, train, validation);
        assertTrue(r.epochs() < 500, "stopped early, after " + r.epochs() + " epochs");
        EarlyStopping.Snapshot best = early.best();
        assertTrue(r.epochs() - 1 - best.epoch() >= 10 && r.epochs() - 1 - best.epoch() < 15,
                "stopped at the first logged epoch 10 or more after the best: best " + best.epoch() + ", ran " + r.epochs());
        assertEquals(best.metric(), r.validation().accuracy(), 0, "the reported accuracy is the best epoch's");
        assertEquals(best.loss(), r.validation().loss(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0));
    }
}
