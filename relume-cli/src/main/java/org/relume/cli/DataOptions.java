package org.relume.cli;

import java.util.List;
import java.util.Locale;
import org.relume.data.DataSources;
import org.relume.data.Dataset;
import org.relume.data.Standardizer;
import org.relume.data.Task;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The CSV column choices and input standardization of {@code train}, as a picocli mixin, so that
 * other commands that train a network on a user's table ({@code grow}) read it the same way and
 * save the same standardization into the model (which {@code predict}, {@code evaluate} and
 * {@code analyze} then apply).
 */
final class DataOptions {
    @Option(names = "--label", paramLabel = "COL", description = "CSV label column, by header name or 0-based index (default: last column).")
    String label;

    @Option(names = "--task", paramLabel = "TASK", description = "Force the CSV task: classification or regression (default: inferred).")
    String task;

    @Option(names = "--features", split = ",", paramLabel = "COLS",
            description = "CSV only: the feature columns, by header name or 0-based index, in this order (default: all but the label).")
    List<String> features;

    @Option(names = "--drop", split = ",", paramLabel = "COLS", description = "CSV only: columns to leave out, e.g. an id (not with --features).")
    List<String> drop;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N samples: csv: N rows; idx: N images of each file (train and t10k); cifar:"
                    + " N training and N test images (0 = all; generated data take n= in the spec instead).")
    int limit;

    @Option(names = "--standardize", defaultValue = "auto", paramLabel = "auto|on|off",
            description = "Standardize inputs with the training set's mean and std; auto = on for CSV, off otherwise (default: ${DEFAULT-VALUE}).")
    String standardize;

    /** The data as the network sees them: split, and standardized with the training statistics when asked. */
    record Inputs(DataSources.Loaded loaded, Dataset train, Dataset validation, Standardizer standardizer) {
        float[] mean() {
            return standardizer == null ? null : standardizer.mean();
        }

        float[] std() {
            return standardizer == null ? null : standardizer.std();
        }
    }

    /** Loads {@code spec} with these options, printing the data's warnings to the command's stderr. */
    Inputs load(String spec, long seed, double validationFraction, CommandSpec command) {
        if (!List.of("auto", "on", "off").contains(standardize)) {
            throw new IllegalArgumentException("--standardize must be auto, on or off, got '" + standardize + "'");
        }
        DataSources.Loaded loaded = DataSources.load(new DataSources.Request(spec, seed, validationFraction, label,
                taskOverride(task), limit, features, drop));
        Relume.warn(command, loaded.warnings());
        Dataset train = loaded.split().train();
        Dataset validation = loaded.split().validation();
        boolean csv = spec.strip().toLowerCase(Locale.ROOT).startsWith("csv:");
        if (standardize.equals("on") || (standardize.equals("auto") && csv)) {
            Standardizer s = Standardizer.fit(train);
            return new Inputs(loaded, s.apply(train), s.apply(validation), s);
        }
        return new Inputs(loaded, train, validation, null);
    }

    /** The task --task forces on a CSV, or null to infer it. */
    static Task taskOverride(String task) {
        if (task == null) {
            return null;
        }
        return switch (task.toLowerCase(Locale.ROOT)) {
            case "regression" -> Task.REGRESSION;
            case "classification", "binary", "multiclass" -> Task.MULTICLASS;
            default -> throw new IllegalArgumentException("--task must be classification or regression, got '" + task + "'");
        };
    }
}
