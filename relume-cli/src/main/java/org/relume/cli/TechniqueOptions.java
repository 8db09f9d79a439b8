package org.relume.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.compose.CompositionalStart;
import org.relume.compose.Convexity;
import org.relume.compose.PeakParametrization;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Dataset;
import org.relume.data.Task;
import org.relume.grow.Growing;
import org.relume.grow.GrowthPlan;
import org.relume.loss.Loss;
import org.relume.nn.Network;
import org.relume.train.TrainConfig;
import org.relume.train.TrainingHistory;
import picocli.CommandLine.Option;

/**
 * The techniques {@code relume train} combines beyond penalties, kept out of TrainCommand: a
 * compositional start (Milkert et al.'s stage 1, REFERENCES.md §2) and growth on a schedule
 * (GradMax and its baselines, or folding; REFERENCES.md §4). Each reaches the trainer only
 * through its own interface: the start hands over a network of ordinary weights, growth is a
 * training listener; neither knows of the other or of the penalties. What the combination checks
 * need is here too, so a combination that cannot work is refused in one line before any training.
 */
final class TechniqueOptions {
    @Option(names = "--grow", paramLabel = "SPEC",
            description = "Grow the network while training: METHOD[:every=N,times=K,units=U,start=S,layer=L,scale=X,deepen],"
                    + " METHOD gradmax, random, zeros, gradmax-opt or folding; every N optimizer steps from step S (default"
                    + " N = 200, S = N), K times (default 5), U units (default 1) into hidden layer L (an index, round-robin or"
                    + " largest; default 0), between epochs; each growth leaves the function unchanged. MLPs with relu only;"
                    + " folding: one hidden layer and a classification task.")
    String grow;

    @Option(names = "--pretrain", paramLabel = "SPEC",
            description = "Start from compositional pretraining: compositional:enforced|free[,epochs=500,lr=0.01,waves=auto]"
                    + " (stage 1 fits the peaks of a width-4 network to 1-D regression data, scales by eq. 5 or free; waves"
                    + " added or subtracted, auto from the data's side of their chord); --epochs then train it as ordinary"
                    + " weights, with whatever else is given (stage 2).")
    String pretrain;

    /** A parsed --pretrain spec; a null sign is chosen from the data. */
    record Pretraining(PeakParametrization.Mode mode, int epochs, double lr, Sign sign) {}

    /** What the combination checks need to know about the rest of the command line. */
    /** @param hidden the widths the options build, or null when a saved model (--init-from) is the network */
    record Others(boolean structure, boolean imageNetwork, int[] hidden, String activation, boolean initGiven,
                  int earlyStop, int checkpointEvery) {}

    private GrowthPlan plan;
    private Pretraining pretraining;
    private Growing growing;
    private CompositionalStart.Result start;
    private String startLine;

    boolean active() {
        return grow != null || pretrain != null;
    }

    boolean pretrains() {
        return pretrain != null;
    }

    /** Parses both specs and refuses the combinations that cannot work, one line each, before any data are read. */
    void validate(Others o) {
        if (grow != null) {
            plan = GrowthPlan.parse(grow);
            refuse(o.structure(), "--grow grows plain MLPs, not --structure networks");
            refuse(o.imageNetwork(), "--grow in train grows MLPs; relume grow --conv grows a thin CNN");
            // A saved model (--init-from, hidden null) is checked on its own layers when growth is attached.
            refuse(o.hidden() != null && !o.activation().equalsIgnoreCase("relu"), "--grow needs --activation relu: a new"
                    + " unit starts at relu(0) = 0, which is what leaves the function unchanged; got " + o.activation());
            int layers = o.hidden() == null ? 1 : o.hidden().length;
            refuse(plan.folding() && layers != 1, "--grow folding grows networks with one hidden layer (--depth 1), got "
                    + layers);
        }
        if (pretrain != null) {
            pretraining = parsePretraining(pretrain);
            refuse(o.structure() || o.imageNetwork(), "--pretrain compositional builds a 1-[4 x depth]-1 MLP; it does not"
                    + " apply to --structure, --conv or --arch");
            refuse(o.hidden().length < 1 || Arrays.stream(o.hidden()).anyMatch(w -> w != 4), "--pretrain compositional"
                    + " needs width 4 in every hidden layer before stage 2 (the construction's four units per layer), got "
                    + Arrays.toString(o.hidden()));
            refuse(!o.activation().equalsIgnoreCase("relu"), "--pretrain compositional composes relu units; got --activation "
                    + o.activation());
            refuse(o.initGiven(), "--init does not apply to --pretrain compositional: stage 1 builds the weights from the peaks");
        }
        if (active()) {
            String which = grow != null ? "--grow" : "--pretrain";
            refuse(o.earlyStop() > 0, "--early-stop puts back the best epoch's weights by name and shape; it does not combine"
                    + " with " + which + ", whose network changes during the run");
            refuse(o.checkpointEvery() > 0, "--checkpoint-every: a run with " + which + " cannot be resumed yet (its growths"
                    + " and its start are not in the checkpoint)");
        }
    }

    private static void refuse(boolean condition, String why) {
        if (condition) {
            throw new IllegalArgumentException(why);
        }
    }

