package org.relume.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.relume.blocks.DenseNets;
import org.relume.blocks.ResidualNets;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.data.Standardizer;
import org.relume.data.Task;
import org.relume.evaluate.ClassProbabilities;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Dense;
import org.relume.nn.GlobalPool;
import org.relume.nn.Initializer;
import org.relume.nn.Layer;
import org.relume.nn.LayerStage;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.nn.Pool2d;
import org.relume.nn.Stage;
import org.relume.nn.StageStates;
import org.relume.onnx.proto.Onnx.ModelProto;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * Exported models run in ONNX Runtime and give Relume's own outputs to 1e-5: the network on the
 * standardized inputs, and the class probabilities {@code predict} prints.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void multiclassClassifierWithStandardization() throws Exception {
        Network net = Mlp.builder().inputs(4).hidden(8, 6).outputs(3).activation(Activations.relu())
                .init(Initializer.KAIMING_UNIFORM).seed(3).build();
        ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", new float[] {5.8f, 3.0f, 3.7f, 1.2f},
                new float[] {0.8f, 0.4f, 1.7f, 0.7f}, List.of("a", "b", "c", "d"), Map.of(), List.of("x", "y", "z"));
        Tensor raw = uniform(50, 4, 5f, 1);
        Map<String, float[][]> onnx = check(net, meta, raw);
        assertEquals(List.of(OnnxExport.LOGITS, OnnxExport.PROBABILITIES), List.copyOf(onnx.keySet()));
    }

    @Test
    void binaryClassifierWithEveryActivation() throws Exception {
        for (String f : Activations.NAMES) {
            Network net = Mlp.builder().inputs(2).hidden(5, 5).outputs(1).activation(Activations.byName(f))
                    .init(Initializer.GLOROT_UNIFORM).seed(7).build();
            ModelMetadata meta = new ModelMetadata(Task.BINARY, 2, "bce", null, null, List.of(), Map.of(), List.of("0", "1"));
            check(net, meta, uniform(40, 2, 3f, 2));
        }
        Network leaky = Mlp.builder().inputs(2).hidden(4).outputs(1)
                .activation(Activations.byName("leaky_relu", Map.of("negative_slope", 0.2f))).seed(1).build();
        check(leaky, new ModelMetadata(Task.BINARY, 2, "bce", null, null, List.of(), Map.of()), uniform(30, 2, 3f, 5));
    }

    @Test
    void regressorWithStandardization() throws Exception {
        Network net = Mlp.builder().inputs(3).hidden(6, 6, 6).outputs(2).activation(Activations.byName("tanh")).seed(5)
                .build();
        ModelMetadata meta = new ModelMetadata(Task.REGRESSION, 0, "mse", new float[] {10f, -2f, 0.5f},
                new float[] {3f, 0.25f, 2f}, List.of(), Map.of());
        Map<String, float[][]> onnx = check(net, meta, uniform(30, 3, 12f, 3));
        assertEquals(List.of(OnnxExport.OUTPUT), List.copyOf(onnx.keySet()));
    }

    @Test
    void cnnWithBatchNormPoolingAndGlobalHead() throws Exception {
        Network net = Cnn.build(2, 12, 10, new int[] {3, 4, 4}, 3, 5, Activations.relu(), Initializer.KAIMING_UNIFORM, 11,
                new Cnn.Options(GlobalPool.Mode.AVG_MAX, true, Pool2d.Mode.MAX, 1));
        perturbBatchNorm(net, 4);
        ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 5, "softmax_ce", null, null, List.of(), Map.of());
        check(net, meta, uniform(12, 2 * 12 * 10, 1f, 4));
    }

    @Test
    void cnnWithAveragePoolingAndFlattenedHead() throws Exception {
        Network net = Cnn.build(1, 7, 7, new int[] {3, 2}, 3, 4, Activations.byName("elu"), Initializer.KAIMING_UNIFORM, 12,
                new Cnn.Options(null, false, Pool2d.Mode.AVG, 1));
        ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 4, "softmax_ce", null, null, List.of(), Map.of());
        check(net, meta, uniform(10, 49, 1f, 6));
    }

    @Test
    void everyDenseStructure() throws Exception {
        for (Structure s : Structure.values()) {
            boolean learnable = s.hasCoefficients();
            Network net = Structures.forTask(s, new Structures.Options(Double.NaN, learnable), 2, 5, 5, 3,
                    Activations.relu(), Initializer.KAIMING_UNIFORM, 21);
            ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of(), Map.of());
            check(net, meta, uniform(20, 2, 2f, 8));
        }
    }

    @Test
    void convolutionalResNetAndHbNet() throws Exception {
        for (ResidualNets.Kind kind : ResidualNets.Kind.values()) {
            Network net = ResidualNets.build(kind, new int[] {3, 8, 8}, 2, 4, 10, false, Initializer.KAIMING_UNIFORM, 13);
            perturbBatchNorm(net, 9);
            ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 10, "softmax_ce", null, null, List.of(), Map.of());
            check(net, meta, uniform(6, 3 * 8 * 8, 1f, 10));
        }
    }

    @Test
    void denseNetAndAgdNet() throws Exception {
        for (DenseNets.Kind kind : DenseNets.Kind.values()) {
            Network net = DenseNets.build(kind, new int[] {3, 8, 8}, 10, 3, 4, 10, Initializer.KAIMING_UNIFORM, 17);
            perturbBatchNorm(net, 11);
            net.namedParameters().forEach((name, v) -> {
                if (name.startsWith("stages.")) {
                    v.value().data()[0] -= 0.375f;
                }
            });
            ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 10, "softmax_ce", null, null, List.of(), Map.of());
            check(net, meta, uniform(6, 3 * 8 * 8, 1f, 12));
        }
    }

    @Test
    void metadataNamesTheClassesAndTheOpset() {
        Network net = Mlp.builder().inputs(2).hidden(3).outputs(3).seed(1).build();
        ModelMetadata meta = new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of("u", "v"), Map.of(),
                List.of("setosa", "versicolor", "virginica"));
        ModelProto m = OnnxExport.toModel(net, meta, "test");
        assertEquals(OnnxExport.OPSET, m.getOpsetImport(0).getVersion());
        assertEquals(OnnxExport.IR_VERSION, m.getIrVersion());
        assertTrue(m.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals(OnnxExport.CLASS_NAMES_KEY)
                && e.getValue().equals("[\"setosa\",\"versicolor\",\"virginica\"]")), m.getMetadataPropsList().toString());
    }

    @Test
    void aStageWithoutOnnxFormIsRefusedInOneLine() {
        Dense first = Dense.create(2, 3, Activations.relu(), true, Initializer.GLOROT_UNIFORM, new SplittableRandom(1));
        Dense last = Dense.create(3, 1, Activations.byName("identity"), true, Initializer.GLOROT_UNIFORM, new SplittableRandom(2));
        Network net = Network.ofStages(List.of(new LayerStage(first), new UnknownStage(new LayerStage(last))));
        ModelMetadata meta = new ModelMetadata(Task.REGRESSION, 0, "mse", null, null, List.of(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toModel(net, meta, "test"));
        assertTrue(e.getMessage().startsWith("ONNX export: the unknown stage") && !e.getMessage().contains("\n"),
                e.getMessage());
    }

    /** A stage type the exporter has never heard of (it computes what the stage it wraps computes). */
    private record UnknownStage(LayerStage inner) implements Stage {
        @Override public String type() { return "unknown"; }
        @Override public int position() { return 0; }
        @Override public List<Layer> layers() { return inner.layers(); }
        @Override public List<Var> coefficients() { return List.of(); }
        @Override public int inputSize() { return inner.inputSize(); }
        @Override public int outputSize() { return inner.outputSize(); }
        @Override public Var forward(Tape tape, StageStates states, LayerRunner run) { return inner.forward(tape, states, run); }
        @Override public Map<String, Object> config() { return Map.of("type", type()); }
        @Override public Stage copy(List<Layer> copiedLayers) { return this; }
    }

    /** Exports, runs in ONNX Runtime and compares every output with Relume's; returns ONNX Runtime's outputs. */
    static Map<String, float[][]> check(Network net, ModelMetadata meta, Tensor raw) throws Exception {
        Map<String, float[][]> onnx = OnnxRuntimeCheck.run(OnnxExport.toModel(net, meta, "test").toByteArray(), raw);
        Tensor x = meta.standardizesInputs() ? Standardizer.of(meta.inputMean(), meta.inputStd()).apply(raw) : raw;
        Tensor z = net.predict(x);
        String what = net.architecture() + " " + net.structure();
        if (!meta.task().isClassification()) {
            assertClose(z.data(), onnx.get(OnnxExport.OUTPUT), what);
            return onnx;
        }
        assertClose(z.data(), onnx.get(OnnxExport.LOGITS), what + " logits");
        ClassProbabilities p = ClassProbabilities.of(z, meta.task());
        float[] probabilities = new float[p.probabilities().length];
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] = (float) p.probabilities()[i];
        }
        assertClose(probabilities, onnx.get(OnnxExport.PROBABILITIES), what + " probabilities");
        return onnx;
    }

    static void assertClose(float[] expected, float[][] actual, String what) {
        int k = actual[0].length;
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < k; j++) {
                worst = Math.max(worst, Math.abs(expected[i * k + j] - actual[i][j]));
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": ONNX Runtime differs from Relume by " + worst);
        assertEquals(expected.length, actual.length * k, what + ": output size");
    }

    static Tensor uniform(int n, int d, float scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return Tensor.wrap(v, n, d);
    }

    /** Running statistics and scale/shift away from the identity, so that a wrong formula shows. */
    static void perturbBatchNorm(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        net.namedBuffers().forEach((name, t) -> {
            for (int i = 0; i < t.numel(); i++) {
                t.data()[i] = (float) (name.endsWith("running_var") ? 0.5 + r.nextDouble() : r.nextDouble() - 0.5);
            }
        });
        net.namedParameters().forEach((name, v) -> {
            if (name.contains(".bn.")) {
                for (int i = 0; i < v.value().numel(); i++) {
                    v.value().data()[i] += (float) (r.nextDouble() - 0.5);
                }
            }
        });
    }
}
