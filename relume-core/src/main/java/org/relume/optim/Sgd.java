package org.relume.optim;

import java.util.List;
import java.util.Map;
import org.relume.tensor.Var;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, in
 * PyTorch's form (torch.optim.SGD, dampening 0):
 * g = grad + wd * w; b = mu * b + g (b = g on the first step); g = g + mu * b (Nesterov) or b;
 * w = w - lr * g.
 */
public final class Sgd implements Optimizer {
    private double lr;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final ParameterStates states = new ParameterStates(1);

    public Sgd(double lr, double momentum, boolean nesterov, double weightDecay) {
        if (!(lr >= 0) || !(momentum >= 0) || momentum >= 1 || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("sgd needs lr >= 0, 0 <= momentum < 1, weight decay >= 0; got lr="
                    + lr + ", momentum=" + momentum + ", weight decay=" + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.lr = lr;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    public static Sgd plain(double lr) {
        return new Sgd(lr, 0, false, 0);
    }

    @Override
    public void step(List<Var> params) {
        float[][][] st = momentum > 0 ? states.align(params) : null;
        float flr = (float) lr;
        float mu = (float) momentum;
        float wd = (float) weightDecay;
        for (int p = 0; p < params.size(); p++) {
            Var v = params.get(p);
            if (!v.hasGrad()) {
                continue;
            }
            float[] w = v.value().data();
            float[] g = v.grad().data();
            int n = v.value().numel();
            if (st == null) {
                for (int i = 0; i < n; i++) {
                    float gi = g[i] + wd * w[i];
                    w[i] -= flr * gi;
                }
                continue;
            }
            float[] buf = st[p][0];
            // A zero buffer makes the first step's b equal the gradient, as PyTorch specifies.
            for (int i = 0; i < n; i++) {
                float gi = g[i] + wd * w[i];
                float b = mu * buf[i] + gi;
                buf[i] = b;
                w[i] -= flr * (nesterov ? gi + mu * b : b);
            }
        }
    }

    @Override public double learningRate() { return lr; }

    @Override public void setLearningRate(double lr) { this.lr = lr; }

    @Override
    public void reset() {
        states.clear();
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
        return new OptimizerState("sgd", 0, states.export(parameters));
    }

    @Override
    public void loadState(OptimizerState state, Map<String, Var> parameters) {
        if (!"sgd".equals(state.kind())) {
            throw new IllegalArgumentException("cannot load " + state.kind() + " state into sgd");
        }
        states.load(state.buffers(), parameters, "sgd");

    }

    @Override
    public Sgd copy() {
        return new Sgd(lr, momentum, nesterov, weightDecay);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "sgd");
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("nesterov", nesterov);
        m.put("weight_decay", weightDecay);
        return m;
    }

    @Override
    public String describe() {
        return "sgd(lr=" + lr + ", momentum=" + momentum + ", nesterov=" + nesterov + ", weight_decay=" + weightDecay + ")";
    }

    @Override public String toString() { return describe(); }
}