    static Pretraining parsePretraining(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (!s.startsWith("compositional:")) {
            throw new IllegalArgumentException("--pretrain must be compositional:enforced or compositional:free[,epochs=N,"
                    + "lr=X,waves=auto|added|subtracted], got '" + spec + "'");
        }
        String[] parts = s.substring("compositional:".length()).split(",", -1);
        PeakParametrization.Mode mode = switch (parts[0].trim()) {
            case "enforced" -> PeakParametrization.Mode.ENFORCED;
            case "free" -> PeakParametrization.Mode.FREE;
            default -> throw new IllegalArgumentException("--pretrain compositional: the mode is enforced or free, got '"
                    + parts[0].trim() + "'");
        };
        int epochs = 500;
        double lr = 1e-2;
        Sign sign = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            String key = kv[0].trim();
            String value = kv.length > 1 ? kv[1].trim() : "";
            try {
                switch (key) {
                    case "epochs" -> epochs = Integer.parseInt(value);
                    case "lr" -> lr = Double.parseDouble(value);
                    case "waves" -> sign = switch (value) {
                        case "auto" -> null;
                        case "added" -> Sign.ADDED;
                        case "subtracted" -> Sign.SUBTRACTED;
                        default -> throw new IllegalArgumentException("--pretrain: waves is auto, added or subtracted, got '"
                                + value + "'");
                    };
                    default -> throw new IllegalArgumentException("--pretrain: unknown key '" + key
                            + "'; known: epochs, lr, waves");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--pretrain: " + key + " must be a number, got '" + value + "'");
            }
        }
        if (epochs < 0 || !(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("--pretrain: epochs must be >= 0 and lr a positive number, got " + epochs
                    + " and " + lr);
        }
        return new Pretraining(mode, epochs, lr, sign);
    }

    /**
     * Stage 1 on the training data (as the network sees them, standardized or not); returns the
     * network that stage 2 trains. Refuses data that are not 1-D regression in one line.
     */
    Network start(Dataset train, int depth, long seed) {
        if (train.task().isClassification() || train.inputs() != 1 || train.outputs() != 1) {
            throw new IllegalArgumentException("--pretrain compositional fits 1-D regression data (one input, one target); "
                    + train.name() + " is " + train.task().id() + " with " + train.inputs() + " input(s) and "
                    + train.outputs() + " output(s)");
        }
        Pretraining p = pretraining;
        start = CompositionalStart.pretrain(train, p.sign(), p.mode(), depth, seed, p.epochs(), p.lr());
        String why = p.sign() != null ? "as asked" : String.format(Locale.ROOT, "from the data: mean gap to the chord %.4g",
                Convexity.meanGap(start.frame().toUnit(train)));
        startLine = String.format(Locale.ROOT, "pretrain compositional %s, waves %s (%s), %d stage-1 epochs at lr %s: MSE %.3g",
                modeId(), signId(start.sign()), why, p.epochs(), p.lr(), start.mse());
        return start.network();
    }

    /** Adds the growth listener, once the network it grows is built; refuses a network it cannot grow. */
    void attach(TrainConfig cfg, Network net, Task task, Loss loss, long seed, long batchSeed) {
        if (plan == null) {
            return;
        }
        plan.check(net, task);
        // As relume grow: folding draws its folds from the run's seed, the others their directions from the batch seed.
        growing = plan.listener(loss, plan.folding() ? seed : batchSeed);
        cfg.listener(growing);
    }

    /** The start as the header names it in place of an initializer. */
    String startText(String initializer) {
        return pretrain == null ? initializer + " init" : "compositional " + modeId() + " start";
    }

    /** The header's lines for the techniques: stage 1's outcome, the growth plan. */
    void printHeader(PrintWriter o) {
        if (startLine != null) {
            o.println(startLine);
        }
        if (plan != null) {
            o.printf("growth   %s%n", plan.describe());
        }
    }

    /**
     * Prints the growths as a table and puts the growths, the start and the diagnostics logged during
     * the run into {@code summary} (summary.json).
     */
    void report(PrintWriter o, Map<String, Object> summary, TrainingHistory history) {
        if (growing != null) {
            List<Map<String, Object>> rows = growing.eventRows();
            if (rows.isEmpty()) {
                o.println("grew     nothing: no growth was due within the run");
            } else {
                o.printf("%ngrowths%n%s%n", TextTable.of(rows).render());
            }
            summary.put("growth", plan.describe());
            summary.put("growth_events", rows);
        }
        if (start != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("method", "compositional");
            s.put("mode", modeId());
            s.put("waves", signId(start.sign()));
            s.put("epochs", pretraining.epochs());
            s.put("lr", pretraining.lr());
            s.put("start_peaks", start.startPeaks());
            s.put("peaks_after_stage1", start.peaks());
            s.put("mse_after_stage1", start.mse());
            s.put("frame", Map.of("x_lo", start.frame().xLo(), "x_hi", start.frame().xHi(), "y_lo", start.frame().yLo(),
                    "y_hi", start.frame().yHi()));
            summary.put("pretraining", s);
        }
        List<Map<String, Double>> diagnostics = new ArrayList<>();
        for (Map<String, Double> row : history.rows()) {
            if (row.containsKey("dead_units")) {
                Map<String, Double> d = new LinkedHashMap<>();
                for (String k : List.of("epoch", "growths", "parameters", "dead_units", "linear_units", "nonlinear_units",
                        "dead_points", "dead_layers", "linear_layers")) {
                    if (row.containsKey(k)) {
                        d.put(k, row.get(k));
                    }
                }
                diagnostics.add(d);
            }
        }
        if (!diagnostics.isEmpty()) {
            summary.put("unit_point_states_during_training", diagnostics);
        }
    }

    private String modeId() {
        return pretraining.mode().name().toLowerCase(Locale.ROOT);
    }

    private static String signId(Sign s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
