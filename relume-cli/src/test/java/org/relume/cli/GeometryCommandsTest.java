package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of the parametrization-geometry commands and train flags on tiny data. */
class GeometryCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void trainTakesTheBalanceAndRedundancyPenalties() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--data", "moons", "--width", "6", "--depth", "1", "--epochs", "200",
                "--balance-penalty", "0.01", "--redundancy-penalty", "0.1", "--validate-every", "100", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("balance(lambda=0.01") && r.out().contains("redundancy(lambda=0.1"), r.out());
        String header = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("balance") && header.contains("redundancy"), header);
        CliRun bad = CliRun.of("train", "--balance-penalty", "-1", "--epochs", "1");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("balance penalty"), bad.err());
    }
}
