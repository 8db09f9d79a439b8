package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.bench.peer.PeerResult;
import org.relume.io.Json;

/** results.csv rows, the fastest-peer choice and the agreement check's inputs, on hand-made results. */
class ComparisonTest {
    static PeerResult peer(String id, Map<String, Double> ms) {
        Map<String, PeerResult.Timing> t = new java.util.LinkedHashMap<>();
        ms.forEach((k, v) -> t.put(k, new PeerResult.Timing(v, Double.NaN, List.of())));
        return new PeerResult(id, true, null, id + "-1.0", "", "3", t);
    }

    @Test
    void oneRowPerWorkloadAndPeerThatRanWithRatioPeerOverRelume() {
        List<Workload> w = List.of(Workload.THIN, Workload.MEDIUM);
        Map<String, Double> relume = Map.of("thin", 0.1, "medium", 20.0);
        PeerResult missing = new PeerResult("gone", false, "absent", null, null, null, Map.of());
        List<Comparison.Row> rows = Comparison.rows(w, relume, List.of(peer("a", Map.of("thin", 5.0, "medium", 10.0)),
                missing, peer("b", Map.of("thin", 1.0))));
        assertEquals("workload,peer,peer_version,relume_ms,peer_ms,ratio\n"
                + "thin,a,a-1.0,0.100000,5.00000,50.0000\n"
                + "thin,b,b-1.0,0.100000,1.00000,10.0000\n"
                + "medium,a,a-1.0,20.0000,10.0000,0.500000\n", Comparison.csv(rows));
        assertEquals("b", Comparison.fastest(rows, "thin").peer());
        assertEquals("a", Comparison.fastest(rows, "medium").peer());
        String summary = Comparison.summary(w, rows);
        assertTrue(summary.contains("| b b-1.0 | 1.00 | **10.0** | >= 25 **not met** |"), summary);
        assertTrue(summary.contains("| a a-1.0 | 10.0 | **0.500** | >= 1.0 **not met** |"), summary);
    }

    @Test
    void aWorkloadNoPeerRanKeepsOneRowWithEmptyPeerColumns() {
        List<Comparison.Row> rows = Comparison.rows(List.of(Workload.TINY), Map.of("tiny", 0.5), List.of());
        assertEquals("tiny,,,0.500000,,\n", Comparison.csv(rows).lines().skip(1).findFirst().orElseThrow() + "\n");
        assertNull(Comparison.fastest(rows, "tiny"));
    }

    @Test
    void agreementComparesLossesRelatively() {
        assertEquals(0.01, Agreement.maxRelativeDifference(List.of(1.0, 2.0), List.of(1.01, 2.0)), 1e-12);
        assertTrue(Double.isNaN(Agreement.maxRelativeDifference(List.of(1.0), List.of())));
        String table = Comparison.agreement(List.of(Workload.THIN), Map.of("thin", List.of(1.0, 1.0, 1.0)),
                List.of(new PeerResult("p", true, null, "1", "", "3",
                        Map.of("thin", new PeerResult.Timing(1, Double.NaN, List.of(1.0, 1.0, 1.000002))))));
        assertTrue(table.contains("| thin | 1.00000, 1.00000, 1.00000 | 2.0e-06 |"), table);
        String off = Comparison.agreement(List.of(Workload.THIN), Map.of("thin", List.of(1.0, 1.0, 1.0)),
                List.of(new PeerResult("p", true, null, "1", "", "3",
                        Map.of("thin", new PeerResult.Timing(1, Double.NaN, List.of(1.0, 1.01, 1.0))))));
        assertTrue(off.contains("| 1.0e-02 **differs** |"), off);
    }

    @Test
    void checkFilesCarryPytorchOrderedParametersAndTheBatch(@TempDir Path dir) throws IOException {
        Map<String, List<Double>> losses = Agreement.prepare(List.of(Workload.THIN_CNN, Workload.THIN), dir, 1);
        assertEquals(Agreement.STEPS, losses.get("thin-cnn").size());
        var cnn = Json.MAPPER.readTree(Files.readString(dir.resolve("check-thin-cnn.json")));
        assertEquals(2 * 21, cnn.get("params").size());
        assertEquals(4 * 9, cnn.get("params").get(0).get("values").size());
        assertEquals(10 * 4 * 784, cnn.get("params").get(40).get("values").size());
        assertEquals(128 * 784, cnn.get("x").size());
        assertEquals(128, cnn.get("labels").size());
        var thin = Json.MAPPER.readTree(Files.readString(dir.resolve("check-thin.json")));
        assertEquals(85, thin.get("targets").size());
        // The first step's loss is the loss of the initial weights, whatever the optimizer does.
        assertEquals(losses.get("thin").get(0), (double) Problem.of(Workload.THIN, 1).run(), 0);
    }
}
