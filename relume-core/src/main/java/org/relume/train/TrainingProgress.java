package org.relume.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands between two batches, besides its weights and optimizer state: what a
 * checkpoint must hold for the trainer to continue exactly as if it had never stopped. The batch
 * order needs no state of its own: it is drawn from the configured seed, once per started epoch,
 * so the trainer replays {@code epoch + 1} draws.
 *
 * @param epoch       the epoch in progress, 0-based; its batch order has been drawn
 * @param nextBatch   the next batch to train in it; the epoch's batch count when only its end (the
 *                    epoch listeners and the logged row) is left
 * @param steps       optimizer steps taken so far
 * @param lossSum     the epoch's total loss so far, summed over samples (for its mean)
 * @param taskSum     the same for the task loss alone
 * @param penaltySums the same for each regularizer's penalty
 * @param seen        samples trained in the epoch so far
 * @param history     the rows logged so far
 * @param seconds     training time spent so far (the resumed run's clock continues from it)
 */
public record TrainingProgress(int epoch, int nextBatch, long steps, double lossSum, double taskSum,
                               double[] penaltySums, int seen, List<Map<String, Double>> history, double seconds) {
    public TrainingProgress {
        if (epoch < 0 || nextBatch < 0 || steps < 0 || seen < 0) {
            throw new IllegalArgumentException("training progress must not be negative: epoch " + epoch + ", batch "
                    + nextBatch + ", steps " + steps + ", samples " + seen);
        }
        penaltySums = penaltySums.clone();
        List<Map<String, Double>> rows = new ArrayList<>();
        for (Map<String, Double> row : history) {
            rows.add(new LinkedHashMap<>(row));
        }
        history = List.copyOf(rows);
    }

    @Override
    public double[] penaltySums() {
        return penaltySums.clone();
    }
}
