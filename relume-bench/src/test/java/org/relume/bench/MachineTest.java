package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run held below the CPU's instruction set says so in its reports; a plain run says nothing. */
class MachineTest {
    @Test
    void capsAreReportedOnlyWhenSet() {
        assertEquals("", Machine.isaLimitsLine(Map.of("isa_limits", List.of())));
        assertEquals("", Machine.isaLimitsLine(Map.of()));
        String line = Machine.isaLimitsLine(Map.of("isa_limits", List.of("JVM -XX:UseAVX=2", "ONEDNN_MAX_CPU_ISA=AVX2")));
        assertTrue(line.contains("JVM -XX:UseAVX=2; ONEDNN_MAX_CPU_ISA=AVX2"), line);
        assertTrue(line.contains("capped"), line);
    }

    @Test
    void theMachineDescriptionListsItsCaps() {
        Object limits = Machine.describe().get("isa_limits");
        assertTrue(limits instanceof List<?>, String.valueOf(limits));
    }
}
