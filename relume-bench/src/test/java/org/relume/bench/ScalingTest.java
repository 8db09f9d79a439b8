package org.relume.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.bench.peer.Peer;

/**
 * {@code relume bench --scaling}'s plumbing on two tiny shapes, with stand-in peers (CI has no
 * Python frameworks): files, columns, the fastest peer and the ratio's arithmetic are checked, the
 * timings never are.
 */
class ScalingTest {
    @TempDir
    Path dir;

    private static final Scaling.Profile TINY = new Scaling.Profile(List.of(2), 2, List.of(1), List.of(3), 1e6, 3, 3, 0.0, 120);

    @Test
    void twoTinyShapesWriteTableFigureAndPerPeerColumns() throws IOException {
        Path slow = fakeInterpreter("slow", answer("slow", 7.0, 9.0));
        Path fast = fakeInterpreter("fast", answer("fast", 5.0, 11.0));
        List<Peer> peers = List.of(new Peer("slow", slow, "pytorch_bench.py", "h"), new Peer("fast", fast, "jax_bench.py", "h"),
                new Peer("absent", dir.resolve("nowhere/python"), "jax_bench.py", "hint-absent"));
        Path out = dir.resolve("out");
        StringWriter log = new StringWriter();
        Scaling.run(TINY, true, out, new PrintWriter(log), peers);

        List<String> lines = Files.readAllLines(out.resolve("scaling.csv"));
        assertEquals("sweep,shape,width,depth,relume_ms,slow_ms,fast_ms,absent_ms,fastest_peer,ratio", lines.get(0));
        assertEquals(3, lines.size());
        String[] w = lines.get(1).split(",", -1);
        String[] d = lines.get(2).split(",", -1);
        assertEquals(List.of("width", "mlp-w2-d2", "2", "2"), List.of(w).subList(0, 4));
        assertEquals(List.of("depth-w3", "mlp-w3-d1", "3", "1"), List.of(d).subList(0, 4));
        // Per shape the smaller of the two answers wins: fast on the first, slow on the second.
        assertEquals(List.of("7.00000", "5.00000", "", "fast"), List.of(w).subList(5, 9));
        assertEquals(List.of("9.00000", "11.0000", "", "slow"), List.of(d).subList(5, 9));
        assertEquals(5.0 / Double.parseDouble(w[4]), Double.parseDouble(w[9]), 1e-5 * Double.parseDouble(w[9]));
        assertEquals(9.0 / Double.parseDouble(d[4]), Double.parseDouble(d[9]), 1e-5 * Double.parseDouble(d[9]));

        String md = Files.readString(out.resolve("scaling.md"));
        assertTrue(md.contains("absent: **missing, skipped**") && md.contains("hint-absent"), md);
        assertTrue(md.contains("Vector width: ") && md.contains("CPU: ") && md.contains("## Where each side wins"), md);
        assertTrue(md.contains("over width at depth 2") && md.contains("over depth at width 3") && md.contains("(scaling.png)"), md);
        assertTrue(ImageIO.read(out.resolve("scaling.png").toFile()).getWidth() > 500);
        assertTrue(Files.size(out.resolve("scaling.svg")) > 0 && log.toString().contains("skipped: "), log.toString());
    }

    @Test
    void withoutAnyPeerRelumesTimesRemainAndTheFigureShowsThem() throws IOException {
        Path out = dir.resolve("alone");
        Scaling.run(TINY, true, out, new PrintWriter(new StringWriter()),
                List.of(new Peer("absent", dir.resolve("nowhere/python"), "jax_bench.py", "h")));
        List<String> lines = Files.readAllLines(out.resolve("scaling.csv"));
        assertEquals("sweep,shape,width,depth,relume_ms,absent_ms,fastest_peer,ratio", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertTrue(Double.parseDouble(f[4]) > 0 && f[5].isEmpty() && f[6].isEmpty() && f[7].isEmpty(), line);
        }
        assertTrue(Files.exists(out.resolve("scaling.png")) && Files.readString(out.resolve("scaling.md")).contains("no peer ran"));
    }

    @Test
    void crossingsInterpolateLogRatioAgainstLogSize() {
        // ln 4 at x = 1 and ln(1/4) at x = 4: half-way in log x, at x = 2.
        assertEquals(List.of(2.0), ScalingReport.crossings(new double[] {1, 4, 16}, new double[] {4, 0.25, 0.1}).stream()
                .map(v -> Math.rint(v * 1e9) / 1e9).toList());
        // ln 8 at 10 and ln(1/2) at 100: t = 3/4 of the way, 10^(1.75).
        assertEquals(Math.pow(10, 1.75), ScalingReport.crossings(new double[] {10, 100}, new double[] {8, 0.5}).get(0), 1e-9);
        assertEquals(List.of(), ScalingReport.crossings(new double[] {1, 2, 4}, new double[] {3, 2, 1.5}));
        assertEquals(2, ScalingReport.crossings(new double[] {1, 2, 4}, new double[] {0.5, 2, 0.5}).size());
    }

    @Test
    void mlpShapesByNameAndTheirFlops() {
        Shape s = Shape.byName("mlp-w25-d10");
        assertEquals(Shape.mlp(25, 10), s);
        assertEquals("2 -> 10 x 25 -> 1, batch 85, MSE", s.describe());
        double forward = 2.0 * 85 * (2 * 25 + 9 * 25 * 25 + 25);
        assertEquals(3 * forward - 2.0 * 85 * 2 * 25, s.stepFlops(), 1e-6);
        assertEquals(Workload.TINY.shape(), Shape.byName("tiny"));
        assertThrows(IllegalArgumentException.class, () -> Shape.byName("mlp-w0-d3"));
        assertEquals(2, Scaling.points(TINY).size());
        List<String> full = Scaling.points(Scaling.Profile.full()).stream().map(p -> p.shape().id()).toList();
        assertEquals(11 + 2 * 8, full.size());
        assertTrue(full.containsAll(List.of("mlp-w1-d10", "mlp-w1024-d10", "mlp-w3-d1", "mlp-w3-d150", "mlp-w25-d150")), full.toString());
    }

    /** A peer that answers the two tiny shapes with the given milliseconds. */
    private static String answer(String peer, double first, double second) {
        return "echo '{\"peer\": \"" + peer + "\", \"version\": \"1-test\", \"details\": \"stand-in\", \"python\": \"0\", "
                + "\"workloads\": {\"mlp-w2-d2\": {\"median_ms\": " + first + "}, \"mlp-w3-d1\": {\"median_ms\": " + second + "}}}'";
    }

    private Path fakeInterpreter(String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
