package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bar's message: the epoch, the loss and the validation metric, short enough for an 80-column line. */
class ProgressReporterTest {
    @Test
    void theMessageFitsBesideTheBar() {
        String m = ProgressReporter.message(262, 5000, 0.0012345678, " val acc 0.987");
        assertEquals("ep 262/5000 loss 0.00123 val acc 0.987", m);
        // "train 100% [====] 254000/254000 " leaves about 45 columns of 80 for the message.
        assertTrue(ProgressReporter.message(4999, 5000, -1.234567e-10, " val mse 1.23e-05").length() <= 45, m);
        assertEquals("loss 0.500 val acc 1.000", ProgressReporter.message(0, 0, 0.5, " val acc 1.000"));
    }
}
