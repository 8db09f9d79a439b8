package org.relume.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.relume.blocks.AgdDenseStage;
import org.relume.nn.Network;
import org.relume.nn.Stage;

/**
 * Structured networks (Li et al., "Optimization algorithm inspired deep neural network structure
 * design", eqs. 11-20) as ONNX: each stage's operators T are ordinary layers ({@link OnnxLayers}),
 * and its weighted sums of earlier states become Mul by a scalar initializer and Add, in the order
 * the stage adds them. The states of a block (x_j, T_j(x_j), the side path x'_j, ADMM's running
 * sum s_j) are tracked as graph values, exactly as {@code StageStates} tracks them on the tape.
 * Covered: layer, hb, agd, agd2, admm, dmrnet, the convolutional residual units of ResNet and
 * HB-Net, and the dense blocks of DenseNet and AGD-Net (Concat along the channels); any other
 * stage type is refused in one line.
 */
final class OnnxStages {
    private final OnnxGraph g;
    private final List<OnnxValue> x = new ArrayList<>();
    private final List<OnnxValue> t = new ArrayList<>();
    private final List<OnnxValue> side = new ArrayList<>();
    private final List<OnnxValue> carried = new ArrayList<>();
    /** The network-wide index of the current stage's first layer. */
    private int stageLayer;
    private int nextLayer;

    private OnnxStages(OnnxGraph g) {
        this.g = g;
    }

