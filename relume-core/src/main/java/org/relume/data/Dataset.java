package org.relume.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.relume.tensor.Tensor;

/**
 * A labelled data set in memory, sample-major: {@code features} is [n, inputs]; {@code targets} is
 * [n, targetColumns] (regression) or null; {@code labels} holds one class per sample
 * (classification) or is null. Immutable by convention: nothing in Relume writes into a Dataset's
 * arrays after construction.
 */
public final class Dataset {
    private final String name;
    private final Task task;
    private final Tensor features;
    private final Tensor targets;
    private final int[] labels;
    private final int classes;

    private Dataset(String name, Task task, Tensor features, Tensor targets, int[] labels, int classes) {
        this.name = Objects.requireNonNull(name, "name");
        this.task = Objects.requireNonNull(task, "task");
        this.features = Objects.requireNonNull(features, "features");
        features.requireRank(2);
        this.targets = targets;
        this.labels = labels;
        this.classes = classes;
    }

    /**
     * A classification set. With {@code classes == 2} the task is {@link Task#BINARY}, otherwise
     * {@link Task#MULTICLASS}. Every label must lie in [0, classes).
     */
    public static Dataset classification(String name, Tensor features, int[] labels, int classes) {
        features.requireRank(2);
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(name + ": " + features.rows() + " samples but " + labels.length + " labels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException(name + ": a classification set needs at least 2 classes, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        return new Dataset(name, classes == 2 ? Task.BINARY : Task.MULTICLASS, features, null, labels, classes);
    }

    /**
     * A classification set that always has one network output per class, even with two classes
     * (softmax over two logits, as in folding's 2-2-2 networks) instead of binary's single logit.
     */
    public static Dataset multiclass(String name, Tensor features, int[] labels, int classes) {
        Dataset d = classification(name, features, labels, classes);
        return new Dataset(name, Task.MULTICLASS, d.features, null, d.labels, classes);
    }

    /** A regression set: targets [n, targetColumns]. */
    public static Dataset regression(String name, Tensor features, Tensor targets) {
        features.requireRank(2);
        targets.requireRank(2);
        if (targets.rows() != features.rows()) {
            throw new IllegalArgumentException(name + ": " + features.rows() + " samples but "
                    + targets.rows() + " target rows");
        }
        return new Dataset(name, Task.REGRESSION, features, targets, null, 0);
    }

    public String name() {
        return name;
    }

    public Task task() {
        return task;
    }

    /** Number of samples. */
    public int size() {
        return features.rows();
    }

    /** Number of input features. */
    public int inputs() {
        return features.cols();
    }

    /** Number of network outputs this data set calls for: 1 (binary), classes, or target columns. */
    public int outputs() {
        return switch (task) {
            case BINARY -> 1;
            case MULTICLASS -> classes;
            case REGRESSION -> targets.cols();
        };
    }

    /** Number of classes (0 for regression). */
    public int classes() {
        return classes;
    }

    /** [n, inputs], sample-major. Do not modify. */
    public Tensor features() {
        return features;
    }

    /** [n, targetColumns] for regression, else null. Do not modify. */
    public Tensor targets() {
        return targets;
    }

    /** Class labels for classification, else null. Do not modify. */
    public int[] labels() {
        return labels;
    }

    /** A new data set holding the given samples, in the given order. */
    public Dataset select(int[] indices, String newName) {
        int d = inputs();
        float[] src = features.data();
        float[] f = new float[indices.length * d];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= size()) {
                throw new IndexOutOfBoundsException("sample " + k + " out of range for " + size() + " samples");
            }
            System.arraycopy(src, k * d, f, i * d, d);
        }
        Tensor feats = Tensor.wrap(f, indices.length, d);
        if (task.isClassification()) {
            int[] l = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                l[i] = labels[indices[i]];
            }
            return new Dataset(newName, task, feats, null, l, classes);
        }
        int t = targets.cols();
        float[] tsrc = targets.data();
        float[] tg = new float[indices.length * t];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(tsrc, indices[i] * t, tg, i * t, t);
        }
        return new Dataset(newName, task, feats, Tensor.wrap(tg, indices.length, t), null, 0);
    }

    /** Samples [from, to) as a new data set. */
    public Dataset range(int from, int to, String newName) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") out of [0, " + size() + ")");
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return select(idx, newName);
    }

    /** The same samples with other features (e.g. standardized), same order. */
    public Dataset withFeatures(Tensor newFeatures) {
        if (newFeatures.rank() != 2 || newFeatures.rows() != size()) {
            throw new IllegalArgumentException("replacement features of shape " + newFeatures.shapeString()
                    + " do not match " + size() + " samples");
        }
        return new Dataset(name, task, newFeatures, targets, labels, classes);
    }

    /**
     * Splits in order: the first {@code trainSize} samples train, the rest validate (the moons
     * protocol, where the generator already shuffled).
     */
    public Split splitAt(int trainSize) {
        return new Split(range(0, trainSize, name + "/train"), range(trainSize, size(), name + "/validation"));
    }

    /**
     * Shuffles with {@code seed}, then splits: round(n * (1 - validationFraction)) samples train,
     * the rest validate. A fraction of 0 gives an empty validation set.
     */
    public Split shuffledSplit(double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        int[] order = permutation(size(), new SplittableRandom(seed));
        Dataset shuffled = select(order, name);
        int train = (int) Math.round(size() * (1 - validationFraction));
        return shuffled.splitAt(train);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The share of the most frequent class (what a constant classifier scores); NaN for regression. */
    public double majorityRate() {
        if (!task.isClassification() || size() == 0) {
            return Double.NaN;
        }
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        return (double) Arrays.stream(counts).max().orElse(0) / size();
    }

    /**
     * A checksum (CRC-32C, hex) of the samples in order: features, then labels or targets, with the
     * sizes. A resumed run compares it with its checkpoint's, because continuing on other data
     * would give a model that no single run produced.
     */
    public String fingerprint() {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        buffer.putInt(size()).putInt(inputs()).putInt(task.ordinal()).putInt(classes);
        float[][] parts = {features.data(), targets == null ? new float[0] : targets.data()};
        for (float[] part : parts) {
            for (float v : part) {
                if (buffer.remaining() < 4) {
                    crc.update(buffer.flip());
                    buffer.clear();
                }
                buffer.putFloat(v);
            }
        }
        for (int l : labels == null ? new int[0] : labels) {
            if (buffer.remaining() < 4) {
                crc.update(buffer.flip());
                buffer.clear();
            }
            buffer.putInt(l);
        }
        crc.update(buffer.flip());
        return String.format("%08x", crc.getValue());
    }

    @Override
    public String toString() {
        return name + " (" + task.id() + ", " + size() + " samples, " + inputs() + " inputs, " + outputs() + " outputs)";
    }

    /** A train / validation pair. */
    public record Split(Dataset train, Dataset validation) {}
}
