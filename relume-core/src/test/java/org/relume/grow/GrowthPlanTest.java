package org.relume.grow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.relume.data.Dataset;
import org.relume.data.GrowthData;
import org.relume.data.Moons;
import org.relume.data.Task;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;
import org.relume.train.TrainingListener;
import org.relume.train.TrainingState;

class GrowthPlanTest {

    @Test
    void parsesEveryKeyAndKeepsTheGrowCommandsDefaults() {
        GrowthPlan p = GrowthPlan.parse("gradmax:every=500,times=3,units=2,start=100,layer=round-robin,scale=0.5");
        assertEquals("gradmax", p.method());
        assertEquals(new GrowthSchedule(100, 500, 3, 2, GrowthSchedule.Where.ROUND_ROBIN, 0, 0, 0), p.schedule());
        assertEquals(0.5, p.scale());
        GrowthPlan d = GrowthPlan.parse("random");
        assertEquals(new GrowthSchedule(GrowthPlan.DEFAULT_EVERY, GrowthPlan.DEFAULT_EVERY, GrowthPlan.DEFAULT_TIMES, 1,
                GrowthSchedule.Where.FIXED, 0, 0, 0), d.schedule());
        assertEquals(3, GrowthPlan.parse("zeros:layer=3").schedule().fixedLayer());
        assertTrue(GrowthPlan.parse("folding:every=10,times=1,deepen").deepen());
        assertTrue(GrowthPlan.parse("folding").folding());
    }

    @Test
    void refusesBadSpecsInOneLine() {
        for (String bad : List.of("grad", "gradmax:every=0", "gradmax:often=3", "gradmax:every=x", "gradmax:times=-1",
                "gradmax:layer=middle", "gradmax:every=5,every=6", "gradmax:deepen", "gradmax:scale=0", "folding:units=2", "folding:layer=0", "folding:scale=0.5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrowthPlan.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void refusesNetworksItCannotGrow() {
        Network deep = mlp(2, new int[] {3, 3}, "relu");
        assertThrows(IllegalArgumentException.class, () -> GrowthPlan.parse("folding").check(deep, Task.BINARY));
        Network shallow = mlp(2, new int[] {3}, "relu");
        assertThrows(IllegalArgumentException.class, () -> GrowthPlan.parse("folding").check(shallow, Task.REGRESSION));
        GrowthPlan.parse("folding").check(shallow, Task.BINARY);
        assertThrows(IllegalArgumentException.class, () -> GrowthPlan.parse("gradmax:layer=2").check(deep, Task.BINARY));
        assertThrows(IllegalArgumentException.class, () -> GrowthPlan.parse("gradmax").check(mlp(2, new int[] {3}, "tanh"),
                Task.BINARY));
    }

    /**
     * Growth inside an ordinary training run: a listener before the growth listener records the
     * outputs at each epoch end, one after it compares them with the grown network's. Every growth
     * must leave the outputs as they were (up to float rounding) and add its units.
     */
    @Test
    void growthInsideTrainingKeepsTheFunctionAtEveryGrowth() {
        Dataset moons = Moons.generate(100, 0, 3);
        checkPreserved(GrowthPlan.parse("gradmax:every=5,times=4,layer=round-robin"), mlp(2, new int[] {3, 3, 3, 3}, "relu"),
                moons, 4);
        checkPreserved(GrowthPlan.parse("random:every=5,times=2,units=2,layer=1"), mlp(2, new int[] {3, 3}, "relu"), moons, 2);
        checkPreserved(GrowthPlan.parse("folding:every=10,times=2"), Mlp.builder().inputs(2).hidden(2).outputs(2)
                .activation(Activations.relu()).init(Initializer.GLOROT_UNIFORM).seed(5).build(), GrowthData.sine(200, 2), 2);
    }

    private static void checkPreserved(GrowthPlan plan, Network net, Dataset data, int growths) {
        plan.check(net, data.task());
        long startParameters = net.parameterCount();
        String startArchitecture = net.architecture();
        List<Double> differences = new ArrayList<>();
        Tensor[] before = new Tensor[1];
        String[] arch = new String[1];
        TrainingListener record = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingState state, double epochLoss) {
                before[0] = state.network().predict(data.features());
                arch[0] = state.network().architecture();
            }
        };
        TrainingListener compare = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingState state, double epochLoss) {
                if (!state.network().architecture().equals(arch[0])) {
                    float[] a = before[0].data();
                    float[] b = state.network().predict(data.features()).data();
                    double max = 0;
                    for (int i = 0; i < a.length; i++) {
                        max = Math.max(max, Math.abs(a[i] - b[i]));
                    }
                    differences.add(max);
                }
            }
        };
        Growing growing = plan.listener(Loss.forTask(data.task()), 7);
        TrainConfig cfg = TrainConfig.defaults().epochs(30).optimizer(new Adam(0.01)).listener(record).listener(growing)
                .listener(compare);
        TrainResult r = new Trainer(cfg).train(net, data, data.range(0, 0, "none"));
        assertEquals(growths, differences.size(), "growths seen: " + growing.eventRows());
        assertEquals(growths, growing.eventRows().size());
        for (double d : differences) {
            assertTrue(d < 1e-5, "a growth changed the outputs by " + d + ": " + differences);
        }
        assertTrue(r.network().parameterCount() > startParameters, r.network().architecture() + " from " + startArchitecture);
        Map<String, Object> last = growing.eventRows().get(growths - 1);
        assertEquals(r.network().architecture(), last.get("architecture"));
    }

    private static Network mlp(int inputs, int[] hidden, String activation) {
        return Mlp.builder().inputs(inputs).hidden(hidden).outputs(1).activation(Activations.byName(activation))
                .init(Initializer.GLOROT_UNIFORM).seed(5).build();
    }
}
