package org.relume.optim;

/**
 * The learning rate for an epoch, from the base rate: constant; step decay (lr * gamma^floor(epoch
 * / every), PyTorch's StepLR with epochs counted from 0); cosine annealing from the base rate to 0
 * over a number of epochs (PyTorch's CosineAnnealingLR with eta_min 0); decay at given epochs
 * (lr * gamma^(milestones passed), PyTorch's MultiStepLR: the ResNet recipe divides by 10 at 50% and
 * 75% of training); or a linear warm-up
 * (base * (epoch + 1) / W for the first W epochs) in front of any of them, which then starts at
 * epoch W as if it were epoch 0.
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
            // Equal milestones decay together (gamma squared), as PyTorch's MultiStepLR counts them.
            if (milestones[i] <= 0 || (i > 0 && milestones[i] < milestones[i - 1])) {
                throw new IllegalArgumentException("multistep milestones must be positive and non-decreasing, got "
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

    /** base * (1 + cos(pi * epoch / epochs)) / 2, and 0 from epoch {@code epochs} on. */
    static LearningRateSchedule cosine(int epochs) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("a cosine schedule needs a positive number of epochs, got " + epochs);
        }
        return new LearningRateSchedule() {
            @Override public double rate(double base, int epoch) {
                return epoch >= epochs ? 0 : base * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
            }

            @Override public String describe() { return "cosine(epochs=" + epochs + ")"; }
        };
    }

    /** A linear warm-up over {@code epochs} epochs, then {@code then} counted from the end of the warm-up. */
    static LearningRateSchedule warmup(int epochs, LearningRateSchedule then) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("a warm-up needs a positive number of epochs, got " + epochs);
        }
        return new LearningRateSchedule() {
            @Override public double rate(double base, int epoch) {
                return epoch < epochs ? base * (epoch + 1) / epochs : then.rate(base, epoch - epochs);
            }

            @Override public String describe() { return "warmup(epochs=" + epochs + ", then " + then.describe() + ")"; }
        };
    }

    /** Parses {@code constant} or {@code step:EVERY:GAMMA}; cosine needs the run's length, see {@link #parse(String, int)}. */
    static LearningRateSchedule parse(String spec) {
        return parse(spec, -1);
    }

    /**
     * Parses {@code constant}, {@code step:EVERY:GAMMA} (e.g. {@code step:100:0.5}),
     * {@code multistep:E1,E2,...:GAMMA}, {@code cosine}
     * (to 0 over the run's {@code totalEpochs}) or {@code cosine:T} (over T epochs), optionally
     * after a warm-up: {@code warmup:W} alone (then constant) or {@code warmup:W+cosine} and the like,
     * where the schedule after the '+' sees the remaining epochs.
     */
    static LearningRateSchedule parse(String spec, int totalEpochs) {
        String s = spec.trim();
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        try {
            if (lower.startsWith("warmup:")) {
                int plus = s.indexOf('+');
                int w = Integer.parseInt(s.substring(7, plus < 0 ? s.length() : plus).trim());
                LearningRateSchedule then = plus < 0 ? constant()
                        : parse(s.substring(plus + 1), totalEpochs < 0 ? -1 : Math.max(1, totalEpochs - w));
                return warmup(w, then);
            }
            if (lower.equals("constant")) {
                return constant();
            }
            if (lower.equals("cosine") && totalEpochs > 0) {
                return cosine(totalEpochs);
            }
            if (lower.startsWith("cosine:")) {
                return cosine(Integer.parseInt(s.substring(7).trim()));
            }
            String[] parts = s.split(":");
            if (lower.startsWith("step:") && parts.length == 3) {
                return step(Integer.parseInt(parts[1].trim()), Double.parseDouble(parts[2].trim()));
            }
            if (lower.startsWith("multistep:") && parts.length == 3) {
                String[] at = parts[1].split(",");
                int[] milestones = new int[at.length];
                for (int i = 0; i < at.length; i++) {
                    milestones[i] = Integer.parseInt(at[i].trim());
                }
                return multistep(milestones, Double.parseDouble(parts[2].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("unknown schedule '" + spec + "'; use constant, step:EVERY:GAMMA (e.g. step:100:0.5),"
                + " multistep:E1,E2,...:GAMMA (e.g. multistep:150,225:0.1), cosine, cosine:EPOCHS, or warmup:EPOCHS,"
                + " optionally followed by +SCHEDULE (e.g. warmup:5+cosine)");
    }
}
