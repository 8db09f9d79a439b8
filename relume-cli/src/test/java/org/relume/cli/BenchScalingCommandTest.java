package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code relume bench --scaling} end to end on three tiny shapes (one width, one depth at widths 3
 * and 25). Peers run when this checkout has them and are skipped otherwise; either way the files
 * and columns must be there. Nothing about speed is asserted.
 */
class BenchScalingCommandTest {
    @TempDir
    Path tmp;

    @Test
    void scalingOnTinyShapesWritesTableAndFigure() throws IOException {
        Path out = tmp.resolve("scaling");
        CliRun r = CliRun.of("bench", "--scaling", "--quick", "--widths", "2", "--depths", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = Files.readAllLines(out.resolve("scaling.csv"));
        assertTrue(lines.get(0).startsWith("sweep,shape,width,depth,relume_ms,") && lines.get(0).endsWith(",fastest_peer,ratio"),
                lines.get(0));
        assertEquals(List.of("mlp-w2-d10", "mlp-w3-d1", "mlp-w25-d1"),
                lines.subList(1, lines.size()).stream().map(l -> l.split(",")[1]).toList());
        assertTrue(Files.size(out.resolve("scaling.png")) > 0 && Files.readString(out.resolve("scaling.md")).contains("Vector width"));
        assertTrue(r.out().contains("wrote") && r.out().contains("scaling.png"), r.out());
    }

    @Test
    void pointsWithoutScalingOrBelowOneAreBadInput() {
        CliRun without = CliRun.of("bench", "--widths", "2", "--out", tmp.toString());
        assertEquals(2, without.exitCode(), without.toString());
        assertEquals(1, without.err().strip().lines().count(), without.err());
        assertTrue(without.err().contains("need --scaling"), without.err());
        CliRun zero = CliRun.of("bench", "--scaling", "--depths", "0,3", "--out", tmp.toString());
        assertEquals(2, zero.exitCode(), zero.toString());
        assertTrue(zero.err().contains("at least 1"), zero.err());
        CliRun noRounds = CliRun.of("bench", "--rounds", "0", "--out", tmp.toString());
        assertEquals(2, noRounds.exitCode(), noRounds.toString());
        assertEquals(1, noRounds.err().strip().lines().count(), noRounds.err());
        assertTrue(noRounds.err().contains("--rounds must be at least 1, got 0"), noRounds.err());
        CliRun roundsOfScaling = CliRun.of("bench", "--scaling", "--rounds", "2", "--out", tmp.toString());
        assertEquals(2, roundsOfScaling.exitCode(), roundsOfScaling.toString());
        assertTrue(roundsOfScaling.err().contains("--rounds does not apply to --scaling"), roundsOfScaling.err());
    }
}
