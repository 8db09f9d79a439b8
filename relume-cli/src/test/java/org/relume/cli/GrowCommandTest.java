package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

class GrowCommandTest {
    @TempDir
    Path tmp;

    @Test
    void gradMaxGrowsTheStudentAndWritesItsFiles() throws IOException {
        Path out = tmp.resolve("gm");
        CliRun r = CliRun.of("grow", "--data", "student-teacher:n=200", "--method", "gradmax", "--start-width", "3",
                "--grow-every", "20", "--grow-times", "2", "--optimizer", "sgd", "--lr", "0.05", "--epochs", "60",
                "--no-bias", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals("10-5-10", s.get("architecture").asText());
        assertEquals(2, s.get("growths").asInt());
        assertEquals(3, Files.readAllLines(out.resolve("growth.csv")).size());
        // A table with growth.csv's columns, one line per growth, instead of Java's map syntax.
        assertTrue(r.out().matches("(?s).*\\ngrowths\\nepoch +step +layer +units +grad_norm_gain +top_singular_value"
                + " +loss_before +architecture\\n( +\\d+ +\\d+ +0 +1 .*10-[45]-10\\n){2}.*"), r.out());
        assertTrue(!r.out().contains("{"), r.out());
        java.awt.image.BufferedImage figure = javax.imageio.ImageIO.read(out.resolve("growth.png").toFile());
        assertEquals(640, figure.getWidth(), "growth.png: the loss with the growths marked");
        assertTrue(Files.exists(out.resolve("growth.svg")));
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("10-5-10"), info.out());
    }

    @Test
    void foldingOnSineDrawsItsFold() throws IOException {
        Path out = tmp.resolve("fold");
        CliRun r = CliRun.of("grow", "--data", "sine:n=200", "--method", "folding", "--start-width", "2",
                "--grow-every", "200", "--grow-times", "1", "--epochs", "300", "--deepen", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s).*\\nepoch +step +x_t +x_f +new_weights +new_bias .*\\(-?[0-9.e+-]+, -?[0-9.e+-]+\\).*"),
                r.out());
        assertTrue(Files.size(out.resolve("folds.png")) > 0 && Files.exists(out.resolve("folds.svg")));
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals("2-3-3-2", s.get("architecture").asText(), "grown by one unit, then deepened");
        assertEquals(2, s.get("growth_events").get(0).get("x_t").size(), "x_t is a JSON array of its 2 coordinates");
    }

    @Test
    void badGrowthRequestsAreRejected() {
        CliRun r = CliRun.of("grow", "--method", "greedy");
        assertEquals(2, r.exitCode(), r.toString());
        r = CliRun.of("grow", "--data", "sine", "--method", "folding", "--depth", "2");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("one hidden layer"), r.err());
        r = CliRun.of("grow", "--layer", "3");
        assertEquals(2, r.exitCode(), r.toString());
    }
}
