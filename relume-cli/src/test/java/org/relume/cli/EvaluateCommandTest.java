package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.io.Json;

/**
 * A table as users bring it (an id column, species written as words) through train, predict and
 * evaluate: the classes come back by name, and evaluation matches them to the model's by name.
 */
class EvaluateCommandTest {
    @TempDir
    Path tmp;

    Path table;
    Path model;

    /** Three well separated species in two features, plus an id column that is not a number. */
    @BeforeEach
    void train() throws IOException {
        StringBuilder sb = new StringBuilder("id,length,width,species\n");
        SplittableRandom r = new SplittableRandom(3);
        String[] species = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 60; i++) {
            int s = i % 3;
            sb.append(String.format(Locale.ROOT, "row%d,%.3f,%.3f,%s%n", i, 3 * s + r.nextDouble(), r.nextDouble(), species[s]));
        }
        table = Files.writeString(tmp.resolve("iris.csv"), sb.toString());
        model = tmp.resolve("model");
        CliRun t = CliRun.of("train", "--data", "csv:" + table, "--label", "species", "--drop", "id", "--width", "6",
                "--depth", "1", "--epochs", "300", "--out", model.toString());
        assertEquals(0, t.exitCode(), t.toString());
        assertTrue(Files.readString(model.resolve("model.json")).contains("\"class_names\" : [ \"setosa\", \"versicolor\", \"virginica\" ]"));
    }

    @Test
    void predictGivesSpeciesNamesWithNamedProbabilities() {
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--input", table.toString());
        assertEquals(0, p.exitCode(), p.toString());
        String[] lines = p.out().split("\n");
        assertEquals("prediction,p_setosa,p_versicolor,p_virginica", lines[0]);
        assertEquals(61, lines.length);
        assertTrue(lines[1].startsWith("setosa,") && lines[2].startsWith("versicolor,") && lines[3].startsWith("virginica,"),
                p.out());
    }

    @Test
    void evaluatePrintsTheConfusionMatrixAndJson() throws IOException {
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", "csv:" + table);
        assertEquals(0, e.exitCode(), e.toString());
        assertTrue(e.out().contains("accuracy  1.0000 (60 of 60)"), e.out());
        assertTrue(e.out().contains("confusion matrix (rows: true class, columns: predicted class)"), e.out());
        assertTrue(e.out().contains("\nversicolor           0          20           0\n"), e.out());

        CliRun j = CliRun.of("evaluate", "--model", model.toString(), "--data", "csv:" + table, "--json");
        assertEquals(0, j.exitCode(), j.toString());
        JsonNode report = Json.MAPPER.readTree(j.out());
        assertEquals(60, report.get("samples").asInt());
        assertEquals("virginica", report.get("classes").get(2).get("class").asText());
        assertEquals(20, report.get("confusion_matrix").get(2).get(2).asInt());
    }

    @Test
    void aFileOfOneSpeciesInAnotherColumnOrderIsMatchedByName() throws IOException {
        Path some = Files.writeString(tmp.resolve("some.csv"), "species,width,length\nvirginica,0.5,6.5\nvirginica,0.2,6.1\n");
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", "csv:" + some, "--label", "species", "--json");
        assertEquals(0, e.exitCode(), e.toString());
        JsonNode report = Json.MAPPER.readTree(e.out());
        assertEquals(2, report.get("confusion_matrix").get(2).get(2).asInt(), e.out());
        assertTrue(report.get("classes").get(0).get("recall").isNull(), "no setosa rows: no recall");
    }

    @Test
    void anUnknownSpeciesIsOneLineAndExitTwo() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "length,width,species\n1,0.5,setosa\n2,0.5,daisy\n");
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", "csv:" + bad);
        assertEquals(Relume.BAD_INPUT, e.exitCode(), e.toString());
        assertEquals("relume: " + bad + " line 3: label 'daisy' is not one of the model's classes (setosa, versicolor,"
                + " virginica)\n", e.err());
        assertEquals("", e.out());
    }

    @Test
    void regressionOnGeneratedDataGivesMseAndMae() throws IOException {
        Path cubic = tmp.resolve("cubic");
        assertEquals(0, CliRun.of("train", "--data", "curve:x3:n=100", "--width", "6", "--depth", "2", "--epochs", "300",
                "--out", cubic.toString()).exitCode());
        CliRun e = CliRun.of("evaluate", "--model", cubic.toString(), "--data", "curve:x3:n=100", "--json");
        assertEquals(0, e.exitCode(), e.toString());
        JsonNode report = Json.MAPPER.readTree(e.out());
        assertEquals(15, report.get("samples").asInt(), "the validation share of 100 points");
        double mse = report.get("mse").asDouble();
        double mae = report.get("mae").asDouble();
        assertTrue(mse > 0 && mse < 0.01 && mae * mae <= mse + 1e-12, report.toString());
        double trained = Json.MAPPER.readTree(Files.readString(cubic.resolve("summary.json"))).get("validation_mse").asDouble();
        assertEquals(trained, mse, 1e-6 * trained, "the same validation set as train's, same MSE");
        CliRun wrong = CliRun.of("evaluate", "--model", cubic.toString(), "--data", "moons");
        assertEquals(Relume.BAD_INPUT, wrong.exitCode(), wrong.toString());
        assertEquals("relume: moons has 2 features but the model takes 1 inputs\n", wrong.err());
    }

    @Test
    void idxDataAreEvaluatedOnTheT10kFiles() throws IOException {
        Path dir = ImageDataFiles.idxDirectory(tmp.resolve("idx"), 12);
        Path out = tmp.resolve("idx-model");
        CliRun t = CliRun.of("train", "--data", "idx:" + dir, "--width", "4", "--depth", "1", "--epochs", "200",
                "--out", out.toString());
        assertEquals(0, t.exitCode(), t.toString());
        CliRun e = CliRun.of("evaluate", "--model", out.toString(), "--data", "idx:" + dir, "--json");
        assertEquals(0, e.exitCode(), e.toString());
        JsonNode report = Json.MAPPER.readTree(e.out());
        assertEquals(12, report.get("samples").asInt(), "the t10k files");
        assertEquals(Json.MAPPER.readTree(Files.readString(out.resolve("summary.json"))).get("validation_accuracy").asDouble(),
                report.get("accuracy").asDouble(), 0, "the accuracy train reported on the same files");
        assertEquals(10, report.get("class_names").size(), "idx data have 10 classes");
        CliRun limited = CliRun.of("evaluate", "--model", out.toString(), "--data", "idx:" + dir, "--limit", "9");
        assertTrue(limited.out().contains("evaluating the validation part, 9 samples"), limited.out());
    }
}
