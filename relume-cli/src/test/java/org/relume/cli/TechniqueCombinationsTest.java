package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

/** relume train with techniques combined: jumpstart with growth, a compositional start with more, and the refusals. */
class TechniqueCombinationsTest {
    @TempDir
    Path tmp;

    /** The thin deep MOONS net, smaller: growth events and unit states in the output and summary.json. */
    @Test
    void jumpstartWithGradMaxGrowthOnAThinDeepNet() throws IOException {
        Path out = tmp.resolve("js-gm");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "3", "--depth", "8", "--jumpstart", "l1",
                "--grow", "gradmax:every=20,times=3,layer=round-robin", "--epochs", "80", "--diagnostics-every", "20",
                "--init", "glorot_uniform", "-q", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s).*\\ngrowth +gradmax, 1 unit\\(s\\) every 20 steps.*\\ngrowths\\nepoch +step +layer"
                + " +units .*\\n +20 +20 +0 +1 .*\\n +40 +40 +1 +1 .*\\n +60 +60 +2 +1 .*2-4-4-4-3-3-3-3-3-1\\n.*\\nstates .*"),
                r.out());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals("2-4-4-4-3-3-3-3-3-1", s.get("architecture").asText());
        assertEquals(3, s.get("growth_events").size());
        assertEquals(2, s.get("growth_events").get(1).get("step").asInt() / 20);
        assertTrue(s.get("unit_point_states").has("dead_units"));
        JsonNode during = s.get("unit_point_states_during_training");
        assertEquals(4, during.size(), during.toString());
        assertEquals(3, during.get(3).get("growths").asInt());
        assertTrue(during.get(0).has("dead_units") && during.get(0).has("parameters"));
        String header = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("jumpstart") && header.contains("growths") && header.contains("dead_units"), header);
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertTrue(info.out().contains("2-4-4-4-3-3-3-3-3-1"), info.toString());
    }

    /**
     * An RAAI start with the geometry penalties and random growth: the penalties see the grown
     * network from the next batch on (their logged values go on after the growths) and the grown
     * units are in the saved model.
     */
    @Test
    void raaiStartWithGeometryPenaltiesAndRandomGrowth() throws IOException {
        Path out = tmp.resolve("raai");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "3", "--depth", "3", "--init", "raai",
                "--balance-penalty", "1e-3", "--redundancy-penalty", "1e-3", "--grow", "random:every=10,times=2,units=2,layer=2",
                "--epochs", "30", "--validate-every", "10", "-q", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals("2-3-3-7-1", s.get("architecture").asText());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        List<String> header = List.of(metrics.get(0).split(","));
        int balance = header.indexOf("balance");
        int parameters = header.indexOf("parameters");
        assertTrue(balance > 0 && header.contains("redundancy") && parameters > 0, metrics.get(0));
        String last = metrics.get(metrics.size() - 1);
        assertEquals(s.get("parameters").asDouble(), Double.parseDouble(last.split(",")[parameters]), last);
        assertTrue(Double.parseDouble(last.split(",")[balance]) >= 0, last);
    }

    /** Stage 1 on a held-out convex curve, then stage 2 with jumpstart and a GradMax growth on top. */
    @Test
    void compositionalStartThenJumpstartAndGrowth() throws IOException {
        Path out = tmp.resolve("comp");
        CliRun r = CliRun.of("train", "--data", "fn:(exp(x)-1)/(e-1):n=100", "--width", "4", "--depth", "3",
                "--pretrain", "compositional:enforced,epochs=60", "--jumpstart", "l1", "--lambda", "1e-6",
                "--grow", "gradmax:every=20,times=1,layer=1", "--epochs", "40", "--lr", "1e-3", "-q", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("pretrain compositional enforced, waves subtracted (from the data"), r.out());
        assertTrue(r.out().contains("compositional enforced start"), r.out());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        JsonNode p = s.get("pretraining");
        assertEquals("enforced", p.get("mode").asText());
        assertEquals("subtracted", p.get("waves").asText());
        assertEquals(4, p.get("peaks_after_stage1").size());
        assertTrue(p.get("mse_after_stage1").asDouble() < 0.05, p.toString());
        assertEquals("1-4-5-4-1", s.get("architecture").asText());
        assertTrue(s.get("validation_mse").asDouble() < 0.05, s.toString());
        CliRun free = CliRun.of("train", "--data", "curve:tanh3:n=100", "--width", "4", "--depth", "2", "--pretrain",
                "compositional:free,epochs=20,waves=added", "--epochs", "10", "-q");
        assertEquals(0, free.exitCode(), free.toString());
        assertTrue(free.out().contains("waves added (as asked)"), free.out());
    }

    /** Combinations that cannot work: exit 2 and one line on stderr saying why, before any training. */
    @Test
    void combinationsThatCannotWorkAreRefusedInOneLine() {
        record Case(String why, String... args) {}
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("one hidden layer", "--grow", "folding", "--depth", "3"));
        cases.add(new Case("not --widths", "--data", "curve:x3:n=50", "--widths", "4,4", "--pretrain", "compositional:enforced"));
        cases.add(new Case("classification task", "--data", "curve:x3:n=50", "--depth", "1", "--grow", "folding"));
        cases.add(new Case("not a hidden layer", "--grow", "gradmax:layer=5", "--depth", "3"));
        cases.add(new Case("unknown key", "--grow", "gradmax:often=3"));
        cases.add(new Case("plain MLPs", "--grow", "gradmax", "--structure", "hb"));
        cases.add(new Case("relume grow --conv", "--grow", "gradmax", "--data", "csv:" + tmp.resolve("none.csv"), "--conv",
                "4x2"));
        cases.add(new Case("--activation relu", "--grow", "random", "--activation", "tanh"));
        cases.add(new Case("--early-stop", "--grow", "gradmax", "--early-stop", "5"));
        cases.add(new Case("cannot be resumed", "--grow", "gradmax", "--checkpoint-every", "5", "--out",
                tmp.resolve("ck").toString()));
        cases.add(new Case("width 4", "--data", "curve:x3:n=50", "--pretrain", "compositional:enforced", "--width", "8"));
        cases.add(new Case("not --widths", "--data", "curve:x3:n=50", "--pretrain", "compositional:enforced", "--widths", "4,3"));
        cases.add(new Case("1-D regression", "--data", "moons", "--pretrain", "compositional:enforced", "--width", "4"));
        cases.add(new Case("--structure", "--data", "curve:x3:n=50", "--pretrain", "compositional:free", "--width", "4",
                "--structure", "hb"));
        cases.add(new Case("--init does not apply", "--data", "curve:x3:n=50", "--pretrain", "compositional:enforced",
                "--width", "4", "--init", "rai"));
        cases.add(new Case("enforced or free", "--data", "curve:x3:n=50", "--pretrain", "compositional:loose", "--width", "4"));
        cases.add(new Case("compositional:enforced or", "--pretrain", "jumpstart"));
        for (Case c : cases) {
            List<String> args = new ArrayList<>(List.of("train", "--epochs", "2"));
            args.addAll(List.of(c.args()));
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, r.exitCode(), c.why() + ": " + r);
            assertEquals(1, r.err().strip().lines().count(), c.why() + ": " + r);
            assertTrue(r.err().contains(c.why()), c.why() + ": " + r);
            assertFalse(r.out().contains("result"), r.toString());
        }
        assertFalse(Files.exists(tmp.resolve("ck")));
    }
}
