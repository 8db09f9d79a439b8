package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.experiment.DepthWidthExperiment.Settings;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;

/** Operations counted from the shapes, and an estimate whose parts fit together. */
class CostEstimateTest {
    @Test
    void forwardOperationsFromTheShapes() {
        assertEquals(2.0 * (2 * 3 + 3 * 3 + 3 * 1), CostEstimate.forwardFlops(Mlp.of(2, 3, 2, 1, Activations.relu(),
                Initializer.GLOROT_UNIFORM, 1)));
        // Two 3x3 same convolutions, 1 -> 4 -> 4 channels on 5x5, then dense 100 -> 10.
        double conv = 2.0 * (9 * 100) + 2.0 * (36 * 100) + 2.0 * 100 * 10;
        assertEquals(conv, CostEstimate.forwardFlops(Cnn.build(1, 5, 5, new int[] {4, 4}, 3, 10, Activations.relu(),
                Initializer.GLOROT_UNIFORM, 1)));
    }

    @Test
    void anEstimateOfAMoonsGrid() {
        Settings s = Settings.paper().withEpochs(100);
        var cells = Sweep.grid(List.of(DepthWidthExperiment.BASELINE), List.of(2, 3), List.of(2, 4), List.of(1L));
        CostEstimate.Estimate e = CostEstimate.of(s, cells);
        assertEquals(4, e.cells());
        // 85 training samples, 100 epochs, 3 x forward per sample, summed over the four nets.
        double expected = 0;
        for (var c : cells) {
            expected += 3 * CostEstimate.forwardFlops(DepthWidthExperiment.network(c, s,
                    org.relume.data.Moons.generate(100, 0, 1), 1)) * 85 * 100;
        }
        assertEquals(expected, e.flops(), 1e-6 * expected);
        assertTrue(e.flopsPerSecond() > 0 && e.coreHours() > 0 && e.coreHours() < 1, e.describe());
    }
}
