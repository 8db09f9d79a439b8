package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void numbersAreShortAndRightAlignedTextLeftAligned() {
        String table = new TextTable(List.of("epoch", "loss", "architecture"))
                .row(List.of(200, 0.71234567, "10-6-10"))
                .row(List.of(1400, 1.2e-5, "10-10-10"))
                .render();
        assertEquals("""
                epoch     loss  architecture
                  200   0.7123  10-6-10
                 1400  1.2e-05  10-10-10
                """, table);
    }

    @Test
    void cellsFormatVectorsAndTrimTrailingZeros() {
        assertEquals("(0.5, -2, 1.235e+06)", TextTable.cell(new double[] {0.5, -2, 1234567}));
        assertEquals("200", TextTable.cell(200.0));
        assertEquals("NaN", TextTable.cell(Double.NaN));
        assertEquals("gradmax", TextTable.cell("gradmax"));
        assertThrows(IllegalArgumentException.class, () -> new TextTable(List.of("a", "b")).row(List.of(1)));
    }
}
