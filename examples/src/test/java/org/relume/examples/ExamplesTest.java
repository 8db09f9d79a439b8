package org.relume.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every example runs (with shortened training) and prints what its comment promises. */
class ExamplesTest {
    private static String run(Runnable main) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainWithJumpstart() {
        String out = run(() -> TrainWithJumpstart.main(new String[] {"300"}));
        assertTrue(out.contains("plain") && out.contains("jumpstart") && out.contains("dead layers"), out);
    }

    @Test
    void growWithGradMax() {
        String out = run(() -> GrowWithGradMax.main(new String[] {"1100"}));
        assertEquals(5, out.lines().filter(l -> l.contains("grew to")).count(), out);
        assertTrue(out.contains("final 10-10-10"), out);
    }

    @Test
    void countLinearRegions() {
        String out = run(() -> CountLinearRegions.main(new String[0]));
        assertEquals(8, out.lines().filter(l -> l.startsWith("depth")).count(), out);
    }

    @Test
    void canonicalize() {
        String out = run(() -> Canonicalize.main(new String[] {"300"}));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("max output difference (\\S+) on").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) < 1e-4, "the canonical form computes the same function: " + out);
        assertTrue(out.contains("canonical 2-"), out);
    }
}
