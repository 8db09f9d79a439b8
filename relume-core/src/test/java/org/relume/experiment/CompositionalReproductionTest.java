package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full compositional reproduction (30 models per method and target; about 10 s on 2 cores):
 * on x^3 "differentiability enforced" reaches a minimum MSE at least 10x below the default
 * network's and a mean MSE below every other method's.
 */
class CompositionalReproductionTest {
    @TempDir
    Path out;

    @Test
    void enforcedBeatsTheBaselinesOnTheCubic() throws IOException {
        StringWriter log = new StringWriter();
        Reproductions.byName("compositional").run(
                new Reproduction.Context(false, out, 2, Reproduction.Progress.NONE, new PrintWriter(log)));
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(lines.get(0).startsWith("method,target,models,min_mse,mean_mse"), lines.get(0));
        assertEquals(1 + 5 * 4, lines.size());
        Map<String, double[]> x3 = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals("30", f[2], line);
            if (f[1].equals("x3")) {
                x3.put(f[0], new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        }
        double[] enforced = x3.get("enforced");
        assertTrue(enforced[0] * 10 <= x3.get("default")[0], "min MSE enforced " + enforced[0] + " vs default " + x3.get("default")[0]);
        for (String m : new String[] {"default", "raai", "no-pretrain", "free"}) {
            assertTrue(enforced[1] < x3.get(m)[1], "mean MSE enforced " + enforced[1] + " vs " + m + " " + x3.get(m)[1] + "\n" + log);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("wall time") && report.contains("paper min"), report);
        assertTrue(Files.size(out.resolve("fits.png")) > 0 && Files.exists(out.resolve("models.csv")));
    }
}
