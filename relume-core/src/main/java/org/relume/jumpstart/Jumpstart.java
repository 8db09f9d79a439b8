package org.relume.jumpstart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.tensor.Node;
import org.relume.tensor.Op;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;
import org.relume.train.Regularizer;

/**
 * Jumpstart regularization (Riera, Rey, Serra, Puertas, Pujol, "Training Thinner and Deeper Neural
 * Networks: Jumpstart Regularization", eqs. 3-12; REFERENCES.md §1). With margin 1, for every
 * penalized layer and the current batch:
 * <pre>
 *   unit j:   xi+_j  = max(0, 1 - max_x g_j(x))     xi-_j  = max(0, 1 + min_x g_j(x))
 *   point x:  psi+_x = max(0, 1 - max_j g_j(x))     psi-_x = max(0, 1 + min_j g_j(x))
 *   penalty = lambda * P(all deficits)              (P: see {@link Aggregation})
 * </pre>
 * The negative deficits are those of constraints (4) and (6), min g &lt;= -1, as in both reference
 * implementations; the paper's printed eqs. (10) and (12) carry a sign typo (max(0, -1 - min g)).
 *
 * <p>Subgradients go to the arg-max / arg-min element only (the first one on ties). A unit of a
 * convolutional layer is a channel whose max/min runs over batch x height x width, a point a sample
 * whose max/min runs over channels x height x width: the {@link Preactivation} layout covers both.
 * Hidden layers are penalized; the output layer only when asked.
 */
