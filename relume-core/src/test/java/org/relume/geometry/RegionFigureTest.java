package org.relume.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.plot.FigureChecks;
import org.relume.plot.NiceTicks;

/** The regions picture keeps the box's aspect ratio, has round ticks and draws the data it is given. */
class RegionFigureTest {
    @TempDir
    Path tmp;

    private static LinearRegions2D.Result regions(double xhi, double yhi) {
        Network net = Mlp.builder().inputs(2).hidden(6, 6).outputs(1).activation(Activations.relu())
                .init(Initializer.TORCH_DEFAULT).seed(2).build();
        return LinearRegions2D.analyze(net, 0, xhi, 0, yhi);
    }

    @Test
    void aFlatBoxIsDrawnFlatWithTheDataAndTheInputsNames() throws IOException {
        double[] xs = {0.1, 0.5, 0.9, 0.3};
        double[] ys = {0.1, 0.25, 0.4, 0.3};
        Path png = tmp.resolve("regions-flat.png");
        RegionFigure.write(regions(1.0, 0.5), "2-6-6-1", new RegionFigure.Extras("sepal_length", "petal_width", xs, ys),
                png, tmp.resolve("regions-flat.svg"));
        // 1.0 x 0.5 at one scale: 640 x 320 pixels of plot inside the margins.
        BufferedImage img = FigureChecks.assertFigure(png, tmp.resolve("regions-flat.svg"), 640 + 78 + 28, 52 + 320 + 58, 0.4);
        // A data point is a dark dot over the region colours.
        int x = 78 + (int) Math.round(0.5 * 640);
        int y = 52 + 320 - (int) Math.round(0.25 * 640);
        assertEquals(25, (img.getRGB(x, y) >> 16) & 0xff, "the dot at (0.5, 0.25)");
        Path square = tmp.resolve("regions-square.png");
        RegionFigure.write(regions(1, 1), "2-6-6-1", square, null);
        BufferedImage sq = FigureChecks.assertFigure(square, null, 640 + 78 + 28, 52 + 640 + 58, 0.4);
        assertNotEquals(img.getHeight(), sq.getHeight());
    }

    @Test
    void ticksSitAtRoundValues() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}, NiceTicks.within(0, 1).values(), 1e-12);
        assertArrayEquals(new double[] {-1.5, -1, -0.5, 0, 0.5}, NiceTicks.within(-1.73, 0.61).values(), 1e-12);
        assertArrayEquals(new double[] {20, 30, 40, 50, 60, 70}, NiceTicks.within(13, 71).values(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> new RegionFigure.Extras("a", "b", new double[] {1}, new double[0]));
    }
}
