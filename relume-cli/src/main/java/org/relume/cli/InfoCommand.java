package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.relume.blocks.Structure;
import org.relume.io.Json;
import org.relume.io.ModelFiles;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.nn.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume info}: what a saved model is, after validating both of its files. */
@Command(name = "info",
        header = "Describe a saved model: layers, parameters, task, input standardization and provenance.",
        description = {"Loads and validates DIR/model.json and DIR/model.safetensors.", "",
            "Example:", "  relume info --model runs/moons", ""},
        mixinStandardHelpOptions = true)
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (written by train --out).")
    Path model;

    @Override
    public Integer call() throws IOException {
        ModelFiles.SavedModel saved = ModelFiles.load(model);
        Network net = saved.network();
        ModelMetadata m = saved.metadata();
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "model        %s%n", model);
        o.printf(Locale.ROOT, "architecture %s (%d layers, %d hidden), %d parameters%n", net.architecture(),
                net.layerCount(), net.hiddenLayerCount(), net.parameterCount());
        o.printf(Locale.ROOT, "task         %s%s, loss %s%n", m.task().id(),
                m.task().isClassification() ? " (" + m.classes() + " classes)" : "", m.loss());
        if (!m.classNames().isEmpty()) {
            o.printf(Locale.ROOT, "classes      %s%n", m.classNames());
        }
        o.printf(Locale.ROOT, "inputs       %d%s%n", net.inputSize(),
                m.featureNames().isEmpty() ? "" : " " + m.featureNames());
        o.printf(Locale.ROOT, "standardize  %s%n", m.standardizesInputs() ? "yes (training mean and std stored)" : "no");
        if (!net.isChain()) {
            o.printf(Locale.ROOT, "structure    %s (%s)%n", net.structure(), describeStructure(net.structure()));
        }
        int layer = 0;
        List<Stage> stages = net.stages();
        for (int s = 0; s < stages.size(); s++) {
            Stage st = stages.get(s);
            String stage = net.isChain() ? "" : "  " + stageSummary(s, st);
            for (Layer l : st.layers()) {
                o.printf(Locale.ROOT, "layer %-3d    %s %d -> %d, %s%s%n", layer++, l.type(), l.inputSize(), l.outputSize(),
                        detail(l), stage);
                stage = "";
            }
        }
        for (Map.Entry<String, Object> e : m.provenance().entrySet()) {
            o.printf(Locale.ROOT, "%-12s %s%n", e.getKey(), e.getValue() instanceof String text ? text : compactJson(e.getValue()));
        }
        o.flush();
        return Relume.OK;
    }

    /** The activation, and for image layers their window and normalization. */
    private static String detail(Layer l) {
        Map<String, Object> c = l.config();
        return switch (l.type()) {
            case "conv2d" -> Activations.describe(l.activation()) + ", " + c.get("kernel") + "x" + c.get("kernel") + " stride "
                    + c.get("stride") + " padding " + c.get("padding") + (c.containsKey("batch_norm") ? ", batch norm" : "");
            case "pool2d" -> c.get("mode") + " " + c.get("kernel") + "x" + c.get("kernel") + " stride " + c.get("stride");
            case "global_pool" -> String.valueOf(c.get("mode"));
            default -> Activations.describe(l.activation());
        };
    }

    /** Nested provenance (a run's typed configuration) as one line of JSON rather than a Java map. */
    private static String compactJson(Object value) {
        try {
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String describeStructure(String id) {
        if (id.equals("residual")) {
            return "ResNet / HB-Net units, x_{k+1} = relu(T(x_k) + b1 x_k + b2 x_{k-1}), T = conv-BN-ReLU-conv-BN (Li et al. eq. 16)";
        }
        try {
            return Structure.parse(id).description();
        } catch (IllegalArgumentException e) {
            return "several structures";
        }
    }

    /** Like {@code stage 3: hb k=2, coefficients [0.3, -0.3] (learnable)}. */
    private static String stageSummary(int index, Stage st) {
        Map<String, Object> c = st.config();
        StringBuilder sb = new StringBuilder("stage ").append(index).append(": ").append(st.type());
        if (!"layer".equals(st.type())) {
            sb.append(" k=").append(st.position());
        }
        Object coefficients = c.get("coefficients");
        if (coefficients instanceof List<?> l && l.size() <= 4) {
            sb.append(", coefficients ").append(l.stream().map(v -> String.format(Locale.ROOT, "%.4g", (Double) v))
                    .collect(Collectors.joining(", ", "[", "]")));
        } else if (coefficients instanceof List<?> l) {
            sb.append(", ").append(l.size()).append(" coefficients");
        }
        if (Boolean.TRUE.equals(c.get("learnable"))) {
            sb.append(" (learnable)");
        }
        return sb.toString();
    }
}
