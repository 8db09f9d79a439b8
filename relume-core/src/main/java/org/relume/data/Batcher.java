package org.relume.data;

import java.util.SplittableRandom;

/**
 * Cuts a data set into feature-major mini-batches, reusing one set of buffers.
 *
 * <p>With {@code shuffle}, each epoch visits the samples in a new order drawn from the batcher's
 * own seeded generator; without, in data set order (the jumpstart setup: full batch, no shuffle).
 * A batch size of 0 or one at least the data set size means full batch; full-batch unshuffled
 * data is copied once and never again.
 */
public final class Batcher {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final SplittableRandom random;
    private final int[] order;
    private final Batch batch;
    private int filledFor = -1;
    private ImageAugmentation augmentation;
    private long epoch = -1;
    private final long seed;

    public Batcher(Dataset data, int batchSize, boolean shuffle, long seed) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 0 (0 = full batch), got " + batchSize);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot train on an empty data set (" + data.name() + ")");
        }
        this.data = data;
        this.batchSize = batchSize == 0 ? data.size() : Math.min(batchSize, data.size());
        this.shuffle = shuffle;
        this.random = new SplittableRandom(seed);
        this.seed = seed;
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int targetRows = switch (data.task()) {
            case BINARY, MULTICLASS -> 1;
            case REGRESSION -> data.targets().cols();
        };
        this.batch = new Batch(data.inputs(), targetRows, this.batchSize, data.task().isClassification());
    }

    /** Augments every batch from now on (training batches only: a validation set is never batched here). */
    public void augment(ImageAugmentation a) {
        if (a != null && a.features() != data.inputs()) {
            throw new IllegalArgumentException("augmentation of " + a.features() + "-feature images, but the data have "
                    + data.inputs() + " features");
        }
        this.augmentation = a;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Starts an epoch: draws a new order when shuffling. */
    public void startEpoch() {
        epoch++;
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            filledFor = -1;
        }
    }

    /** The {@code index}-th batch of the current epoch; the returned object is reused. */
    public Batch batch(int index) {
        int from = index * batchSize;
        if (index < 0 || from >= data.size()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        if (!shuffle && batchesPerEpoch() == 1 && filledFor == 0 && augmentation == null) {
            return batch;
        }
        int size = Math.min(batchSize, data.size() - from);
        fill(from, size);
        if (augmentation != null) {
            augmentation.apply(batch.x.data(), size, seed, epoch, index);
        }
        filledFor = index;
        return batch;
    }

    private void fill(int from, int size) {
        int in = data.inputs();
        batch.size = size;
        batch.x.reshapeInPlace(in, size);
        float[] src = data.features().data();
        float[] x = batch.x.data();
        for (int s = 0; s < size; s++) {
            int k = order[from + s];
            for (int f = 0; f < in; f++) {
                x[f * size + s] = src[k * in + f];
            }
        }
        if (data.task().isClassification()) {
            int[] labels = data.labels();
            batch.y.reshapeInPlace(1, size);
            float[] y = batch.y.data();
            for (int s = 0; s < size; s++) {
                int l = labels[order[from + s]];
                batch.labels[s] = l;
                y[s] = l;
            }
        } else {
            int t = data.targets().cols();
            batch.y.reshapeInPlace(t, size);
            float[] tsrc = data.targets().data();
            float[] y = batch.y.data();
            for (int s = 0; s < size; s++) {
                int k = order[from + s];
                for (int c = 0; c < t; c++) {
                    y[c * size + s] = tsrc[k * t + c];
                }
            }
        }
    }
}
