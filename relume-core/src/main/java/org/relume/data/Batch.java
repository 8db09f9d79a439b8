package org.relume.data;

import org.relume.tensor.Tensor;

/**
 * A mini-batch, feature-major, as the engine wants it: {@code x} is [inputs, size]; for binary
 * classification {@code y} holds the 0/1 labels as [1, size], for regression the targets as
 * [targetColumns, size], for multiclass it is unused; {@code labels} holds class labels (the first
 * {@code size} entries are this batch's). Buffers are owned by the {@link Batcher} and reused.
 */
public final class Batch {
    final Tensor x;
    final Tensor y;
    final int[] labels;
    int size;

    Batch(int inputs, int targetRows, int capacity, boolean classification) {
        this.x = Tensor.zeros(inputs, capacity);
        this.y = Tensor.zeros(targetRows, capacity);
        this.labels = classification ? new int[capacity] : null;
    }

    /** [inputs, size]. */
    public Tensor x() {
        return x;
    }

    /** [1, size] 0/1 labels (binary), [targets, size] (regression). */
    public Tensor y() {
        return y;
    }

    /** Class labels; entries [0, size) belong to this batch. Null for regression. */
    public int[] labels() {
        return labels;
    }

    public int size() {
        return size;
    }
}
