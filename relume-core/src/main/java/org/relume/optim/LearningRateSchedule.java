package org.relume.optim;

/**
 * The learning rate for an epoch, from the base rate: constant, or step decay
 * (lr * gamma^floor(epoch / every), PyTorch's StepLR with epochs counted from 0).
 */
public interface LearningRateSchedule {

    double rate(double base, int epoch);

    String describe();

    static LearningRateSchedule constant() {
        return new LearningRateSchedule() {
            @Override public double rate(double base, int epoch) { return base; }

            @Override public String describe() { return "constant"; }
        };
    }

    static LearningRateSchedule step(int every, double gamma) {
        if (every <= 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("a step schedule needs every > 0 and gamma > 0, got every="
                    + every + ", gamma=" + gamma);
        }
        return new LearningRateSchedule() {
            @Override public double rate(double base, int epoch) { return base * Math.pow(gamma, epoch / every); }

            @Override public String describe() { return "step(every=" + every + ", gamma=" + gamma + ")"; }
        };
    }

    /** Parses {@code constant} or {@code step:EVERY:GAMMA} (e.g. {@code step:100:0.5}). */
    static LearningRateSchedule parse(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("constant")) {
            return constant();
        }
        if (s.startsWith("step:")) {
            String[] parts = s.split(":");
            if (parts.length == 3) {
                try {
                    return step(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
                } catch (NumberFormatException e) {
                    // fall through to the message below
                }
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + spec + "'; use constant or step:EVERY:GAMMA (e.g. step:100:0.5)");
    }
}
