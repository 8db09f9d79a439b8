package org.relume.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.data.Task;
import org.relume.tensor.Tensor;

/** The metrics on hand-counted cases, and probabilities from logits. */
class ClassificationReportTest {

    @Test
    void countsPrecisionAndRecallByHand() {
        // true:      a a a b b c
        // predicted: a a b b a a   -> a: predicted 4 times, 2 right; b: 2 predicted, 1 right; c: never predicted
        ClassificationReport r = ClassificationReport.of(new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 0, 0},
                List.of("a", "b", "c"));
        assertEquals(3, r.correct());
        assertEquals(0.5, r.accuracy(), 0);
        assertEquals(2.0 / 4, r.precision(0), 1e-12);
        assertEquals(2.0 / 3, r.recall(0), 1e-12);
        assertEquals(0.5, r.precision(1), 1e-12);
        assertEquals(0.5, r.recall(1), 1e-12);
        assertTrue(Double.isNaN(r.precision(2)), "never predicted: no precision");
        assertEquals(0, r.recall(2), 0);
        assertEquals(1, r.count(2, 0));
        assertEquals(1, r.count(0, 1));
        String table = r.table();
        assertTrue(table.contains("accuracy  0.5000 (3 of 6)"), table);
        assertTrue(table.contains("c            n/a     0.0000          1"), table);
        assertTrue(table.contains("\na      2  1  0\n"), table);
    }

    @Test
    void binaryLogitsSpreadOverTwoClasses() {
        ClassProbabilities p = ClassProbabilities.of(Tensor.of(new float[] {0, 2, -1}, 3, 1), Task.BINARY);
        assertEquals(2, p.classes());
        assertArrayEquals(new int[] {0, 1, 0}, p.predicted(), "logit 0 is class 0, as the training accuracy counts it");
        assertEquals(0.5, p.probability(0, 1), 1e-12);
        assertEquals(1 / (1 + Math.exp(-2)), p.probability(1, 1), 1e-12);
        assertEquals(1, p.probability(2, 0) + p.probability(2, 1), 1e-12);
    }

    @Test
    void regressionErrorsByHand() {
        RegressionReport r = RegressionReport.of(Tensor.of(new float[] {1, 2, 4}, 3, 1), Tensor.of(new float[] {1, 3, 2}, 3, 1));
        assertEquals((0 + 1 + 4) / 3.0, r.mse(), 1e-12);
        assertEquals((0 + 1 + 2) / 3.0, r.mae(), 1e-12);
    }
}
