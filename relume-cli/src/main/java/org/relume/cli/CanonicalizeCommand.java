package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.geometry.BiasedShallowNet;
import org.relume.geometry.Canonicalization;
import org.relume.geometry.Degeneracies;
import org.relume.io.Json;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.nn.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume canonicalize}: a function-preserving canonical form of a saved model. */
@Command(name = "canonicalize",
        header = "Rewrite a saved ReLU model into a canonical form that computes the same function.",
        description = {
            "Each operation acts on every relu hidden layer, viewing unit i as (a_i, b_i) in, c_i out: rebalance"
                + " scales them to equal max-norms, merge joins units with positively parallel (a_i, b_i), drop-dead"
                + " removes units that contribute nothing anywhere (dead everywhere, or c_i = 0; a constant one goes"
                + " into the next bias). --restricted (one hidden layer only) applies Lemma A.6: a bias-free net with"
                + " d + 2 inputs and m + 1 units in N* computing the same function on (x, 1, -1).",
            "",
            "Writes the model to --out DIR and DIR/canonicalize.json, whose max_output_difference is the largest"
                + " output difference on 10,000 inputs uniform in [-1, 1]^d (drawn with --seed).",
            "",
            "Examples:",
            "  relume canonicalize --model runs/shallow --rebalance --merge --drop-dead \\",
            "      --out runs/canonical",
            "  relume canonicalize --model runs/shallow --restricted \\",
            "      --out runs/shallow-star",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class CanonicalizeCommand implements Callable<Integer> {
    /** Random inputs of the reported output difference. */
    static final int CHECK_INPUTS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @Option(names = "--rebalance", description = "Scale (a_i, b_i) by lambda and c_i by 1/lambda, lambda = sqrt(||c_i|| / ||(a_i, b_i)||).")
    boolean rebalance;

    @Option(names = "--merge", description = "Merge units with positively parallel (a_i, b_i): c_i += mu c_j, unit j removed.")
    boolean merge;

    @Option(names = "--drop-dead",
            description = "Remove units with zero c_i, or dead everywhere (zero a_i and b_i <= 0); fold zero a_i, b_i > 0 into"
                    + " the next bias. Units merely dead on the training data stay: elsewhere they are alive.")
    boolean dropDead;

    @Option(names = "--restricted", description = "Lemma A.6: convert a one-hidden-layer net into N*_(d+2, m+1, D) on inputs (x, 1, -1).")
    boolean restricted;

    @Option(names = "--tolerance", defaultValue = "1e-6", paramLabel = "T",
            description = "Units whose unit-length (a_i, b_i) differ by at most T count as parallel (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random check inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!(rebalance || merge || dropDead || restricted)) {
            throw new IllegalArgumentException("name at least one of --rebalance, --merge, --drop-dead, --restricted");
        }
        // By real path: a symbolic link to the model, or a directory inside it, must not be written.
        ModelDirectory.checkOutput(out, model);
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        Network original = saved.network();
        original.requireChain("canonicalize");
        List<String> operations = new ArrayList<>();
        Network converted = convert(original, operations);
        double diff = Canonicalization.maxOutputDifference(original, converted, CHECK_INPUTS, seed, restricted);
        Map<String, Object> report = report(original, converted, operations, diff);
        ModelMetadata meta = saved.metadata();
        ModelDirectory.replace(out, dir -> {
            ModelFiles.write(dir, converted, new ModelMetadata(meta.task(), meta.classes(), meta.loss(),
                    restricted ? extend(meta.inputMean(), 0f) : meta.inputMean(), restricted ? extend(meta.inputStd(), 1f) : meta.inputStd(),
                    restricted && !meta.featureNames().isEmpty() ? withConstants(meta.featureNames()) : meta.featureNames(),
                    provenance(meta, operations), meta.classNames()));
            Json.write(dir.resolve("canonicalize.json"), report);
        });
        print(original, converted, operations, report, diff);
        return Relume.OK;
    }

    /** Applies the requested operations, naming each in {@code operations}. */
    private Network convert(Network original, List<String> operations) {
        if (restricted) {
            if (!BiasedShallowNet.isShallow(original)) {
                throw new IllegalArgumentException("--restricted needs a one-hidden-layer ReLU net (dense relu, then dense identity); "
                        + "this one is " + original.architecture() + " with " + original.hiddenLayerCount() + " hidden layers");
            }
            operations.add("restricted (Lemma A.6: drop/fold constant units, merge, lift to (a, 1 + max(b, 0), 1 + max(-b, 0)), "
                    + "bias unit, inactive slots, rebalance)");
            return Canonicalization.restricted(original, tolerance);
        }
        if (dropDead) {
            operations.add("drop-dead");
        }
        if (merge) {
            operations.add("merge");
        }
        if (rebalance) {
            operations.add("rebalance");
        }
        return Canonicalization.canonicalize(original, new Canonicalization.Options(rebalance, merge, dropDead, tolerance));
    }

    private Map<String, Object> report(Network original, Network converted, List<String> operations, double diff) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model.toString());
        report.put("operations", operations);
        report.put("tolerance", tolerance);
        report.put("architecture_before", original.architecture());
        report.put("architecture_after", converted.architecture());
        report.put("max_output_difference", diff);
        report.put("inputs_checked", CHECK_INPUTS);
        report.put("check_inputs", "uniform in [-1, 1]^d of the network's input space, seed " + seed
                + (restricted ? "; the converted net gets (x, 1, -1)" : ""));
        if (BiasedShallowNet.isShallow(original)) {
            report.put("degeneracies_before", Degeneracies.of(BiasedShallowNet.fromNetwork(original), tolerance, null).describe());
        }
        if (BiasedShallowNet.isShallow(converted)) {
            report.put("degeneracies_after", degeneracies(converted).describe());
            BiasedShallowNet after = BiasedShallowNet.fromNetwork(converted);
            report.put("in_restricted_space", after.isBiasFree() && Degeneracies.inRestrictedSpace(after.withoutBiases(), tolerance));
        }
        return report;
    }

    /** A bias-free result is judged by its a_i (the restricted space's terms), a biased one by its (a_i, b_i). */
    private Degeneracies.Report degeneracies(Network shallow) {
        BiasedShallowNet net = BiasedShallowNet.fromNetwork(shallow);
        return net.isBiasFree() ? Degeneracies.of(net.withoutBiases(), tolerance, null) : Degeneracies.of(net, tolerance, null);
    }

    private void print(Network original, Network converted, List<String> operations, Map<String, Object> report, double diff) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "model    %s (%s) -> %s (%s)%n", model, original.architecture(), out, converted.architecture());
        o.printf(Locale.ROOT, "applied  %s%n", String.join(", ", operations));
        if (report.containsKey("degeneracies_after")) {
            o.printf(Locale.ROOT, "before   %s%n", Degeneracies.of(BiasedShallowNet.fromNetwork(original), tolerance, null).summary());
            o.printf(Locale.ROOT, "after    %s%s%n", degeneracies(converted).summary(),
                    Boolean.TRUE.equals(report.get("in_restricted_space")) ? "; in N*" : "");
            // The two tools count different things under one word; say which this is.
            o.println("dead     means dead everywhere here, the only dead units --drop-dead can remove without changing the"
                    + " function; relume analyze --data counts units dead on the data, which may be alive elsewhere");
        }
        o.printf(Locale.ROOT, "check    max output difference %.3g on %d random inputs%s%n", diff, CHECK_INPUTS,
                restricted ? " (converted net fed (x, 1, -1))" : "");
        o.printf("wrote    %s (model.safetensors, model.json, canonicalize.json)%n", out);
        o.flush();
    }

    private static float[] extend(float[] v, float value) {
        if (v == null) {
            return null;
        }
        float[] e = Arrays.copyOf(v, v.length + 2);
        e[v.length] = value;
        e[v.length + 1] = value;
        return e;
    }

    private static List<String> withConstants(List<String> names) {
        List<String> n = new ArrayList<>(names);
        n.add("one");
        n.add("minus_one");
        return n;
    }

    private Map<String, Object> provenance(ModelMetadata meta, List<String> operations) {
        Map<String, Object> p = new LinkedHashMap<>(meta.provenance());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", "relume " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        c.put("from", model.toString());
        c.put("operations", operations);
        c.put("created", Instant.now().toString());
        c.putAll(BuildInfo.provenance());
        if (restricted) {
            c.put("inputs", "(x, 1, -1): append the constants 1 and -1 to every input row");
        }
        p.put("canonicalized", c);
        return p;
    }
}