    static OnnxValue apply(OnnxGraph g, OnnxValue input, Network network) {
        OnnxStages s = new OnnxStages(g);
        OnnxValue latest = input;
        List<Stage> stages = network.stages();
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            if (stage.position() == 0) {
                s.startBlock(latest);
            }
            latest = s.stage(stage, "stages." + i);
            s.x.add(latest);
        }
        return latest;
    }

    private void startBlock(OnnxValue x0) {
        x.clear();
        t.clear();
        side.clear();
        carried.clear();
        x.add(x0);
    }

    private OnnxValue stage(Stage stage, String stem) {
        int k = x.size() - 1;
        double[] c = coefficients(stage);
        stageLayer = nextLayer;
        nextLayer += stage.layers().size();
        return switch (stage.type()) {
            case "layer" -> run(stage, 0, x.get(k));
            case "hb" -> sum(stem, List.of(run(stage, 0, x.get(k)), x.get(k), x.get(Math.max(k - 1, 0))), 1, c[0], c[1]);
            case "agd" -> run(stage, 0, sum(stem, List.of(x.get(k), x.get(Math.max(k - 1, 0))), c[0], c[1]));
            case "agd2" -> agd2(stage, stem, k, c);
            case "admm", "dmrnet" -> twoPath(stage, stem, k, c);
            case "residual" -> residual(stage, stem, k, c);
            case "dense" -> concat(stem, x.get(k), run(stage, 1, run(stage, 0, x.get(k))));
            case "agdnet" -> agdnet(stage, stem, k, c);
            default -> throw new IllegalArgumentException("ONNX export: the " + stage.type()
                    + " stage has no ONNX form yet; exported are dense and convolutional chains and the layer, hb, agd,"
                    + " agd2, admm, dmrnet, residual, dense and agdnet stages");
        };
    }

    /** x_{k+1} = sum_j alpha_j T_j(x_j) + sum_j beta_j x_j (eq. 13/18). */
    private OnnxValue agd2(Stage stage, String stem, int k, double[] c) {
        t.add(run(stage, 0, x.get(k)));
        List<OnnxValue> terms = new ArrayList<>(t);
        terms.addAll(x);
        return sum(stem, terms, c);
    }

    /** Eq. 14 (admm) and eq. 20 on the latest states (dmrnet); T' is layer 0, T layer 1. */
    private OnnxValue twoPath(Stage stage, String stem, int k, double[] c) {
        OnnxValue sideK = k < side.size() ? side.get(k) : x.get(0);
        OnnxValue xk = x.get(k);
        OnnxValue tSide = run(stage, 0, sideK);
        OnnxValue tMain = run(stage, 1, xk);
        while (side.size() <= k) {
            side.add(x.get(0));
        }
        if (stage.type().equals("dmrnet")) {
            side.add(sum(stem + ".side", List.of(tSide, sideK, xk), 1, c[0], c[1]));
            return sum(stem, List.of(tMain, sideK, xk), 1, c[0], c[1]);
        }
        OnnxValue s = k < carried.size() ? carried.get(k) : null;
        OnnxValue sideNext = s == null ? sum(stem + ".side", List.of(tSide, xk), 0.5, 0.5)
                : sum(stem + ".side", List.of(tSide, xk, s), 0.5, 0.5, -0.5);
        side.add(sideNext);
        OnnxValue next = s == null ? sum(stem, List.of(tMain, sideNext), 0.5, 0.5)
                : sum(stem, List.of(tMain, s, sideNext), 0.5, 0.5, 0.5);
        while (carried.size() <= k) {
            carried.add(null);
        }
        carried.add(s == null ? sum(stem + ".s", List.of(sideNext, next), 1, -1)
                : sum(stem + ".s", List.of(sideNext, next, s), 1, -1, 1));
        return next;
    }

    /** ResNet/HB-Net units: relu(T(x_0) + P(x_0)) at the entry, relu(T(x_k) + b1 x_k + b2 x_{k-1}) after. */
    private OnnxValue residual(Stage stage, String stem, int k, double[] c) {
        OnnxValue tk = run(stage, 1, run(stage, 0, x.get(k)));
        OnnxValue total;
        if (k == 0) {
            OnnxValue skip = stage.layers().size() > 2 ? run(stage, 2, x.get(0)) : x.get(0);
            total = sum(stem, List.of(tk, skip), 1, 1);
        } else {
            total = sum(stem, List.of(tk, x.get(k), x.get(Math.max(1, k - 1))), 1, c[0], c[1]);
        }
        String h = g.node("Relu", stem + ".relu", List.of(total.name()));
        return new OnnxValue(h, total.features(), total.channels(), total.height(), total.width());
    }

    /**
     * AGD-Net (eq. 21): z_{k+1} = sum_j alpha_j T_j(z_j) + beta (z_k - sum_j h_{k+1,j} z_j), the z_j
     * kept as the side path (z_0 = x_0), the state the concatenation [x_k, z_{k+1}].
     */
    private OnnxValue agdnet(Stage stage, String stem, int k, double[] alpha) {
        if (side.isEmpty()) {
            side.add(x.get(0));
        }
        t.add(run(stage, 1, run(stage, 0, side.get(k))));
        List<OnnxValue> terms = new ArrayList<>(t);
        double[] c = java.util.Arrays.copyOf(alpha, k + 1 + k);
        float[] momentum = ((AgdDenseStage) stage).momentumWeights();
        for (int j = 1; j <= k; j++) {
            terms.add(side.get(j));
            c[k + j] = momentum[j - 1];
        }
        OnnxValue next = sum(stem, terms, c);
        side.add(next);
        return concat(stem, x.get(k), next);
    }

    /** [a, b] along the channels (DenseNet's concatenation). */
    private OnnxValue concat(String stem, OnnxValue a, OnnxValue b) {
        OnnxValue left = a.asImage(g, a.features() / (b.height() * b.width()), b.height(), b.width());
        String v = g.node("Concat", stem + ".concat", List.of(left.name(), b.name()), OnnxGraph.attribute("axis", 1L));
        return OnnxValue.image(v, left.channels() + b.channels(), b.height(), b.width());
    }

    /** Runs the stage's layer {@code local} under its network-wide name {@code layers.<i>}. */
    private OnnxValue run(Stage stage, int local, OnnxValue input) {
        return OnnxLayers.apply(g, input, stage.layers().get(local), "layers." + (stageLayer + local));
    }

    /** c_0 v_0 + c_1 v_1 + ...: Mul by a scalar (skipped for 1) and Add, in term order. */
    private OnnxValue sum(String stem, List<OnnxValue> terms, double... c) {
        if (c.length != terms.size()) {
            throw new IllegalStateException(stem + ": " + c.length + " coefficients for " + terms.size() + " terms");
        }
        OnnxValue first = terms.get(0);
        String total = null;
        for (int i = 0; i < terms.size(); i++) {
            OnnxValue term = terms.get(i);
            String v = (first.isImage() ? term.asImage(g, first.channels(), first.height(), first.width())
                    : term.asFlat(g)).name();
            if (c[i] != 1) {
                v = g.node("Mul", stem + ".term", List.of(v, g.floats(stem + ".c", new float[] {(float) c[i]}, 1)));
            }
            total = total == null ? v : g.node("Add", stem + ".sum", List.of(total, v));
        }
        return new OnnxValue(total, first.features(), first.channels(), first.height(), first.width());
    }

    @SuppressWarnings("unchecked")
    private static double[] coefficients(Stage stage) {
        Map<String, Object> config = stage.config();
        Object c = config.get("coefficients");
        if (!(c instanceof List<?> list)) {
            return new double[0];
        }
        double[] v = new double[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) list.get(i)).doubleValue();
        }
        return v;
    }
}
