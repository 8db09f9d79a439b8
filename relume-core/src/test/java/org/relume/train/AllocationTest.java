package org.relume.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.relume.blocks.Structure;
import org.relume.blocks.Structures;
import org.relume.data.Batch;
import org.relume.data.Batcher;
import org.relume.data.Dataset;
import org.relume.jumpstart.Aggregation;
import org.relume.jumpstart.Jumpstart;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Cnn;
import org.relume.nn.Pool2d;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.Tensor;

/**
 * A warm training step (forward, loss, backward, Adam) allocates nothing, for plain MLPs, for a
 * structured network with learnable coefficients under the jumpstart penalty, and for a thin CNN: the tape reuses its
 * buffers by position. Measured with the JVM's per-thread allocation counter.
 */
class AllocationTest {

    @Test
    void warmTrainingStepsAllocateNothing() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        Assumptions.assumeTrue(bean.isThreadAllocatedMemorySupported());
        bean.setThreadAllocatedMemoryEnabled(true);

        // Both relu variants run in this JVM, as when GradMax (relu'(0) = 1) and ordinary layers mix:
        // a kernel that then loses its Vector API intrinsic would allocate on every step.
        Network other = Mlp.of(2, 3, 30, 1, Activations.byName("relu", java.util.Map.of("grad_at_zero", 1)),
                Initializer.GLOROT_UNIFORM, 2);
        Network net = Mlp.of(2, 3, 30, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 1);
        // A structured network too: its stages keep their state arrays and sums between steps.
        Network structured = Structures.forTask(Structure.AGD2, new Structures.Options(Double.NaN, true), 2, 3, 12, 1,
                Activations.relu(), Initializer.GLOROT_UNIFORM, 3);
        float[] x = new float[170];
        int[] y = new int[85];
        for (int i = 0; i < 170; i++) {
            x[i] = (float) Math.sin(i);
        }
        for (int i = 0; i < 85; i++) {
            y[i] = i % 2;
        }
        // And thin CNNs on 4x4 single-channel images, under jumpstart: plain, and with batch norm
        // (running statistics updated in place) and 2x2 max pooling after each convolution.
        Network plainCnn = Cnn.build(1, 4, 4, new int[] {3, 3}, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 4);
        Network cnn = Cnn.build(1, 4, 4, new int[] {3, 3}, 3, 1, Activations.relu(), Initializer.GLOROT_UNIFORM, 4,
                new Cnn.Options(null, true, Pool2d.Mode.MAX, 1));
        float[] images = new float[85 * 16];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.cos(i);
        }
        Batcher imageBatcher = new Batcher(Dataset.classification("images", Tensor.wrap(images, 85, 16), y, 2), 0, false, 1);
        imageBatcher.startEpoch();
        Batch imageBatch = imageBatcher.batch(0);
        TrainingStep convStep = stepOf(cnn, List.of(new Jumpstart(Aggregation.L1, 1e-4, false)));
        TrainingStep plainConvStep = stepOf(plainCnn, List.of(new Jumpstart(Aggregation.L1, 1e-4, false)));
        Batcher batcher = new Batcher(Dataset.classification("sines", Tensor.wrap(x, 85, 2), y, 2), 0, false, 1);
        batcher.startEpoch();
        Batch batch = batcher.batch(0);
        Jumpstart jumpstart = new Jumpstart(Aggregation.L1, 1e-4, false);
        TrainingStep mixed = stepOf(other, List.of());
        TrainingStep step = stepOf(net, List.of());
        TrainingStep penalized = stepOf(structured, List.of(jumpstart));
        for (int i = 0; i < 8000; i++) {
            mixed.run(batch);
            step.run(batch); // warm up buffers and the JIT
            penalized.run(batch);
            convStep.run(imageBatch);
            plainConvStep.run(imageBatch);
        }
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            step.run(batch);
            mixed.run(batch);
            penalized.run(batch);
            convStep.run(imageBatch);
            plainConvStep.run(imageBatch);
        }
        long perStep = (bean.getThreadAllocatedBytes(tid) - before) / 5000;
        // 60 affine + pointwise ops would allocate several KB per step if buffers were not reused.
        assertTrue(perStep < 64, "a warm step allocated " + perStep + " bytes");
    }

    private static TrainingStep stepOf(Network net, List<Regularizer> regularizers) {
        return new TrainingStep(net, Loss.BINARY_CROSS_ENTROPY, regularizers, new Adam(0.01), null);
    }
}