public final class Jumpstart implements Regularizer {
    /**
     * What a unit and a point are on a convolution's preactivation (dense layers: the same either
     * way). {@code PYTORCH}, the reference PyTorch code and the default: a unit is a channel (max/min
     * over batch x H x W), a point a sample (max/min over C x H x W). {@code KERAS}, the reference
     * Keras code: a unit is each (h, w, c) position (max/min over the batch), a point each (n, h, w)
     * (max/min over the channels).
     */
    public enum Definition {
        PYTORCH, KERAS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Definition byName(String name) {
            for (Definition d : values()) {
                if (d.id().equals(name)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("jumpstart definition must be pytorch or keras, got '" + name + "'");
        }
    }

    private final Aggregation aggregation;
    private final Definition definition;
    private final float lambda;
    private final boolean includeOutput;
    private final List<LayerDeficits> layers = new ArrayList<>();
    private final List<Var> inputs = new ArrayList<>();
    private int active;
    private double lastAggregate;

    public Jumpstart(Aggregation aggregation, double lambda, boolean includeOutput) {
        this(aggregation, lambda, includeOutput, Definition.PYTORCH);
    }

    public Jumpstart(Aggregation aggregation, double lambda, boolean includeOutput, Definition definition) {
        this.definition = definition;
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("jumpstart lambda must be a finite number >= 0, got " + lambda);
        }
        this.aggregation = aggregation;
        this.lambda = (float) lambda;
        this.includeOutput = includeOutput;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    public double lambda() {
        return lambda;
    }

    @Override
    public String name() {
        return "jumpstart";
    }

    @Override
    public boolean needsPreactivations() {
        return true;
    }

    @Override
    public String describe() {
        return "jumpstart(" + aggregation.id() + ", lambda=" + lambda + (includeOutput ? ", output layer included" : "")
                + (definition == Definition.KERAS ? ", keras units and points" : "") + ")";
    }

    /** The unweighted aggregate P of the last {@link #penalty} call. */
    public double lastAggregate() {
        return lastAggregate;
    }

    /** The deficits of the i-th penalized layer in the last {@link #penalty} call. */
    public LayerDeficits layer(int i) {
        if (i < 0 || i >= active) {
            throw new IndexOutOfBoundsException("penalized layer " + i + " of " + active);
        }
        return layers.get(i);
    }

    /** Number of layers penalized in the last call. */
    public int penalizedLayers() {
        return active;
    }

    @Override
    public Var penalty(Tape tape, List<Preactivation> preactivations, Network network) {
        active = 0;
        inputs.clear();
        boolean grad = false;
        for (Preactivation p : preactivations) {
            if (p.output() && !includeOutput) {
                continue;
            }
            if (active == layers.size()) {
                layers.add(new LayerDeficits());
            }
            layers.get(active++).compute(p, definition == Definition.KERAS);
            inputs.add(p.value());
            grad |= tape.needsGrad(p.value());
        }
        double aggregate = aggregate();
        lastAggregate = aggregate;
        Var out = tape.allocScalar(grad);
        out.value().data()[0] = (float) (lambda * aggregate);
        if (grad) {
            tape.record(BACKWARD, out, null, null, null).aux = this;
        }
        return out;
    }

    private double aggregate() {
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        double unitSum = 0;
        double pointSum = 0;
        double unitSq = 0;
        double pointSq = 0;
        long units = 0;
        long points = 0;
        for (int l = 0; l < active; l++) {
            LayerDeficits d = layers.get(l);
            for (int j = 0; j < d.units; j++) {
                double a = d.unitPos[j];
                double b = d.unitNeg[j];
                sum += a + b;
                sumSq += a * a + b * b;
                double u = 0.5 * (a + b);
                unitSum += u;
                unitSq += u * u;
            }
            for (int x = 0; x < d.points; x++) {
                double a = d.pointPos[x];
                double b = d.pointNeg[x];
                sum += a + b;
                sumSq += a * a + b * b;
                double p = 0.5 * (a + b);
                pointSum += p;
                pointSq += p * p;
            }
            count += 2L * (d.units + d.points);
            units += d.units;
            points += d.points;
        }
        return switch (aggregation) {
            case MEAN -> count == 0 ? 0 : sum / count;
            case L1 -> sum;
            case L2 -> Math.sqrt(sumSq);
            case L2SQ_BALANCED -> unitSq + pointSq;
            case BALANCED -> (units == 0 ? 0 : unitSum / units) + (points == 0 ? 0 : pointSum / points);
        };
    }

    /** dP/dD for each deficit kind, given the totals; applied element by element in backward. */
    private void backward(float upstream) {
        long count = 0;
        long units = 0;
        long points = 0;
        for (int l = 0; l < active; l++) {
            LayerDeficits d = layers.get(l);
            count += 2L * (d.units + d.points);
            units += d.units;
            points += d.points;
        }
        double scale = (double) upstream * lambda;
        double norm = lastAggregate;
        for (int l = 0; l < active; l++) {
            LayerDeficits d = layers.get(l);
            Var g = inputs.get(l);
            if (!g.requiresGrad()) {
                continue;
            }
            boolean acc = g.beginGradWrite();
            float[] dg = g.grad().data();
            if (!acc) {
                Arrays.fill(dg, 0, g.value().numel(), 0f);
            }
            for (int j = 0; j < d.units; j++) {
                double u = 0.5 * (d.unitPos[j] + d.unitNeg[j]);
                if (d.unitPos[j] > 0) {
                    dg[d.unitArgMax[j]] -= (float) (scale * weight(d.unitPos[j], u, count, units, norm));
                }
                if (d.unitNeg[j] > 0) {
                    dg[d.unitArgMin[j]] += (float) (scale * weight(d.unitNeg[j], u, count, units, norm));
                }
            }
            for (int x = 0; x < d.points; x++) {
                double p = 0.5 * (d.pointPos[x] + d.pointNeg[x]);
                if (d.pointPos[x] > 0) {
                    dg[d.pointArgMax[x]] -= (float) (scale * weight(d.pointPos[x], p, count, points, norm));
                }
                if (d.pointNeg[x] > 0) {
                    dg[d.pointArgMin[x]] += (float) (scale * weight(d.pointNeg[x], p, count, points, norm));
                }
            }
        }
    }

    /**
     * dP/d(deficit) for one deficit of value {@code v} whose balanced term is {@code half};
     * {@code group} is the number of unit (or point) terms for the balanced mean.
     */
    private double weight(double v, double half, long count, long group, double norm) {
        return switch (aggregation) {
            case MEAN -> 1.0 / count;
            case L1 -> 1.0;
            case L2 -> norm == 0 ? 0 : v / norm;
            case L2SQ_BALANCED -> half; // d(half^2)/d(v) = 2 * half * 0.5
            case BALANCED -> 0.5 / group;
        };
    }

    private static final Op BACKWARD = new Op() {
        @Override public String name() { return "jumpstart"; }

        @Override public void backward(Node n) {
            ((Jumpstart) n.aux).backward(n.out.grad().data()[0]);
        }
    };

    /**
     * One layer's deficits for the current batch, with the flat index (into the preactivation
     * tensor) of the arg-max and arg-min element behind each. Arrays are reused across steps.
     */
    public static final class LayerDeficits {
        int units;
        int points;
        float[] unitPos = new float[0];
        float[] unitNeg = new float[0];
        int[] unitArgMax = new int[0];
        int[] unitArgMin = new int[0];
        float[] pointPos = new float[0];
        float[] pointNeg = new float[0];
        int[] pointArgMax = new int[0];
        int[] pointArgMin = new int[0];
        private float[] pointMax = new float[0];
        private float[] pointMin = new float[0];

        void compute(Preactivation p, boolean keras) {
            int spatial = p.spatial();
            int samples = p.samples();
            // In the Keras view every (channel, position) row is a unit and every (position, sample)
            // a point; in the PyTorch view a channel's rows together are one unit, a sample one point.
            boolean perPosition = keras && spatial > 1;
            units = perPosition ? p.units() * spatial : p.units();
            points = perPosition ? samples * spatial : samples;
            if (unitPos.length < units) {
                unitPos = new float[units];
                unitNeg = new float[units];
                unitArgMax = new int[units];
                unitArgMin = new int[units];
            }
            if (pointPos.length < points) {
                pointPos = new float[points];
                pointNeg = new float[points];
                pointArgMax = new int[points];
                pointArgMin = new int[points];
                pointMax = new float[points];
                pointMin = new float[points];
            }
            float[] g = p.value().value().data();
            Arrays.fill(pointMax, 0, points, Float.NEGATIVE_INFINITY);
            Arrays.fill(pointMin, 0, points, Float.POSITIVE_INFINITY);
            int rowsPerUnit = perPosition ? 1 : spatial;
            for (int u = 0; u < units; u++) {
                float max = Float.NEGATIVE_INFINITY;
                float min = Float.POSITIVE_INFINITY;
                int argMax = -1;
                int argMin = -1;
                for (int q = 0; q < rowsPerUnit; q++) {
                    int row = u * rowsPerUnit + q;
                    int base = row * samples;
                    int pointBase = perPosition ? (row % spatial) * samples : 0;
                    for (int s = 0; s < samples; s++) {
                        int i = base + s;
                        int x = pointBase + s;
                        float v = g[i];
                        if (v > max) {
                            max = v;
                            argMax = i;
                        }
                        if (v < min) {
                            min = v;
                            argMin = i;
                        }
                        if (v > pointMax[x]) {
                            pointMax[x] = v;
                            pointArgMax[x] = i;
                        }
                        if (v < pointMin[x]) {
                            pointMin[x] = v;
                            pointArgMin[x] = i;
                        }
                    }
                }
                unitPos[u] = Math.max(0f, 1f - max);
                unitNeg[u] = Math.max(0f, 1f + min);
                unitArgMax[u] = argMax;
                unitArgMin[u] = argMin;
            }
            for (int x = 0; x < points; x++) {
                pointPos[x] = Math.max(0f, 1f - pointMax[x]);
                pointNeg[x] = Math.max(0f, 1f + pointMin[x]);
            }
        }

        public int units() {
            return units;
        }

        public int points() {
            return points;
        }

        /** xi+ of unit j. */
        public float unitPositive(int j) {
            return unitPos[j];
        }

        /** xi- of unit j. */
        public float unitNegative(int j) {
            return unitNeg[j];
        }

        /** psi+ of point x. */
        public float pointPositive(int x) {
            return pointPos[x];
        }

        /** psi- of point x. */
        public float pointNegative(int x) {
            return pointNeg[x];
        }
    }
}
