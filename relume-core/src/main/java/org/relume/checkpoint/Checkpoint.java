package org.relume.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;
import org.relume.io.ModelFiles;
import org.relume.io.ModelFormatException;
import org.relume.io.ModelMetadata;
import org.relume.io.Safetensors;
import org.relume.nn.Network;
import org.relume.optim.OptimizerState;
import org.relume.tensor.Tensor;
import org.relume.train.EarlyStopping;
import org.relume.train.TrainingHistory;
import org.relume.train.TrainingProgress;

/**
 * A training run saved between two batches, so that {@code relume train --resume} continues it
 * exactly. A checkpoint is an ordinary model directory (the weights so far, usable by predict and
 * info, and metrics.csv so far) plus two files:
 * <ul>
 *   <li>{@code checkpoint.json}: the run's command-line arguments, its {@link TrainingProgress}
 *       (epoch, batch, steps, the epoch's partial loss sums, the history), the optimizer's kind
 *       and step count, the batch-order generator's state (its seed and the number of orders
 *       drawn, from which it is replayed), early stopping's best epoch, and the training data's
 *       {@link org.relume.data.Dataset#fingerprint fingerprint};</li>
 *   <li>{@code checkpoint.safetensors}: the optimizer's buffers ({@code optimizer.<param>.<i>})
 *       and early stopping's best weights ({@code best.<param>}).</li>
 * </ul>
 * The caller writes it through {@link org.relume.io.ModelDirectory#replace}, so a kill while
 * saving leaves the previous checkpoint whole. The run's final save replaces the directory with
 * a plain model, so a finished run holds no checkpoint.
 */
