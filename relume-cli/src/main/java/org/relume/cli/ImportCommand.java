package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.relume.io.ModelDirectory;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.onnx.OnnxImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code relume import}: a network trained elsewhere as a Relume model directory. */
@Command(name = "import",
        header = "Read a plain MLP from an ONNX file into a Relume model directory.",
        description = {
            "Reads the chain from the graph's input: an optional standardization (Sub, then Div, by constants),"
                + " dense layers (Gemm, or MatMul and Add) each with at most one activation (Relu, LeakyRelu, Elu,"
                + " Sigmoid, Tanh, Softplus, Softsign, x*Sigmoid(x)), and an optional Softmax. Task and class"
                + " names come from a Relume export's metadata; otherwise a final Softmax means classification and"
                + " anything else regression. info, predict, evaluate, analyze and canonicalize then work on --out.",
            "",
            "Example:",
            "  relume import --from onnx runs/iris.onnx --out runs/iris-imported",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class ImportCommand implements Callable<Integer> {
    /** The formats import reads. */
    enum Format { onnx }

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FORMAT",
            description = "Format of FILE: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to read.")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelDirectory.checkOutput(out, file);
        ModelFiles.SavedModel read = OnnxImport.read(file);
        ModelMetadata m = read.metadata();
        Map<String, Object> provenance = new LinkedHashMap<>(m.provenance());
        provenance.putAll(BuildInfo.provenance());
        ModelMetadata meta = new ModelMetadata(m.task(), m.classes(), m.loss(), m.inputMean(), m.inputStd(), m.featureNames(),
                provenance, m.classNames());
        // Read back before the swap: a model that Relume's own loader refuses is never committed.
        ModelDirectory.replace(out, dir -> {
            ModelFiles.write(dir, read.network(), meta);
            ModelFiles.load(dir);
        });
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "imported %s into %s: %s, %d parameters, task %s%s, %s%n", file, out,
                read.network().architecture(), read.network().parameterCount(), meta.task().id(),
                meta.task().isClassification() ? " " + meta.classLabels() : "",
                meta.standardizesInputs() ? "standardizes its inputs" : "no standardization");
        o.flush();
        return Relume.OK;
    }
}
