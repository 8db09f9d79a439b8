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

    /** -q: the growth runs and reports as without it; only the progress on stderr is left out. */
    @Test
    void quietGrowsTheSame() {
        String[] args = {"grow", "--data", "student-teacher:n=100", "--method", "random", "--start-width", "3",
            "--grow-every", "10", "--grow-times", "1", "--epochs", "20", "--no-bias"};
        CliRun loud = CliRun.of(args);
        String[] quietArgs = java.util.Arrays.copyOf(args, args.length + 1);
        quietArgs[args.length] = "-q";
        CliRun quiet = CliRun.of(quietArgs);
        assertEquals(0, quiet.exitCode(), quiet.toString());
        assertEquals(loud.out().replaceAll("\\d+\\.\\d+ s\\n", "s\n"), quiet.out().replaceAll("\\d+\\.\\d+ s\\n", "s\n"));
        assertEquals("", quiet.err());
    }

    /** GradMax on a thin CNN: filters added to the first convolution, the model saved and predicting. */
    @Test
    void gradMaxGrowsAConvolution() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            csv.append("p").append(i).append(',');
        }
        csv.append("label\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int s = 0; s < 120; s++) {
            for (int i = 0; i < 16; i++) {
                csv.append(String.format(java.util.Locale.ROOT, "%.3f,", rnd.nextDouble() * 0.5 + (i < 8 == (s % 2 == 1) ? 0.5 : 0)));
            }
            csv.append(s % 2).append('\n');
        }
        Path data = tmp.resolve("images.csv");
        Files.writeString(data, csv.toString());
        Path out = tmp.resolve("cnn");
        CliRun r = CliRun.of("grow", "--data", "csv:" + data, "--conv", "--image", "1x4x4", "--start-width", "2",
                "--depth", "2", "--method", "gradmax", "--grow-every", "10", "--grow-times", "2", "--epochs", "40",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertEquals("16-64-32-1", s.get("architecture").asText(), "two filters added to the first convolution: " + r.out());
        assertEquals(2, s.get("growths").asInt());
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
        assertEquals(0, p.exitCode(), p.toString());
        CliRun bad = CliRun.of("grow", "--data", "csv:" + data, "--conv", "--image", "1x4x4", "--method", "folding");
        assertEquals(2, bad.exitCode(), bad.toString());
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

    /** Two word-labelled classes split by a + b = 0, with an id column to leave out; values far from unit scale. */
    private Path flowers() throws IOException {
        Path csv = tmp.resolve("flowers.csv");
        StringBuilder sb = new StringBuilder("id,a,b,species\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 80; i++) {
            double a = 2 * r.nextDouble() - 1;
            double b = 2 * r.nextDouble() - 1;
            sb.append(1000 + i).append(',').append(100 * a).append(',').append(100 * b).append(',')
                    .append(a + b > 0 ? "rosa" : "viola").append('\n');
        }
        Files.writeString(csv, sb.toString());
        return csv;
    }

    @Test
    void growsOnACsvTableWhoseModelTheOtherCommandsRead() throws IOException {
        Path csv = flowers();
        Path out = tmp.resolve("grown");
        CliRun r = CliRun.of("grow", "--data", "csv:" + csv, "--label", "species", "--drop", "id", "--method", "gradmax",
                "--start-width", "2", "--grow-every", "30", "--grow-times", "2", "--epochs", "300", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("csv " + csv) && r.out().contains("label 'species', 2 features"), r.out());
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve("summary.json")));
        assertTrue(s.get("architecture").asText().startsWith("2-4-"), s.toString());
        JsonNode model = Json.MAPPER.readTree(Files.readString(out.resolve("model.json")));
        assertTrue(model.get("class_names").toString().contains("rosa"), model.toString());
        assertTrue(model.get("input_standardization").get("std").get(0).asDouble() > 10, "the standardization is stored: " + model);
        CliRun eval = CliRun.of("evaluate", "--model", out.toString(), "--data", "csv:" + csv, "--label", "species", "--json");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(Json.MAPPER.readTree(eval.out()).get("accuracy").asDouble() >= 0.9, eval.out());
        Path report = tmp.resolve("grown-analysis");
        CliRun analyze = CliRun.of("analyze", "--model", out.toString(), "--data", "csv:" + csv, "--label", "species",
                "--out", report.toString());
        assertEquals(0, analyze.exitCode(), analyze.toString());
        JsonNode a = Json.MAPPER.readTree(Files.readString(report.resolve("analysis.json")));
        assertEquals(80, a.get("unit_point_states").get("samples").asInt());
        assertTrue(a.get("standardized").asBoolean());
    }

    @Test
    void growsAStudentOfATeacherWithItsOwnShapeAndSeed() throws IOException {
        Path out = tmp.resolve("teacher");
        CliRun r = CliRun.of("grow", "--data", "teacher:in=3,hidden=6,out=2,seed=7,n=100", "--start-width", "2",
                "--grow-every", "10", "--grow-times", "1", "--epochs", "20", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("teacher 3-6-2 (seed 7; n=100 inputs from seed"), r.out());
        assertEquals("3-3-2", Json.MAPPER.readTree(Files.readString(out.resolve("summary.json"))).get("architecture").asText());
        CliRun bad = CliRun.of("grow", "--data", "csv:" + flowers(), "--standardize", "sometimes");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--standardize must be auto, on or off"), bad.err());
    }
}
