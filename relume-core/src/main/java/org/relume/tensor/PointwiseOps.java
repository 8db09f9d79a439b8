package org.relume.tensor;

import org.relume.tensor.kernel.Parallelism;
import org.relume.tensor.kernel.PointwiseFunction;

/** An elementwise function on the tape: y = f(x), dx = dy * f'(x). */
public final class PointwiseOps {
    private PointwiseOps() {}

    public static Var apply(Tape tape, Var x, PointwiseFunction f) {
        Tensor xv = x.value();
        boolean grad = tape.needsGrad(x);
        Var ready = tape.takePrepared(x, f);
        if (ready != null) {
            if (grad) {
                tape.record(POINTWISE, ready, x, null, null).aux = f;
            }
            return ready;
        }
        Var y = tape.allocLike(xv, grad);
        float[] xd = xv.data();
        float[] yd = y.value().data();
        int n = xv.numel();
        int threads = threadsFor(n);
        if (threads <= 1) {
            f.forward(xd, yd, 0, n);
        } else {
            split(n, threads, (from, to) -> f.forward(xd, yd, from, to));
        }
        if (grad) {
            tape.record(POINTWISE, y, x, null, null).aux = f;
        }
        return y;
    }

    /**
     * Above this many elements an elementwise pass is split over cores. A convolution's activations
     * (4 channels x 28 x 28 x batch 128 = 400,000 floats) stream from the last-level cache, and its
     * relu passes took a fifth of a thin CNN's step on one core.
     */
    static final int PARALLEL_THRESHOLD = 1 << 17;

    private interface Range {
        void run(int from, int to);
    }

    /**
     * The threads for a pass over n elements. Callers run an unsplit pass directly rather than
     * through a lambda: a capturing lambda costs an allocation per call wherever C2 does not
     * inline the split, and after a long mixed run in one JVM it often did not (64 bytes a layer).
     */
    private static int threadsFor(int n) {
        return n >= PARALLEL_THRESHOLD ? Parallelism.threadsAvailable() : 1;
    }

    private static void split(int n, int threads, Range body) {
        // Cut at multiples of 64 so every part but the last runs whole vectors.
        int chunks = (n + 63) / 64;
        Parallelism.forEachPart(threads, part -> body.run(
                (int) Math.min(n, (long) chunks * part / threads * 64),
                (int) Math.min(n, (long) chunks * (part + 1) / threads * 64)));
    }

    private static final Op POINTWISE = new Op() {
        @Override public String name() { return "pointwise"; }

        @Override public void backward(Node n) {
            if (!n.in0.requiresGrad()) {
                return;
            }
            PointwiseFunction f = (PointwiseFunction) n.aux;
            boolean acc = n.in0.beginGradWrite();
            Tensor x = n.in0.value();
            float[] xd = x.data();
            float[] yd = n.out.value().data();
            float[] dy = n.out.grad().data();
            float[] dx = n.in0.grad().data();
            int count = x.numel();
            int threads = threadsFor(count);
            if (threads <= 1) {
                f.backward(xd, yd, dy, dx, 0, count, acc);
            } else {
                split(count, threads, (from, to) -> f.backward(xd, yd, dy, dx, from, to, acc));
            }
        }
    };
}