public record Checkpoint(List<String> args, TrainingProgress progress, OptimizerState optimizer, long batchSeed,
                         EarlyStopping.Snapshot earlyStop, String dataFingerprint) {
    public static final String FILE = "checkpoint.json";
    public static final String STATE = "checkpoint.safetensors";
    public static final String FORMAT = "relume-checkpoint";
    public static final int VERSION = 1;

    public Checkpoint {
        args = List.copyOf(args);
    }

    /** True if {@code dir} holds a checkpoint (a run that has not finished). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Writes the model, metrics.csv and the checkpoint files into {@code dir} (a staging directory). */
    public void write(Path dir, Network network, ModelMetadata metadata) throws IOException {
        ModelFiles.write(dir, network, metadata);
        TrainingHistory history = new TrainingHistory();
        progress.history().forEach(history::add);
        AtomicFiles.writeString(dir.resolve("metrics.csv"), history.toCsv());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        optimizer.buffers().forEach((name, buffers) -> {
            for (int i = 0; i < buffers.length; i++) {
                tensors.put("optimizer." + name + "." + i, Tensor.wrap(buffers[i].clone(), buffers[i].length));
            }
        });
        if (earlyStop != null) {
            earlyStop.weights().forEach((name, w) -> tensors.put("best." + name, Tensor.wrap(w.clone(), w.length)));
        }
        Safetensors.write(dir.resolve(STATE), tensors, Map.of("format", FORMAT));
        Json.write(dir.resolve(FILE), describe());
    }

    private Map<String, Object> describe() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("args", args);
        root.put("epoch", progress.epoch());
        root.put("next_batch", progress.nextBatch());
        root.put("steps", progress.steps());
        root.put("loss_sum", progress.lossSum());
        root.put("task_loss_sum", progress.taskSum());
        root.put("penalty_sums", progress.penaltySums());
        root.put("samples_seen", progress.seen());
        root.put("seconds", progress.seconds());
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("kind", optimizer.kind());
        opt.put("steps", optimizer.steps());
        opt.put("parameters", List.copyOf(optimizer.buffers().keySet()));
        root.put("optimizer", opt);
        Map<String, Object> rng = new LinkedHashMap<>();
        rng.put("seed", batchSeed);
        rng.put("orders_drawn", progress.epoch() + 1);
        root.put("batch_rng", rng);
        if (earlyStop != null) {
            Map<String, Object> es = new LinkedHashMap<>();
            es.put("best_epoch", earlyStop.epoch());
            es.put("best_metric", earlyStop.metric());
            es.put("best_loss", earlyStop.loss());
            root.put("early_stop", es);
        }
        root.put("data_fingerprint", dataFingerprint);
        root.put("history", progress.history());
        return root;
    }

    /**
     * Reads the checkpoint in {@code dir} (the model itself is read with {@link ModelFiles#load}).
     *
     * @throws ModelFormatException if the files are missing, malformed or disagree
     */
    public static Checkpoint read(Path dir) throws IOException {
        Path json = dir.resolve(FILE);
        Path state = dir.resolve(STATE);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(state)) {
            throw new ModelFormatException(dir, "holds no checkpoint (" + FILE + " and " + STATE + "); a finished run "
                    + "has none, and a run saves one with --checkpoint-every N or when interrupted");
        }
        JsonNode root;
        try {
            root = Json.STRICT_READER.readTree(new String(Files.readAllBytes(json), StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(json, "not valid JSON: " + e.getOriginalMessage());
        }
        Fields f = new Fields(json, root);
        if (!FORMAT.equals(f.text("format")) || f.integer("version") != VERSION) {
            throw new ModelFormatException(json, "not a checkpoint this Relume reads (format " + FORMAT + ", version "
                    + VERSION + ")");
        }
        Map<String, Tensor> tensors = Safetensors.read(state).tensors();
        TrainingProgress progress = new TrainingProgress(f.count("epoch"), f.count("next_batch"), f.integer("steps"),
                f.number("loss_sum"), f.number("task_loss_sum"), f.numbers("penalty_sums"), f.count("samples_seen"),
                f.history("history"), f.number("seconds"));
        Fields opt = new Fields(json, f.node("optimizer"));
        OptimizerState optimizer = new OptimizerState(opt.text("kind"), opt.integer("steps"),
                buffers(state, tensors, opt.node("parameters")));
        JsonNode seedNode = new Fields(json, f.node("batch_rng")).node("seed");
        if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
            throw new ModelFormatException(json, "field 'batch_rng.seed' must be an integer");
        }
        long seed = seedNode.asLong();
        EarlyStopping.Snapshot early = null;
        if (root.has("early_stop")) {
            Fields es = new Fields(json, f.node("early_stop"));
            Map<String, float[]> weights = new LinkedHashMap<>();
            tensors.forEach((name, t) -> {
                if (name.startsWith("best.")) {
                    weights.put(name.substring(5), t.data());
                }
            });
            early = new EarlyStopping.Snapshot(es.count("best_epoch"), es.number("best_metric"),
                    es.number("best_loss"), weights);
        }
        return new Checkpoint(f.strings("args"), progress, optimizer, seed, early, f.text("data_fingerprint"));
    }

    private static Map<String, float[][]> buffers(Path file, Map<String, Tensor> tensors, JsonNode names) {
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (JsonNode n : names) {
            List<float[]> list = new ArrayList<>();
            for (int i = 0; tensors.containsKey("optimizer." + n.asText() + "." + i); i++) {
                list.add(tensors.get("optimizer." + n.asText() + "." + i).data());
            }
            if (list.isEmpty()) {
                throw new ModelFormatException(file, "no optimizer state for parameter '" + n.asText() + "'");
            }
            out.put(n.asText(), list.toArray(new float[0][]));
        }
        return out;
    }

    /** Typed access to checkpoint.json's fields, each error naming the file and the field. */
    private record Fields(Path file, JsonNode node) {
        JsonNode node(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new ModelFormatException(file, "missing field '" + name + "'");
            }
            return v;
        }

        String text(String name) {
            JsonNode v = node(name);
            if (!v.isTextual()) {
                throw new ModelFormatException(file, "field '" + name + "' must be a string");
            }
            return v.asText();
        }

        long integer(String name) {
            JsonNode v = node(name);
            if (!v.isIntegralNumber() || v.asLong() < 0) {
                throw new ModelFormatException(file, "field '" + name + "' must be a non-negative integer");
            }
            return v.asLong();
        }

        int count(String name) {
            long v = integer(name);
            if (v > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, "field '" + name + "' is too large");
            }
            return (int) v;
        }

        double number(String name) {
            JsonNode v = node(name);
            if (!v.isNumber()) {
                throw new ModelFormatException(file, "field '" + name + "' must be a number");
            }
            return v.asDouble();
        }

        double[] numbers(String name) {
            JsonNode v = node(name);
            double[] out = new double[v.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i).asDouble();
            }
            return out;
        }

        List<String> strings(String name) {
            List<String> out = new ArrayList<>();
            node(name).forEach(n -> out.add(n.asText()));
            return out;
        }

        /** History rows; JSON has no NaN, so a null value (a NaN when written) reads back as NaN. */
        List<Map<String, Double>> history(String name) {
            List<Map<String, Double>> rows = new ArrayList<>();
            for (JsonNode r : node(name)) {
                Map<String, Double> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    row.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
