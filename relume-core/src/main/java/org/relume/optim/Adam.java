package org.relume.optim;

import java.util.List;
import java.util.Map;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.AdamUpdate;

/**
 * Adam (Kingma &amp; Ba 2015) in PyTorch's form (torch.optim.Adam): with t the step count,
 * g = grad + wd * w, m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * w = w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 *
 * <p>Keras, used by the jumpstart paper, adds its epsilon (default 1e-7) to sqrt(v) before the
 * bias correction; the difference only matters while sqrt(v) is comparable to eps.
 *
 * <p>Moments that decay into float's subnormal range make every following step an order of
 * magnitude slower: a dead unit's gradients are exactly zero, so its m shrinks by b1 and its v by b2
 * each step, and v takes about 16,000 steps to cross the subnormal range (a 97,000-weight step:
 * 36 us with live gradients, 510 us with zero ones). Every {@link #FLUSH_PERIOD} steps, m below
 * {@link #TINY_FIRST_MOMENT} and v below {@link #TINY_SECOND_MOMENT} are set to zero, before they
 * can get there (m needs 175 steps from its bound, v 9,000). Such a v adds at most
 * sqrt(1e-34 / (1 - b2)) = 3.2e-16 to a denominator of at least eps = 1e-8, less than half of
 * float's spacing there (4.4e-16); such an m moves a weight by at most
 * lr * 1e-30 / (eps * (1 - b1)) = lr * 1e-21 per step. The update itself is
 * {@link AdamUpdate}, which keeps gradients below 1e-17 out of v for the same reason.
 */
public final class Adam implements Optimizer {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;
    /** Steps between two sweeps for moments on their way to the subnormal range. */
    static final int FLUSH_PERIOD = 64;
    static final float TINY_FIRST_MOMENT = 1e-30f;
    static final float TINY_SECOND_MOMENT = 1e-34f;

    private double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final ParameterStates states = new ParameterStates(2);
    private long t;

    public Adam(double lr, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("adam needs lr >= 0, betas in [0, 1), eps > 0, weight decay >= 0; got lr="
                    + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + epsilon + ", weight decay=" + weightDecay);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    public Adam(double lr) {
        this(lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, 0);
    }

    @Override
    public void step(List<Var> params) {
        float[][][] st = states.align(params);
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / c1);
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float ob1 = (float) (1 - beta1);
        float ob2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float wd = (float) weightDecay;
        // The bounds below are argued for eps >= 1e-8 and b2 <= 0.999; with a smaller eps or a
        // larger b2 a dropped term could show in an update, so nothing is dropped.
        boolean boundsHold = epsilon >= 1e-8 && beta2 <= 0.999;
        for (int p = 0; p < params.size(); p++) {
            Var v = params.get(p);
            if (!v.hasGrad()) {
                continue;
            }
            float[] w = v.value().data();
            float[] g = v.grad().data();
            float[] m = st[p][0];
            float[] s = st[p][1];
            int n = v.value().numel();
            AdamUpdate.apply(w, g, m, s, n, stepSize, invSqrtC2, b1, b2, ob1, ob2, eps, wd,
                    boundsHold ? AdamUpdate.TINY_FOR_SECOND_MOMENT : 0f);
            if (boundsHold && t % FLUSH_PERIOD == 0) {
                flushTinyMoments(m, s, n);
            }
        }
    }

    static void flushTinyMoments(float[] m, float[] s, int n) {
        for (int i = 0; i < n; i++) {
            if (Math.abs(m[i]) < TINY_FIRST_MOMENT) {
                m[i] = 0f;
            }
            if (s[i] < TINY_SECOND_MOMENT) {
                s[i] = 0f;
            }
        }
    }

    /** Number of steps taken since construction or the last reset. */
    public long steps() {
        return t;
    }

    @Override public double learningRate() { return lr; }

    @Override public void setLearningRate(double lr) { this.lr = lr; }

    @Override
    public void reset() {
        states.clear();
        t = 0;
    }

    @Override
    public void forget(Var param) {
        states.remove(param);
    }

    @Override
    public void remapState(Var param, int[] sourceIndex) {
        states.remap(param, sourceIndex);
    }

    @Override
    public OptimizerState saveState(Map<String, Var> parameters) {
        return new OptimizerState("adam", t, states.export(parameters));
    }

    @Override
    public void loadState(OptimizerState state, Map<String, Var> parameters) {
        if (!"adam".equals(state.kind())) {
            throw new IllegalArgumentException("cannot load " + state.kind() + " state into adam");
        }
        states.load(state.buffers(), parameters, "adam");
        t = state.steps();
    }

    @Override
    public Adam copy() {
        return new Adam(lr, beta1, beta2, epsilon, weightDecay);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "adam");
        m.put("lr", lr);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("epsilon", epsilon);
        m.put("weight_decay", weightDecay);
        return m;
    }

    @Override
    public String describe() {
        return "adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon
                + ", weight_decay=" + weightDecay + ")";
    }

    @Override public String toString() { return describe(); }
}
