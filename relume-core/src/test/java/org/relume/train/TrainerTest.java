package org.relume.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.data.Dataset;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.optim.Adam;
import org.relume.optim.Sgd;
import org.relume.tensor.ReductionOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

class TrainerTest {

    /** Points in [-1, 1]^2 labelled by whether they lie inside the circle of radius 0.6. */
    static Dataset disc(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float a = (float) (2 * r.nextDouble() - 1);
            float b = (float) (2 * r.nextDouble() - 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = a * a + b * b < 0.36f ? 1 : 0;
        }
        return Dataset.classification("disc", Tensor.wrap(x, n, 2), y, 2);
    }

    /** Listeners hear every step with its place in the epoch, for progress within long epochs. */
    @Test
    void listenersHearEveryBatch() {
        Dataset data = org.relume.data.Moons.generate(100, 0.1, 3);
        Network net = Mlp.of(2, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        List<int[]> heard = new java.util.ArrayList<>();
        TrainConfig cfg = TrainConfig.defaults().epochs(3).batchSize(32).optimizer(new Adam(0.01)).seed(1)
                .listener(new TrainingListener() {
                    @Override
                    public void onBatchEnd(TrainingState state, int batch, int batches, float loss) {
                        assertTrue(Float.isFinite(loss));
                        heard.add(new int[] {state.epoch(), batch, batches});
                    }
                });
        new Trainer(cfg).train(net, data, null);
        assertEquals(3 * 4, heard.size(), "100 samples in batches of 32: 4 steps an epoch");
        assertEquals(List.of(2, 3, 4), List.of(heard.get(11)[0], heard.get(11)[1], heard.get(11)[2]));
    }

    @Test
    void learnsANonlinearBoundaryAndLogsMetrics() {
        Dataset.Split split = disc(400, 1).splitAt(340);
        Network net = Mlp.of(2, 16, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 3);
        TrainConfig cfg = TrainConfig.defaults().epochs(300).batchSize(32).shuffle(true)
                .optimizer(new Adam(0.01)).logEvery(100).seed(5);
        TrainResult result = new Trainer(cfg).train(net, split.train(), split.validation());
        assertTrue(result.train().accuracy() > 0.95, "train accuracy " + result.train().accuracy());
        assertTrue(result.validation().accuracy() > 0.9, "validation accuracy " + result.validation().accuracy());
        assertEquals(3, result.history().rows().size());
        assertEquals(List.of("epoch", "loss", "task_loss", "train_loss", "train_accuracy", "validation_loss",
                "validation_accuracy", "learning_rate", "seconds"), result.history().columns());
        assertEquals(300.0, result.history().last().get("epoch"));
        assertEquals(300L * 11, result.steps(), "ceil(340 / 32) = 11 batches per epoch");
    }

    @Test
    void sameSeedGivesBitIdenticalParameters() {
        Dataset data = disc(200, 2);
        Network[] nets = new Network[2];
        for (int k = 0; k < 2; k++) {
            nets[k] = Mlp.of(2, 7, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 11);
            TrainConfig cfg = TrainConfig.defaults().epochs(40).batchSize(16).shuffle(true)
                    .optimizer(new Adam(0.01)).seed(99);
            new Trainer(cfg).train(nets[k], data, data.range(0, 0, "empty"));
        }
        Map<String, Var> a = nets[0].namedParameters();
        Map<String, Var> b = nets[1].namedParameters();
        for (String name : a.keySet()) {
            assertTrue(a.get(name).value().identical(b.get(name).value()), name + " differs between runs");
        }
        // A different shuffle seed really changes the result (so the check above can fail).
        Network other = Mlp.of(2, 7, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 11);
        new Trainer(TrainConfig.defaults().epochs(40).batchSize(16).shuffle(true).optimizer(new Adam(0.01)).seed(100))
                .train(other, data, data.range(0, 0, "empty"));
        assertFalse(other.parameter("layers.0.weight").value().identical(a.get("layers.0.weight").value()));
    }

    @Test
    void divergenceStopsWithAClearError() {
        float[] x = new float[50];
        float[] t = new float[50];
        for (int i = 0; i < 50; i++) {
            x[i] = i;
            t[i] = 1000f * i;
        }
        Dataset data = Dataset.regression("steep", Tensor.wrap(x, 50, 1), Tensor.wrap(t, 50, 1));
        Network net = Mlp.of(1, 4, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(TrainConfig.defaults().epochs(200).optimizer(Sgd.plain(10)).logEvery(1))
                        .train(net, data, data.range(0, 0, "empty")));
        assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("epoch"), e.getMessage());
        assertTrue(e.history() != null);
    }

    @Test
    void regularizersSeePreactivationsAndAreLoggedSeparately() {
        Dataset data = disc(100, 3);
        Network net = Mlp.of(2, 5, 2, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        int[] calls = new int[1];
        Regularizer squares = new Regularizer() {
            @Override public String name() { return "preact_l2"; }

            @Override public boolean needsPreactivations() { return true; }

            @Override public Var penalty(Tape tape, List<Preactivation> pre, Network n) {
                calls[0]++;
                assertEquals(3, pre.size());
                return org.relume.tensor.ArithmeticOps.scale(tape, ReductionOps.sumOfSquares(tape, pre.get(0).value()), 1e-3f);
            }

            @Override public String describe() { return "preact_l2(1e-3)"; }
        };
        TrainResult r = new Trainer(TrainConfig.defaults().epochs(10).regularizer(squares).logEvery(5))
                .train(net, data, data.range(0, 0, "empty"));
        assertEquals(10, calls[0]);
        Map<String, Double> last = r.history().last();
        assertTrue(last.get("preact_l2") > 0);
        assertEquals(last.get("loss"), last.get("task_loss") + last.get("preact_l2"), 1e-6);
    }

    @Test
    void mismatchedNetworkAndDataAreRejected() {
        Dataset data = disc(10, 1);
        Network net = Mlp.of(3, 4, 1, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainConfig.defaults()).train(net, data, data));
        assertTrue(e.getMessage().contains("3 inputs"), e.getMessage());
    }
}
