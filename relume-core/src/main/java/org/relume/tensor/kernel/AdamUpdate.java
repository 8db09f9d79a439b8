package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One Adam update of a parameter array (Kingma &amp; Ba 2015, Algorithm 1, in PyTorch's form),
 * vectorized, in exactly the scalar operation order:
 * g' = g + wd w, m = b1 m + (1 - b1) g', v = b2 v + ((1 - b2) g') g',
 * w = w - (step m) / (sqrt(v) / sqrt(1 - b2^t) + eps).
 *
 * <p>One departure, for speed: a gradient below {@link #TINY_FOR_SECOND_MOMENT} adds nothing to v.
 * Its term (1 - b2) g^2 would be below 1e-37 and g^2 itself subnormal or
 * near it, and in a deep thin net a
 * tenth of the gradients are that small: each vector holding one such lane took a microcode assist,
 * and the update ran ten times slower per weight. The dropped terms sum to at most
 * 1e-37 / (1 - b2) = 1e-34 in v, which moves sqrt(v / (1 - b2^t)) by at most 3.2e-16, less than half
 * of float's spacing at eps = 1e-8 (4.4e-16). The bound holds for eps &gt;= 1e-8 and b2 &lt;= 0.999;
 * {@code optim.Adam} passes 0 (no bound) otherwise.
 */
public final class AdamUpdate {
    private AdamUpdate() {}

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = S.length();

    /** Gradients smaller than this in magnitude leave the second moment unchanged but for its decay. */
    public static final float TINY_FOR_SECOND_MOMENT = 1e-17f;

    /**
     * Updates w, m and v in place over [0, n); g: not modified. The remaining arguments are the
     * step's constants: step = lr / (1 - b1^t), invSqrtC2 = 1 / sqrt(1 - b2^t); gradients below
     * {@code tiny} leave v to its decay ({@link #TINY_FOR_SECOND_MOMENT}, or 0 for none).
     */
    public static void apply(float[] w, float[] g, float[] m, float[] v, int n, float step, float invSqrtC2,
                             float b1, float b2, float ob1, float ob2, float eps, float wd, float tiny) {
        int threads = n >= PARALLEL_THRESHOLD ? Parallelism.threadsAvailable() : 1;
        if (threads <= 1) {
            range(w, g, m, v, 0, n, step, invSqrtC2, b1, b2, ob1, ob2, eps, wd, tiny);
            return;
        }
        // Every element is updated on its own, so splitting cannot change a result.
        int chunks = (n + L - 1) / L;
        Parallelism.forEachPart(threads, part -> {
            int from = (int) Math.min(n, (long) chunks * part / threads * L);
            int to = (int) Math.min(n, (long) chunks * (part + 1) / threads * L);
            range(w, g, m, v, from, to, step, invSqrtC2, b1, b2, ob1, ob2, eps, wd, tiny);
        });
    }

    /**
     * Above this many weights the update is split over cores: the medium MLP's 1.2 million weights
     * stream 24 MB per step, about half a millisecond on one core.
     */
    static final int PARALLEL_THRESHOLD = 1 << 16;

    private static void range(float[] w, float[] g, float[] m, float[] v, int from, int n, float step,
                              float invSqrtC2, float b1, float b2, float ob1, float ob2, float eps, float wd,
                              float tiny) {
        int i = from;
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vb2 = FloatVector.broadcast(S, b2);
        FloatVector vob1 = FloatVector.broadcast(S, ob1);
        FloatVector vob2 = FloatVector.broadcast(S, ob2);
        FloatVector vstep = FloatVector.broadcast(S, step);
        FloatVector vc2 = FloatVector.broadcast(S, invSqrtC2);
        FloatVector veps = FloatVector.broadcast(S, eps);
        FloatVector vwd = FloatVector.broadcast(S, wd);
        FloatVector zero = FloatVector.zero(S);
        for (int bound = from + S.loopBound(n - from); i < bound; i += L) {
            FloatVector wi = FloatVector.fromArray(S, w, i);
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vwd.mul(wi));
            FloatVector mi = vb1.mul(FloatVector.fromArray(S, m, i)).add(vob1.mul(gi));
            VectorMask<Float> small = gi.abs().compare(VectorOperators.LT, tiny);
            FloatVector gv = gi.blend(zero, small);
            FloatVector si = vb2.mul(FloatVector.fromArray(S, v, i)).add(vob2.mul(gv).mul(gv));
            mi.intoArray(m, i);
            si.intoArray(v, i);
            FloatVector denom = si.lanewise(VectorOperators.SQRT).mul(vc2).add(veps);
            wi.sub(vstep.mul(mi).div(denom)).intoArray(w, i);
        }
        for (; i < n; i++) {
            float gi = g[i] + wd * w[i];
            float mi = b1 * m[i] + ob1 * gi;
            float gv = Math.abs(gi) < tiny ? 0f : gi;
            float si = b2 * v[i] + ob2 * gv * gv;
            m[i] = mi;
            v[i] = si;
            w[i] -= step * mi / ((float) Math.sqrt(si) * invSqrtC2 + eps);
        }
    }
}
