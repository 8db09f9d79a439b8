package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.relume.io.AtomicFiles;
import org.relume.io.ModelFiles;
import org.relume.onnx.OnnxExport;
import org.relume.onnx.proto.Onnx.ModelProto;
import org.relume.onnx.proto.Onnx.ValueInfoProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume export}: a saved model as a file another runtime loads (ONNX; see relume-onnx). */
@Command(name = "export",
        header = "Write a saved model as an ONNX file that ONNX Runtime and other runtimes run.",
        description = {
            "The graph (ONNX opset 17, IR version 8) takes 'input', float [N, inputs], the raw samples predict"
                + " reads; the stored standardization is its first nodes. A classifier gives 'logits' and"
                + " 'probabilities' [N, classes], the columns predict prints; a regression model gives 'output'."
                + " Dense and convolutional networks and the structured ones are exported.",
            "",
            "Example:",
            "  relume export --model runs/iris --format onnx --out runs/iris.onnx",
            ""},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class ExportCommand implements Callable<Integer> {
    /** The formats export writes. */
    enum Format { onnx }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
            description = "File format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (replaced atomically).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a directory; give a file such as model.onnx");
        }
        requireOutsideModel();
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        ModelProto onnx = OnnxExport.toModel(saved.network(), saved.metadata(), BuildInfo.version());
        byte[] bytes = onnx.toByteArray();
        AtomicFiles.writeBytes(out, bytes);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: ONNX opset %d, IR version %d, %d nodes, %d bytes%n", out, OnnxExport.OPSET,
                OnnxExport.IR_VERSION, onnx.getGraph().getNodeCount(), bytes.length);
        o.printf(Locale.ROOT, "input  %s%n", describe(onnx.getGraph().getInput(0)));
        for (ValueInfoProto v : onnx.getGraph().getOutputList()) {
            o.printf(Locale.ROOT, "output %s%n", describe(v));
        }
        o.flush();
        return Relume.OK;
    }

    /** A model directory holds only the model's files (a foreign one makes later saves refuse it). */
    private void requireOutsideModel() throws IOException {
        if (!Files.isDirectory(model)) {
            return;
        }
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path real = parent != null && Files.isDirectory(parent) ? parent.toRealPath().resolve(target.getFileName()) : target;
        if (real.startsWith(model.toRealPath())) {
            throw new IllegalArgumentException("--out " + out + " is inside the model directory " + model
                    + ", which holds only the model's own files; write it elsewhere");
        }
    }

    /** {@code name float [N, 4]}. */
    private static String describe(ValueInfoProto v) {
        StringBuilder sb = new StringBuilder(v.getName()).append(" float [");
        var dims = v.getType().getTensorType().getShape().getDimList();
        for (int i = 0; i < dims.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dims.get(i).hasDimParam() ? dims.get(i).getDimParam() : dims.get(i).getDimValue());
        }
        return sb.append(']').toString();
    }
}
