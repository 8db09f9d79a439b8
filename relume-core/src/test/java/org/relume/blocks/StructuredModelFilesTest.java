package org.relume.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.data.Task;
import org.relume.io.ModelFiles;
import org.relume.io.ModelFormatException;
import org.relume.io.ModelMetadata;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Network;
import org.relume.tensor.Tensor;

/** Structured networks survive a save and load: same stages, same coefficients, same predictions. */
class StructuredModelFilesTest {
    @TempDir
    Path dir;

    private static final ModelMetadata META = new ModelMetadata(Task.REGRESSION, 0, "mse", null, null,
            List.of("a", "b"), Map.of());

    @Test
    void everyStructureRoundTrips() throws IOException {
        Tensor x = inputs();
        int i = 0;
        for (Structure s : Structure.values()) {
            for (boolean learnable : new boolean[] {false, true}) {
                if (learnable && !s.hasCoefficients()) {
                    continue;
                }
                Network net = Structures.forTask(s, new Structures.Options(Double.NaN, learnable), 2, 4, 5, 1,
                        Activations.byName("sigmoid"), Initializer.GLOROT_UNIFORM, i);
                if (learnable) {
                    // Move the coefficients off their initial values so the file must carry them.
                    net.namedParameters().forEach((name, v) -> {
                        if (name.startsWith("stages.")) {
                            v.value().data()[0] += 0.25f;
                        }
                    });
                }
                Path d = dir.resolve("m" + i++);
                ModelFiles.save(d, net, META);
                Network loaded = ModelFiles.load(d).network();
                String what = s.id() + (learnable ? " learnable" : "");
                assertEquals(net.structure(), loaded.structure(), what);
                assertEquals(net.namedParameters().keySet(), loaded.namedParameters().keySet(), what);
                assertTrue(net.predict(x).identical(loaded.predict(x)), what + ": predictions differ");
            }
        }
    }

    /** ResNet and HB-Net: residual stages with and without projections, batch norm's running statistics. */
    @Test
    void residualNetsRoundTrip() throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        Tensor images = Tensor.zeros(6, 64);
        for (int i = 0; i < images.numel(); i++) {
            images.data()[i] = (float) r.nextGaussian();
        }
        for (ResidualNets.Kind kind : ResidualNets.Kind.values()) {
            Network net = ResidualNets.build(kind, new int[] {1, 8, 8}, 2, 3, 3, true, Initializer.KAIMING_UNIFORM, 2);
            // Training-mode passes move the running statistics; the learnable shortcut weights move by hand.
            for (int step = 0; step < 2; step++) {
                net.forward(new org.relume.tensor.Tape(), org.relume.tensor.Var.constant(images.transpose()), null);
            }
            net.namedParameters().forEach((name, v) -> {
                if (name.startsWith("stages.")) {
                    v.value().data()[1] -= 0.125f;
                }
            });
            Path d = dir.resolve(kind.id());
            ModelFiles.save(d, net, new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of(), Map.of()));
            Network loaded = ModelFiles.load(d).network();
            assertEquals("residual", loaded.structure());
            assertEquals(net.namedParameters().keySet(), loaded.namedParameters().keySet());
            assertEquals(net.namedBuffers().keySet(), loaded.namedBuffers().keySet());
            assertTrue(net.predict(images).identical(loaded.predict(images)), kind + ": predictions differ");
        }
    }

    /** DenseNet and AGD-Net: batch-norm layers of their own, concatenated states, learned alphas. */
    @Test
    void denseNetsRoundTrip() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        Tensor images = Tensor.zeros(5, 2 * 64);
        for (int i = 0; i < images.numel(); i++) {
            images.data()[i] = (float) r.nextGaussian();
        }
        for (DenseNets.Kind kind : DenseNets.Kind.values()) {
            Network net = DenseNets.build(kind, new int[] {2, 8, 8}, 10, 3, 4, 3, Initializer.KAIMING_UNIFORM, 3);
            for (int step = 0; step < 2; step++) {
                net.forward(new org.relume.tensor.Tape(), org.relume.tensor.Var.constant(images.transpose()), null);
            }
            net.namedParameters().forEach((name, v) -> {
                if (name.startsWith("stages.")) {
                    v.value().data()[0] -= 0.25f;
                }
            });
            Path d = dir.resolve(kind.id());
            ModelFiles.save(d, net, new ModelMetadata(Task.MULTICLASS, 3, "softmax_ce", null, null, List.of(), Map.of()));
            Network loaded = ModelFiles.load(d).network();
            assertEquals(kind == DenseNets.Kind.AGDNET ? "agdnet" : "dense", loaded.structure());
            assertEquals(net.namedParameters().keySet(), loaded.namedParameters().keySet());
            assertEquals(net.namedBuffers().keySet(), loaded.namedBuffers().keySet());
            assertTrue(net.predict(images).identical(loaded.predict(images)), kind + ": predictions differ");
        }
    }

    @Test
    void aStageListThatDisagreesWithTheLayersIsRefused() throws IOException {
        Network net = Structures.forTask(Structure.HB, Structures.Options.DEFAULTS, 2, 4, 3, 1,
                Activations.byName("relu"), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, META);
        Path json = dir.resolve(ModelFiles.ARCHITECTURE);
        String text = Files.readString(json);
        Files.writeString(json, text.replaceFirst("\"type\" ?: ?\"hb\"", "\"type\":\"admm\""));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("stages[1].layers must be 2"), e.getMessage());
    }

    /** A stage position edited by hand (found by a hostile test): a block must run 0, 1, 2, ... of one structure. */
    @Test
    void stagePositionsOutOfSequenceAreRefused() throws IOException {
        Network net = Structures.forTask(Structure.HB, Structures.Options.DEFAULTS, 2, 3, 3, 1,
                Activations.byName("relu"), Initializer.GLOROT_UNIFORM, 1);
        ModelFiles.save(dir, net, META);
        Path json = dir.resolve(ModelFiles.ARCHITECTURE);
        String text = Files.readString(json);
        for (String position : new String[] {"1", "1099511627776"}) {
            Files.writeString(json, text.replaceFirst("\"position\" ?: ?0", "\"position\" : " + position));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(dir));
            assertTrue(e.getMessage().contains("stage"), e.getMessage());
        }
    }

    private static Tensor inputs() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return Tensor.wrap(x, 20, 2);
    }
}
