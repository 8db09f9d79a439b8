package org.relume.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/**
 * A model directory written by release 0.1.0 (commit 306c85a, before networks could be structured)
 * still loads as a chain and predicts what that release printed for the same rows.
 */
class ReleaseCompatibilityTest {

    @Test
    void modelFromRelease010LoadsAndPredictsAsItDid() throws Exception {
        Path dir = resource("models/release-0.1.0-moons");
        ModelFiles.SavedModel saved = ModelFiles.load(dir);
        Network net = saved.network();
        assertTrue(net.isChain());
        assertEquals("2-4-4-1", net.architecture());
        List<String> rows = Files.readAllLines(dir.resolve("predictions.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            Tensor x = Tensor.wrap(new float[] {Float.parseFloat(f[0]), Float.parseFloat(f[1])}, 1, 2);
            double logit = net.predict(x).data()[0];
            double probability = 1 / (1 + Math.exp(-logit));
            double printed = Double.parseDouble(f[2]);
            assertEquals(printed, probability, 1e-5 * Math.max(printed, 1e-3), row);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ReleaseCompatibilityTest.class.getClassLoader().getResource(name).toURI());
    }
}
