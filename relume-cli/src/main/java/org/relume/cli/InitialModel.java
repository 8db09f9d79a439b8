package org.relume.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.relume.data.Dataset;
import org.relume.data.Standardizer;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.nn.Network;
import picocli.CommandLine.ParseResult;

/**
 * {@code relume train --init-from DIR}: a saved model (trained by Relume, or made by {@code relume
 * import} from a network trained elsewhere) as the starting point of a training run, so that any
 * technique (jumpstart, the geometry penalties, growth) can fine-tune it. The model brings its
 * architecture, weights and input standardization; the options that would build or standardize a
 * network of their own are refused, and the data must fit the model.
 */
final class InitialModel {
    /** Options that choose what the saved model already fixes. */
    static final List<String> FIXED_BY_THE_MODEL = List.of("--width", "--depth", "--widths", "--structure", "--conv", "--arch",
            "--init", "--activation", "--relu-grad-at-zero", "--standardize", "--pretrain", "--beta",
            "--learnable-coefficients", "--n", "--arch-width", "--arch-depth", "--growth-rate", "--kernel", "--head",
            "--batchnorm", "--pool", "--pool-every");

    private final Path dir;
    private final ModelFiles.SavedModel saved;

    private InitialModel(Path dir, ModelFiles.SavedModel saved) {
        this.dir = dir;
        this.saved = saved;
    }

    /** Loads the model after refusing, in one line, any option it makes meaningless. */
    static InitialModel load(Path dir, ParseResult parsed) throws IOException {
        for (String option : FIXED_BY_THE_MODEL) {
            if (parsed.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " does not combine with --init-from: the model in " + dir
                        + " fixes its architecture, weights and standardization");
            }
        }
        return new InitialModel(dir, ModelFiles.load(dir));
    }

    /** The model's own input standardization (applied to the new data as predict would), or null. */
    Standardizer standardizer() {
        ModelMetadata m = saved.metadata();
        return m.standardizesInputs() ? Standardizer.of(m.inputMean(), m.inputStd()) : null;
    }

    /** The saved network, after checking that {@code train} has its inputs, outputs and task. */
    Network network(Dataset train) {
        Network net = saved.network();
        ModelMetadata m = saved.metadata();
        if (net.inputSize() != train.inputs() || net.outputSize() != train.outputs() || m.task() != train.task()) {
            throw new IllegalArgumentException("--init-from " + dir + ": the model is a " + m.task().id() + " network of "
                    + net.inputSize() + " inputs and " + net.outputSize() + " outputs, but the data make a "
                    + train.task().id() + " task of " + train.inputs() + " inputs and " + train.outputs() + " outputs");
        }
        return net;
    }

    /**
     * Refuses data whose named features or classes differ from the model's: the weights would read
     * the columns, or score the classes, in another order than they were trained for.
     */
    void requireSameNames(List<String> features, List<String> classes) {
        ModelMetadata m = saved.metadata();
        if (!m.featureNames().isEmpty() && !features.isEmpty() && !m.featureNames().equals(features)) {
            throw new IllegalArgumentException("--init-from " + dir + ": the model reads the features " + m.featureNames()
                    + " but the data give " + features + "; choose and order the columns with --features "
                    + String.join(",", m.featureNames()));
        }
        if (!m.classNames().isEmpty() && !classes.isEmpty() && !m.classNames().equals(classes)) {
            throw new IllegalArgumentException("--init-from " + dir + ": the model's classes are " + m.classNames()
                    + " but the data's are " + classes);
        }
    }

    /** For the header: where the weights come from. */
    String describe() {
        return "weights from " + dir;
    }
}
