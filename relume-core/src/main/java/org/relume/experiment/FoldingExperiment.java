package org.relume.experiment;

import java.util.ArrayList;
import java.util.List;
import org.relume.data.Dataset;
import org.relume.data.GrowthData;
import org.relume.geometry.UnitPointStates;
import org.relume.grow.Folding;
import org.relume.nn.Dense;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.plot.Figures;
import org.relume.train.TrainConfig;
import org.relume.train.Trainer;

/**
 * One seed of the folding comparison (Kang 2024; REFERENCES.md §4.2) on a 2-D binary set: a 2-2-2
 * ReLU network trained alone, the same 2-2-2 grown to 2-3-2 by folding halfway, and a 2-3-2 from a
 * random initialization, each trained for the same number of epochs (full-batch Adam) [R].
 */
public final class FoldingExperiment {
    private FoldingExperiment() {}

    /** Settings [R]: 500 points, 2000 epochs before the fold and 2000 after, Adam lr 0.01, Kaiming-uniform init. */
    public record Settings(int points, int epochsBefore, int epochsAfter, double lr) {
        public static Settings defaults() {
            return new Settings(500, 2000, 2000, 0.01);
        }
    }

    /** Final training accuracy and whether every hidden unit is nonlinear on the data (its hyperplane crosses it). */
    public record Outcome(double accuracy, boolean allUnitsNonlinear, Network network) {}

    public record Result(String dataset, long seed, Outcome narrow, Outcome grown, Outcome random, Folding.Step fold,
                         Network beforeFold) {}

    public static Dataset data(String dataset, int points, long seed) {
        return switch (dataset) {
            case "sine" -> GrowthData.sine(points, seed);
            case "overlap-quadratic" -> GrowthData.overlapQuadratic(points, 0.15, seed);
            default -> throw new IllegalArgumentException("folding data must be sine or overlap-quadratic, got '" + dataset + "'");
        };
    }

    public static Result run(String dataset, long seed, Settings s) {
        Dataset data = data(dataset, s.points(), seed);
        Dataset none = data.range(0, 0, "none");
        int total = s.epochsBefore() + s.epochsAfter();
        Network narrow = net(2, seed);
        train(narrow, data, none, total, s.lr(), null);
        Network grown = net(2, seed);
        Adam adam = new Adam(s.lr());
        train(grown, data, none, s.epochsBefore(), s.lr(), adam);
        Network before = grown.copy();
        Folding.Result f = Folding.grow(grown, data, Folding.Settings.defaults(seed), adam);
        train(f.network(), data, none, s.epochsAfter(), s.lr(), adam);
        Network random = net(3, seed);
        train(random, data, none, total, s.lr(), null);
        return new Result(dataset, seed, outcome(narrow, data), outcome(f.network(), data), outcome(random, data), f.step(), before);
    }

    private static Network net(int width, long seed) {
        return Mlp.builder().inputs(2).hidden(width).outputs(2).init(Initializer.KAIMING_UNIFORM).seed(seed).build();
    }

    private static void train(Network net, Dataset data, Dataset none, int epochs, double lr, Adam adam) {
        new Trainer(TrainConfig.defaults().seed(0).epochs(epochs).optimizer(adam != null ? adam : new Adam(lr)).logEvery(Math.max(1, epochs)))
                .train(net, data, none);
    }

    private static Outcome outcome(Network net, Dataset data) {
        double acc = org.relume.train.Evaluation.of(net, data, org.relume.loss.Loss.SOFTMAX_CROSS_ENTROPY).accuracy();
        UnitPointStates.Report states = UnitPointStates.analyze(net, data.features());
        boolean nonlinear = states.deadUnits() == 0 && states.linearUnits() == 0;
        return new Outcome(acc, nonlinear, net);
    }

    /** The fold of a reproduction run drawn on its data. */
    public static Figures.Scene scene(Result r, Dataset data) {
        return scene(r.dataset() + ", seed " + r.seed() + ": fold", data, r.beforeFold(), r.fold());
    }

    /**
     * A fold drawn on 2-D data: the classes, the hidden units' hyperplanes before the fold, the new
     * unit's hyperplane, x_t and x_f, over the data's bounding box.
     */
    public static Figures.Scene scene(String title, Dataset data, Network beforeFold, Folding.Step fold) {
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < data.size(); i++) {
            box[0] = Math.min(box[0], data.features().get(i, 0));
            box[1] = Math.max(box[1], data.features().get(i, 0));
            box[2] = Math.min(box[2], data.features().get(i, 1));
            box[3] = Math.max(box[3], data.features().get(i, 1));
        }
        List<Figures.Series> points = new ArrayList<>();
        for (int cls = 0; cls < 2; cls++) {
            List<double[]> p = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.labels()[i] == cls) {
                    p.add(new double[] {data.features().get(i, 0), data.features().get(i, 1)});
                }
            }
            points.add(new Figures.Series("class " + cls, p.stream().mapToDouble(v -> v[0]).toArray(),
                    p.stream().mapToDouble(v -> v[1]).toArray()));
        }
        List<Figures.Series> lines = new ArrayList<>();
        Dense hidden = (Dense) beforeFold.layer(0);
        for (int j = 0; j < hidden.outputSize(); j++) {
            double[] seg = segment(hidden.weight().value().get(j, 0), hidden.weight().value().get(j, 1),
                    hidden.bias().value().get(j), box);
            if (seg != null) {
                lines.add(new Figures.Series("unit " + j, new double[] {seg[0], seg[2]}, new double[] {seg[1], seg[3]}));
            }
        }
        double[] seg = segment(fold.newWeights()[0], fold.newWeights()[1], fold.newBias(), box);
        if (seg != null) {
            lines.add(new Figures.Series("new unit (fold)", new double[] {seg[0], seg[2]}, new double[] {seg[1], seg[3]}));
        }
        List<Figures.Series> markers = List.of(
                new Figures.Series("x_t", new double[] {fold.target()[0]}, new double[] {fold.target()[1]}),
                new Figures.Series("x_f", new double[] {fold.foldPoint()[0]}, new double[] {fold.foldPoint()[1]}));
        return new Figures.Scene(title, box, points, lines, markers);
    }

    /** The part of the line w.x + b = 0 inside the box, as {x0, y0, x1, y1}, or null. */
    static double[] segment(double wx, double wy, double b, double[] box) {
        List<double[]> pts = new ArrayList<>();
        if (Math.abs(wy) > 1e-12) {
            for (double x : new double[] {box[0], box[1]}) {
                double y = -(wx * x + b) / wy;
                if (y >= box[2] && y <= box[3]) {
                    pts.add(new double[] {x, y});
                }
            }
        }
        if (Math.abs(wx) > 1e-12) {
            for (double y : new double[] {box[2], box[3]}) {
                double x = -(wy * y + b) / wx;
                if (x >= box[0] && x <= box[1]) {
                    pts.add(new double[] {x, y});
                }
            }
        }
        if (pts.size() < 2) {
            return null;
        }
        return new double[] {pts.get(0)[0], pts.get(0)[1], pts.get(1)[0], pts.get(1)[1]};
    }
}
