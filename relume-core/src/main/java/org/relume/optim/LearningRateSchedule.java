package org.relume.optim;

/**
 * The learning rate for an epoch, from the base rate: constant, step decay (lr *
 * gamma^floor(epoch / every), PyTorch's StepLR with epochs counted from 0), or decay at given
 * epochs (lr * gamma^(milestones passed), PyTorch's MultiStepLR: the ResNet recipe divides by 10 at
 * 50% and 75% of training).
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

    static LearningRateSchedule multistep(int[] milestones, double gamma) {
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] <= 0 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("multistep milestones must be positive and increasing, got "
                        + java.util.Arrays.toString(milestones));
            }
        }
        if (milestones.length == 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("a multistep schedule needs milestones and gamma > 0, got gamma " + gamma);
        }
        int[] m = milestones.clone();
        return new LearningRateSchedule() {
            @Override public double rate(double base, int epoch) {
                int passed = 0;
                while (passed < m.length && epoch >= m[passed]) {
                    passed++;
                }
                return base * Math.pow(gamma, passed);
            }

            @Override public String describe() {
                return "multistep(at=" + java.util.Arrays.toString(m) + ", gamma=" + gamma + ")";
            }
        };
    }

    /**
     * Parses {@code constant}, {@code step:EVERY:GAMMA} (e.g. {@code step:100:0.5}) or
     * {@code multistep:E1,E2,...:GAMMA} (e.g. {@code multistep:150,225:0.1}).
     */
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
        if (s.startsWith("multistep:")) {
            String[] parts = s.split(":");
            if (parts.length == 3) {
                try {
                    String[] at = parts[1].split(",");
                    int[] milestones = new int[at.length];
                    for (int i = 0; i < at.length; i++) {
                        milestones[i] = Integer.parseInt(at[i].trim());
                    }
                    return multistep(milestones, Double.parseDouble(parts[2]));
                } catch (NumberFormatException e) {
                    // fall through to the message below
                }
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + spec + "'; use constant, step:EVERY:GAMMA (e.g. step:100:0.5)"
                + " or multistep:E1,E2:GAMMA (e.g. multistep:150,225:0.1)");
    }
}
