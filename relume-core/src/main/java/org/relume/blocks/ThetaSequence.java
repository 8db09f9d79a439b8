package org.relume.blocks;

import java.util.Arrays;

/**
 * Nesterov's theta sequence and the AGD coefficients derived from it (Li et al., eqs. 3-5):
 * theta_0 = 1, (1 - theta_k) / theta_k^2 = 1 / theta_{k-1}^2, the momentum
 * beta_k = theta_k (1 - theta_{k-1}) / theta_{k-1} of iteration (3), and the weights h_{k+1,j} of
 * its equivalent form (4), defined by recursion (5) from h_{1,0} = 1.
 */
public final class ThetaSequence {
    private ThetaSequence() {}

    /** theta_k: the positive root of theta^2 = theta_{k-1}^2 (1 - theta). */
    public static double theta(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("theta_k needs k >= 0, got " + k);
        }
        double t = 1.0;
        for (int i = 1; i <= k; i++) {
            double t2 = t * t;
            t = (Math.sqrt(t2 * t2 + 4 * t2) - t2) / 2;
        }
        return t;
    }

    /** beta_k of iteration (3); beta_0 = 0 (there is no z_{-1}). */
    public static double beta(int k) {
        if (k <= 0) {
            return 0.0;
        }
        double prev = theta(k - 1);
        return theta(k) * (1 - prev) / prev;
    }

    /** h_{k+1,0..k} of eq. (5), for k >= 0 (h_{1,0} = 1). */
    public static double[] h(int kPlusOne) {
        if (kPlusOne < 1) {
            throw new IllegalArgumentException("h_{k+1,j} needs k + 1 >= 1, got " + kPlusOne);
        }
        double[] h = {1.0};
        for (int k = 1; k < kPlusOne; k++) {
            double b = beta(k + 1);
            double[] next = Arrays.copyOf(h, k + 1);
            for (int j = 0; j <= k - 2; j++) {
                next[j] = b * h[j];
            }
            next[k - 1] = b * (h[k - 1] - 1);
            next[k] = 1 + b;
            h = next;
        }
        return h;
    }
}
