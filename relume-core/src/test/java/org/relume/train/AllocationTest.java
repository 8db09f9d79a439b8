package org.relume.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Adam;
import org.relume.tensor.LossOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * A warm training step (forward, loss, backward, Adam) allocates nothing: the tape reuses its
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
        Tensor x = Tensor.zeros(2, 85);
        Tensor y = Tensor.zeros(1, 85);
        for (int i = 0; i < 170; i++) {
            x.data()[i] = (float) Math.sin(i);
        }
        for (int i = 0; i < 85; i++) {
            y.data()[i] = i % 2;
        }
        Var input = Var.constant(x);
        Runnable mixed = stepOf(other, input, y);
        Runnable step = stepOf(net, input, y);
        for (int i = 0; i < 2000; i++) {
            mixed.run();
            step.run(); // warm up buffers and the JIT
        }
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            step.run();
            mixed.run();
        }
        long perStep = (bean.getThreadAllocatedBytes(tid) - before) / 2000;
        // 60 affine + pointwise ops would allocate several KB per step if buffers were not reused.
        assertTrue(perStep < 64, "a warm step allocated " + perStep + " bytes");
    }

    private static Runnable stepOf(Network net, Var input, Tensor y) {
        List<Var> params = net.parameters();
        Adam adam = new Adam(0.01);
        Tape tape = new Tape();
        return () -> {
            tape.reset();
            Var out = net.forward(tape, input, null);
            Var loss = LossOps.bceWithLogits(tape, out, y);
            for (Var p : params) {
                p.zeroGrad();
            }
            tape.backward(loss);
            adam.step(params);
        };
    }
}
