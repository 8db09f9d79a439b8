package org.relume.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Task;
import org.relume.io.ModelFiles.SavedModel;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.onnx.proto.Onnx.GraphProto;
import org.relume.onnx.proto.Onnx.ModelProto;
import org.relume.onnx.proto.Onnx.NodeProto;
import org.relume.onnx.proto.Onnx.OperatorSetIdProto;
import org.relume.onnx.proto.Onnx.TensorProto;
import org.relume.onnx.proto.Onnx.ValueInfoProto;
import org.relume.tensor.Tensor;

/** Export, then import: the same layers, standardization and classes, so the same predictions, bit for bit. */
class OnnxImportTest {

    @Test
    void exportedModelsComeBackIdentical(@TempDir Path tmp) throws Exception {
        for (String f : Activations.NAMES) {
            Network net = Mlp.builder().inputs(3).hidden(4, 5).outputs(3).activation(Activations.byName(f))
                    .init(Initializer.KAIMING_UNIFORM).seed(9).build();
            ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", new float[] {1f, 2f, 3f},
                    new float[] {0.5f, 2f, 4f}, List.of("p", "q", "r"), Map.of(), List.of("cat", "dog", "eel"));
            roundTrip(tmp.resolve(f + ".onnx"), net, meta);
        }
        Network binary = Mlp.builder().inputs(2).hidden(3).outputs(1).bias(false).seed(2).build();
        roundTrip(tmp.resolve("binary.onnx"), binary, new ModelMetadata(Task.BINARY, 2, "bce", null, null, List.of(), Map.of()));
        Network regression = Mlp.builder().inputs(2).hidden(6, 6).outputs(2).seed(4).build();
        roundTrip(tmp.resolve("regression.onnx"), regression,
                new ModelMetadata(Task.REGRESSION, 0, "mse", new float[] {0f, 1f}, new float[] {1f, 3f}, List.of(), Map.of()));
    }

    private static void roundTrip(Path file, Network net, ModelMetadata meta) throws Exception {
        OnnxExport.write(file, net, meta, "test");
        SavedModel back = OnnxImport.read(file);
        assertEquals(net.architecture(), back.network().architecture());
        for (int i = 0; i < net.layerCount(); i++) {
            assertEquals(net.layer(i).config(), back.network().layer(i).config(), "layer " + i);
        }
        ModelMetadata m = back.metadata();
        assertEquals(meta.task(), m.task());
        assertEquals(meta.classLabels(), m.classLabels());
        assertEquals(meta.featureNames(), m.featureNames());
        assertArrayEquals(meta.inputMean(), m.inputMean());
        assertArrayEquals(meta.inputStd(), m.inputStd());
        Tensor x = OnnxExportTest.uniform(25, net.inputSize(), 3f, 1);
        assertArrayEquals(Arrays.copyOf(net.predict(x).data(), 25 * net.outputSize()),
                Arrays.copyOf(back.network().predict(x).data(), 25 * net.outputSize()), file.getFileName().toString());
    }

    /** A graph as other tools write it: MatMul by [in, out] and Add, float_data, a Softmax at the end, no metadata. */
    @Test
    void readsMatMulAddGraphsOfOtherProducers(@TempDir Path tmp) throws Exception {
        float[] w0 = {1f, -2f, 0.5f, 3f, -1f, 2f};   // [2, 3]
        float[] b0 = {0.1f, -0.2f, 0.3f};
        float[] w1 = {1f, 0f, -1f, 2f, 0.5f, -0.5f}; // [3, 2]
        GraphProto.Builder g = GraphProto.newBuilder().setName("torch")
                .addInput(ValueInfoProto.newBuilder().setName("x"))
                .addOutput(ValueInfoProto.newBuilder().setName("probs"))
                .addInitializer(tensor("w0", w0, 2, 3)).addInitializer(tensor("b0", b0, 3)).addInitializer(tensor("w1", w1, 3, 2))
                .addNode(node("MatMul", List.of("x", "w0"), "m0")).addNode(node("Add", List.of("m0", "b0"), "a0"))
                .addNode(node("Relu", List.of("a0"), "h0")).addNode(node("MatMul", List.of("h0", "w1"), "z"))
                .addNode(node("Softmax", List.of("z"), "probs"));
        Path file = tmp.resolve("torch.onnx");
        Files.write(file, ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).build().toByteArray());
        SavedModel m = OnnxImport.read(file);
        assertEquals("2-3-2", m.network().architecture());
        assertEquals(Task.MULTICLASS, m.metadata().task());
        Tensor x = Tensor.wrap(new float[] {1f, 2f}, 1, 2);
        // h = relu(x W0 + b0) = relu(1 + 6 + 0.1, -2 - 2 - 0.2, 0.5 + 4 + 0.3) = (7.1, 0, 4.8); z = h W1.
        float[] z = m.network().predict(x).data();
        assertEquals(7.1f * 1f + 4.8f * 0.5f, z[0], 1e-5);
        assertEquals(7.1f * 0f + 4.8f * -0.5f, z[1], 1e-5);
    }

    @Test
    void aConvolutionalGraphIsRefusedInOneLineNamingTheNode(@TempDir Path tmp) throws Exception {
        Network cnn = Cnn.build(1, 4, 4, new int[] {2}, 3, 2, Activations.relu(), Initializer.KAIMING_UNIFORM, 1);
        Path file = tmp.resolve("cnn.onnx");
        OnnxExport.write(file, cnn, new ModelMetadata(Task.MULTICLASS, 2, "softmax_ce", null, null, List.of(), Map.of()), "t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxImport.read(file));
        assertTrue(e.getMessage().contains("(Reshape): not part of a plain MLP") && !e.getMessage().contains("\n"),
                e.getMessage());
        Path junk = tmp.resolve("junk.onnx");
        Files.writeString(junk, "this is not protobuf\u0000\u00ff");
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class, () -> OnnxImport.read(junk));
        assertTrue(j.getMessage().startsWith(junk + ": not an ONNX model"), j.getMessage());
    }

    private static TensorProto tensor(String name, float[] v, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float f : v) {
            t.addFloatData(f);
        }
        return t.build();
    }

    private static NodeProto node(String op, List<String> in, String out) {
        return NodeProto.newBuilder().setOpType(op).addAllInput(in).addOutput(out).build();
    }
}
