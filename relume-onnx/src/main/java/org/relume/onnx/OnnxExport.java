package org.relume.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.relume.data.Task;
import org.relume.io.AtomicFiles;
import org.relume.io.Json;
import org.relume.io.ModelMetadata;
import org.relume.nn.Layer;
import org.relume.nn.Network;
import org.relume.onnx.proto.Onnx.ModelProto;
import org.relume.onnx.proto.Onnx.OperatorSetIdProto;
import org.relume.onnx.proto.Onnx.StringStringEntryProto;

/**
 * Writes a Relume model as an ONNX model (ONNX IR version 8, default-domain opset 17; the
 * operators are those of the ONNX operator specification, REFERENCES.md), so that ONNX Runtime and
 * other runtimes can run it.
 *
 * <p>The graph has one input, {@value #INPUT}, a float tensor [N, inputs] holding raw samples as
 * {@code relume predict} reads them. A model that standardizes its inputs starts with
 * Sub(mean) and Div(std), the stored statistics. Image networks reshape to [N, C, H, W] before
 * their first convolution. Outputs: a classifier gives {@value #LOGITS} [N, outputs] (the last
 * layer, one column for a binary model) and {@value #PROBABILITIES} [N, classes] (Softmax over
 * classes; for a binary model [1 - sigmoid(z), sigmoid(z)], the columns {@code predict} prints);
 * a regression model gives {@value #OUTPUT} [N, outputs]. The model's metadata_props carry the
 * task, the class names and the feature names, so a reader can label its outputs.
 */
public final class OnnxExport {
    /** The default-domain operator set the graph is written against. */
    public static final int OPSET = 17;
    /** ONNX IR version 8, the one that goes with opset 17 (ONNX 1.12). */
    public static final long IR_VERSION = 8;
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    public static final String OUTPUT = "output";
    /** metadata_props keys. */
    public static final String TASK_KEY = "relume.task";
    public static final String CLASS_NAMES_KEY = "relume.class_names";
    public static final String FEATURE_NAMES_KEY = "relume.feature_names";

    private OnnxExport() {}

    /**
     * The ONNX model of {@code network} with {@code metadata}'s standardization and task.
     *
     * @throws IllegalArgumentException (one line) for a layer, structure or activation ONNX export does not cover
     */
    public static ModelProto toModel(Network network, ModelMetadata metadata, String producerVersion) {
        OnnxGraph g = new OnnxGraph("relume");
        g.input(INPUT, -1, network.inputSize());
        OnnxValue x = OnnxValue.flat(INPUT, network.inputSize());
        if (metadata.standardizesInputs()) {
            x = standardize(g, x, metadata);
        }
        OnnxValue y = network.isChain() ? chain(g, x, network.layers()) : OnnxStages.apply(g, x, network);
        outputs(g, y.asFlat(g).name(), network.outputSize(), metadata);
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("relume")
                .setProducerVersion(producerVersion).setGraph(g.build())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setDocString("Relume " + network.architecture() + " (" + network.structure() + "), task "
                        + metadata.task().id());
        m.addMetadataProps(entry(TASK_KEY, metadata.task().id()));
        m.addMetadataProps(entry(CLASS_NAMES_KEY, compactJson(metadata.classLabels())));
        m.addMetadataProps(entry(FEATURE_NAMES_KEY, compactJson(metadata.featureNames())));
        return m.build();
    }

    /** Writes {@link #toModel} to {@code file} atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Network network, ModelMetadata metadata, String producerVersion) throws IOException {
        byte[] bytes = toModel(network, metadata, producerVersion).toByteArray();
        AtomicFiles.writeBytes(file, bytes);
    }

    private static OnnxValue standardize(OnnxGraph g, OnnxValue x, ModelMetadata m) {
        int d = x.features();
        String centred = g.node("Sub", "standardize.centred", List.of(x.name(), g.floats("standardize.mean", m.inputMean(), d)));
        return OnnxValue.flat(g.node("Div", "standardize.scaled", List.of(centred, g.floats("standardize.std", m.inputStd(), d))),
                d);
    }

    /** A chain: layer i reads layer i-1. */
    static OnnxValue chain(OnnxGraph g, OnnxValue x, List<Layer> layers) {
        OnnxValue h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = OnnxLayers.apply(g, h, layers.get(i), "layers." + i);
        }
        return h;
    }

    private static void outputs(OnnxGraph g, String z, int outputs, ModelMetadata m) {
        Task task = m.task();
        if (!task.isClassification()) {
            g.output(OUTPUT, z, -1, outputs);
            return;
        }
        g.output(LOGITS, z, -1, outputs);
        if (task == Task.BINARY) {
            String one = g.node("Sigmoid", "p1", List.of(LOGITS));
            String zero = g.node("Sub", "p0", List.of(g.floats("one", new float[] {1f}, 1), one));
            g.output(PROBABILITIES, g.node("Concat", "p", List.of(zero, one), OnnxGraph.attribute("axis", 1L)), -1, 2);
        } else {
            g.output(PROBABILITIES, g.node("Softmax", "p", List.of(LOGITS), OnnxGraph.attribute("axis", 1L)), -1, m.classes());
        }
    }

    /** A JSON array on one line, as metadata values are read by people in model viewers too. */
    static String compactJson(List<String> values) {
        try {
            return Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
