package org.relume.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.train.TrainingHistory;

/** Renders every kind of figure Figures draws and checks each is a picture of the right size, not a blank page. */
class FiguresTest {
    @TempDir
    Path tmp;

    @Test
    void heatmapsSideBySide() throws IOException {
        double[][] v = {{1.0, 0.4, 0.55}, {0.93, Double.NaN, 0.6}, {0.47, 0.8, 1.0}};
        List<String> xs = List.of("1", "2", "3");
        List<String> ys = List.of("5", "10", "20");
        Figures.Heatmap a = new Figures.Heatmap("baseline", "width (each cell one run, seed 1)", "depth", xs, ys, v);
        Figures.Heatmap b = new Figures.Heatmap("jumpstart", "width (each cell one run, seed 1)", "depth", xs, ys, v);
        Figures.heatmaps(List.of(a, b), 0.4, 1.0, tmp.resolve("heatmap.png"), tmp.resolve("heatmap.svg"));
        FigureChecks.assertFigure(tmp.resolve("heatmap.png"), tmp.resolve("heatmap.svg"), 1040, 620, 0.2);
    }

    @Test
    void trainingCurvesOfAClassifierWithoutAPenalty() throws IOException {
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= 50; e++) {
            double loss = 0.7 * Math.exp(-e / 8.0) + 1e-3;
            h.add(Map.of("epoch", (double) e * 20, "loss", loss, "task_loss", loss, "validation_loss", loss * 1.2,
                    "train_accuracy", 1 - 0.5 * Math.exp(-e / 10.0), "validation_accuracy", 1 - 0.5 * Math.exp(-e / 9.0)));
        }
        Path png = tmp.resolve("curves.png");
        Figures.trainingCurves(h, "csv:/a/rather/long/path/to/some/table/with/a/long/name.csv 4-8-8-8-3", png,
                tmp.resolve("curves.svg"));
        BufferedImage img = FigureChecks.assertFigure(png, tmp.resolve("curves.svg"), 1200, 470, 0.05);
        assertEquals(0xffffff, img.getRGB(3, 3) & 0xffffff, "a white margin around the heading");
    }

    @Test
    void trainingCurvesOfARegressionWithAPenalty() throws IOException {
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= 5; e++) {
            h.add(Map.of("epoch", (double) e, "loss", 1.0 / e + 0.01, "task_loss", 1.0 / e, "validation_loss", 1.1 / e,
                    "train_mse", 0.2 / (e * e), "validation_mse", 0.25 / (e * e)));
        }
        Path png = tmp.resolve("curves-mse.png");
        Figures.trainingCurves(h, "curve:x3 1-8-8-1", png, tmp.resolve("curves-mse.svg"));
        FigureChecks.assertFigure(png, tmp.resolve("curves-mse.svg"), 1200, 470, 0.05);
    }

    @Test
    void linePanelsAndAnEqualSeries() throws IOException {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] falling = {1, 0.5, 0.25, 0.125, 0.0625, 0.03125};
        Figures.LinePanel p = new Figures.LinePanel("Example 2.2", "log2 k", "distance", List.of(
                new Figures.Series("uniform", x, falling), new Figures.Series("Sobolev", x, falling.clone()),
                new Figures.Series("parameters", x, new double[] {1, 1, 1, 1, 1, 1})), true);
        Figures.lines(List.of(p, p), tmp.resolve("distances.png"), tmp.resolve("distances.svg"));
        FigureChecks.assertFigure(tmp.resolve("distances.png"), tmp.resolve("distances.svg"), 1040, 460, 0.03);
        assertSame(p.series().get(0), AxisLabels.earlierEqual(p.series(), 1), "Sobolev equals uniform");
        assertNull(AxisLabels.earlierEqual(p.series(), 2));
    }

    @Test
    void aCurveWithGrowthsMarked() throws IOException {
        double[] epochs = new double[60];
        double[] loss = new double[60];
        for (int i = 0; i < 60; i++) {
            epochs[i] = 25 * (i + 1);
            loss[i] = 0.9 * Math.exp(-i / 20.0) + 0.05;
        }
        Figures.curvesWithEvents("student-teacher: gradmax, 5 growths", "epoch", "training loss",
                List.of(new Figures.Series("training loss", epochs, loss)), new double[] {200, 400, 600, 800, 1000}, "growth",
                tmp.resolve("growth.png"), tmp.resolve("growth.svg"));
        FigureChecks.assertFigure(tmp.resolve("growth.png"), tmp.resolve("growth.svg"), 640, 460, 0.03);
    }

    @Test
    void scenesWithUnitsAndMarkers() throws IOException {
        List<Figures.Series> points = List.of(
                new Figures.Series("class 0", new double[] {0.1, 0.2, 0.3, 0.25}, new double[] {0.1, 0.3, 0.2, 0.4}),
                new Figures.Series("class 1", new double[] {0.7, 0.8, 0.9, 0.75}, new double[] {0.8, 0.6, 0.7, 0.9}));
        List<Figures.Series> lines = List.of(
                new Figures.Series("unit 0", new double[] {0, 1}, new double[] {0, 1}),
                new Figures.Series("unit 1", new double[] {0, 1}, new double[] {1, 0}),
                new Figures.Series("new unit (fold)", new double[] {0.5, 0.5}, new double[] {0, 1}));
        List<Figures.Series> markers = List.of(new Figures.Series("x_t", new double[] {0.3}, new double[] {0.2}),
                new Figures.Series("x_f", new double[] {0.5}, new double[] {0.5}));
        Figures.Scene scene = new Figures.Scene("sine: fold at epoch 200", new double[] {0, 1, 0, 1}, points, lines, markers);
        Figures.scenes(List.of(scene), tmp.resolve("folds.png"), tmp.resolve("folds.svg"));
        FigureChecks.assertFigure(tmp.resolve("folds.png"), tmp.resolve("folds.svg"), 640, 520, 0.03);
    }

    @Test
    void axisLabelsShowWhatTheRangeNeeds() {
        double[] x = {100, 5000};
        assertEquals("#,##0", AxisLabels.pattern(List.of(new Figures.Series("a", x, x)), true, false));
        Figures.Series narrow = new Figures.Series("n", x, new double[] {0.4933345, 0.4933412});
        assertEquals("0.#######", AxisLabels.pattern(List.of(narrow), false, false));
        Figures.Series accuracy = new Figures.Series("a", x, new double[] {0.05, 0.98});
        assertEquals("0.##", AxisLabels.pattern(List.of(accuracy), false, false));
        Figures.Series tiny = new Figures.Series("t", x, new double[] {2e-5, 0.7});
        assertEquals("0.##E0", AxisLabels.pattern(List.of(tiny), false, true));
        assertTrue(AxisLabels.withinDecades(List.of(accuracy), 1.5));
        assertFalse(AxisLabels.withinDecades(List.of(tiny), 1.5), "2e-5 to 0.7 spans 4.5 decades");
    }
}
