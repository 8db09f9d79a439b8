package org.relume.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.relume.tensor.Memory;
import org.relume.tensor.Tensor;

/**
 * Reads the binary distribution of CIFAR-10 and CIFAR-100 (Krizhevsky 2009): fixed-size records
 * with no header, each some label bytes followed by one 32x32 colour image as 3072 unsigned bytes in
 * channel-major order (CHW: 1024 red values row by row, then 1024 green, then 1024 blue).
 * <pre>
 *   CIFAR-10   cifar-10-batches-bin/   data_batch_1.bin .. data_batch_5.bin (train), test_batch.bin
 *              record = label (0-9) + 3072 pixels                                   = 3073 bytes
 *   CIFAR-100  cifar-100-binary/       train.bin, test.bin
 *              record = coarse label (0-19) + fine label (0-99) + 3072 pixels       = 3074 bytes
 * </pre>
 * Each image becomes one row of 3072 features in the file's CHW order, every byte scaled by 1/255
 * as {@link IdxReader} scales MNIST, so that feature {@code c * 1024 + y * 32 + x} is channel c at
 * row y, column x. The test file is the validation set.
 *
 * <p>Because the format has no header, the file length is all there is to check: every file must
 * hold a whole, non-zero number of records, and all lengths are checked before anything is
 * allocated. Label bytes are checked as records are read (both labels of a CIFAR-100 record, even
 * the one not used, since a wrong one means the file is not what it claims).
 */
public final class CifarReader {
    /** Image side in pixels. */
    public static final int SIDE = 32;
    /** Colour channels, red, green, blue in this order. */
    public static final int CHANNELS = 3;
    /** Pixel bytes per record, and features per sample: 3 x 32 x 32. */
    public static final int PIXELS = CHANNELS * SIDE * SIDE;

    private static final int CHUNK_BYTES = 1 << 20;
    private static final String[] CHANNEL_NAMES = {"red", "green", "blue"};

    private CifarReader() {}

    /** The two layouts of the binary distribution. */
    public enum Layout {
        CIFAR10("CIFAR-10", "cifar-10-batches-bin", 1,
                List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                        "data_batch_5.bin"),
                List.of("test_batch.bin")),
        CIFAR100("CIFAR-100", "cifar-100-binary", 2, List.of("train.bin"), List.of("test.bin"));

        private final String title;
        private final String folder;
        private final int labelBytes;
        private final List<String> trainFiles;
        private final List<String> testFiles;

        Layout(String title, String folder, int labelBytes, List<String> trainFiles, List<String> testFiles) {
            this.title = title;
            this.folder = folder;
            this.labelBytes = labelBytes;
            this.trainFiles = trainFiles;
            this.testFiles = testFiles;
        }

        /** "CIFAR-10" or "CIFAR-100". */
        public String title() {
            return title;
        }

        /** The folder the official archive extracts to: cifar-10-batches-bin or cifar-100-binary. */
        public String folder() {
            return folder;
        }

        /** Label bytes at the start of each record: 1 (CIFAR-10) or 2 (coarse, fine for CIFAR-100). */
        public int labelBytes() {
            return labelBytes;
        }

        /** Bytes per record: the label bytes and 3072 pixel bytes. */
        public int recordBytes() {
            return labelBytes + PIXELS;
        }

        /** The training files, in the order their records are read. */
        public List<String> trainFiles() {
            return trainFiles;
        }

        /** The test files, which become the validation set. */
        public List<String> testFiles() {
            return testFiles;
        }

        /** Every file the layout needs, training files first. */
        public List<String> files() {
            List<String> all = new ArrayList<>(trainFiles);
            all.addAll(testFiles);
            return all;
        }

        private String expected() {
            String train = trainFiles.size() > 1 ? trainFiles.get(0) + " .. " + trainFiles.get(trainFiles.size() - 1)
                    : trainFiles.get(0);
            return title + " (" + train + ", " + String.join(", ", testFiles) + ")";
        }
    }

    /** Which label of a record becomes the class: CIFAR-100 has both, CIFAR-10 only the one. */
    public enum Labels {
        /** CIFAR-10's single label (10 classes), or CIFAR-100's fine label (100 classes); the default. */
        FINE,
        /** CIFAR-100's coarse label, the superclass (20 classes); an error for CIFAR-10. */
        COARSE
    }

    /**
     * What {@link #load} found.
     *
     * @param directory the directory the files were read from (the one given, or its CIFAR subfolder)
     * @param layout    CIFAR-10 or CIFAR-100
     * @param labels    the label used as class
     * @param classes   the number of classes: 10, 100 (fine) or 20 (coarse)
     * @param split     train from the training files, validation from the test file
     */
    public record Result(Path directory, Layout layout, Labels labels, int classes, Dataset.Split split) {}

    /**
     * Where a layout's files are.
     *
     * @param directory the directory holding the files
     * @param layout    which of the two layouts they form
     */
    public record Location(Path directory, Layout layout) {}

    /** Names of the 3072 features, in CHW order: red0 .. red1023, green0 .. green1023, blue0 .. blue1023. */
    public static List<String> featureNames() {
        List<String> names = new ArrayList<>(PIXELS);
        for (String channel : CHANNEL_NAMES) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                names.add(channel + p);
            }
        }
        return names;
    }

    /** Number of classes a layout's label has. */
    public static int classes(Layout layout, Labels labels) {
        if (layout == Layout.CIFAR10) {
            return 10;
        }
        return labels == Labels.COARSE ? 20 : 100;
    }

    /**
     * Finds the layout of {@code dir}: the directory itself when it holds any of the files of one
     * layout, else the single one of its subfolders cifar-10-batches-bin and cifar-100-binary that
     * does, so that the folder the archive was extracted into works too.
     *
     * @return the directory holding the files, and their layout
     * @throws IllegalArgumentException if the directory does not exist, holds files of both layouts,
     *                                  holds neither, or lacks some files of its layout (listing them)
     */
    public static Location detect(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(Files.exists(dir)
                    ? "CIFAR directory " + dir + " is a file, expected a directory holding the CIFAR-10 or CIFAR-100 "
                    + "binary files"
                    : "CIFAR directory not found: " + dir);
        }
        Layout layout = layoutOf(dir);
        Path home = dir;
        if (layout == null) {
            List<Path> nested = new ArrayList<>();
            for (Layout l : Layout.values()) {
                Path sub = dir.resolve(l.folder());
                if (Files.isDirectory(sub) && layoutOf(sub) != null) {
                    nested.add(sub);
                }
            }
            if (nested.size() > 1) {
                throw new IllegalArgumentException("CIFAR directory " + dir + " holds both "
                        + nested.get(0).getFileName() + " and " + nested.get(1).getFileName() + "; name one of them");
            }
            if (nested.isEmpty()) {
                throw new IllegalArgumentException("CIFAR directory " + dir + " holds neither "
                        + Layout.CIFAR10.expected() + " nor " + Layout.CIFAR100.expected() + " binary files, nor a "
                        + Layout.CIFAR10.folder() + " or " + Layout.CIFAR100.folder() + " folder holding them");
            }
            home = nested.get(0);
            layout = layoutOf(home);
        }
        List<String> missing = new ArrayList<>();
        for (String f : layout.files()) {
            if (!Files.isRegularFile(home.resolve(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(layout.title() + " directory " + home + " lacks "
                    + String.join(", ", missing) + "; expected " + String.join(", ", layout.files()));
        }
        return new Location(home, layout);
    }

    /** The layout some of whose files {@code dir} holds; null for none; an error for both. */
    private static Layout layoutOf(Path dir) {
        Layout found = null;
        for (Layout l : Layout.values()) {
            for (String f : l.files()) {
                if (Files.exists(dir.resolve(f))) {
                    if (found != null && found != l) {
                        throw new IllegalArgumentException("CIFAR directory " + dir + " holds files of both layouts ("
                                + found.title() + " and " + l.title() + "); keep one per directory");
                    }
                    found = l;
                    break;
                }
            }
        }
        return found;
    }

    /** As {@link #load(Path, Labels, int)} with the default labels (CIFAR-100: fine). */
    public static Result load(Path dir, int limit) {
        return load(dir, Labels.FINE, limit);
    }

    /**
     * Loads a CIFAR-10 or CIFAR-100 directory (see {@link #detect}).
     *
     * @param labels which label becomes the class; {@link Labels#COARSE} only for CIFAR-100
     * @param limit  when > 0, only the first {@code limit} records of the training files (in file
     *               order, across the five CIFAR-10 batches) and of the test file are read; every
     *               file's length is still checked in full
     * @throws IllegalArgumentException for a missing or ambiguous directory or file, a label choice
     *                                  the layout lacks, or data too large for memory
     * @throws DataFormatException      for a file that is empty or ends in a torn record, or a label
     *                                  byte out of range
     * @throws UncheckedIOException     for other I/O failures
     */
    public static Result load(Path dir, Labels labels, int limit) {
        Objects.requireNonNull(labels, "labels");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all samples), got " + limit);
        }
        Location found = detect(dir);
        Layout layout = found.layout();
        Path home = found.directory();
        if (layout == Layout.CIFAR10 && labels == Labels.COARSE) {
            throw new IllegalArgumentException("CIFAR-10 directory " + home + " has one label per image; coarse labels "
                    + "exist only in CIFAR-100");
        }
        List<Path> trainFiles = resolve(home, layout.trainFiles());
        List<Path> testFiles = resolve(home, layout.testFiles());
        long[] trainRecords = countRecords(trainFiles, layout);
        long[] testRecords = countRecords(testFiles, layout);
        int trainCount = sampleCount(trainFiles, trainRecords, limit, layout, "training");
        int testCount = sampleCount(testFiles, testRecords, limit, layout, "test");
        Memory.require(layout.title() + " training and test images (" + (trainCount + testCount) + " x " + PIXELS
                + " floats)", Memory.product((long) trainCount + testCount, PIXELS, Float.BYTES));
        int classes = classes(layout, labels);
        String base = home.getFileName() == null ? "cifar" : home.getFileName().toString();
        Dataset train = read(trainFiles, trainRecords, trainCount, layout, labels, classes, base + "/train");
        Dataset test = read(testFiles, testRecords, testCount, layout, labels, classes, base + "/validation");
        return new Result(home, layout, labels, classes, new Dataset.Split(train, test));
    }

    private static List<Path> resolve(Path dir, List<String> names) {
        List<Path> paths = new ArrayList<>(names.size());
        for (String n : names) {
            paths.add(dir.resolve(n));
        }
        return paths;
    }

    /** Records per file, after checking that each file holds a whole, non-zero number of them. */
    private static long[] countRecords(List<Path> files, Layout layout) {
        int record = layout.recordBytes();
        long[] counts = new long[files.size()];
        for (int i = 0; i < counts.length; i++) {
            Path file = files.get(i);
            long length;
            try {
                length = Files.size(file);
            } catch (NoSuchFileException e) {
                throw notFound(file, e);
            } catch (IOException e) {
                throw unreadable(file, e);
            }
            if (length == 0) {
                throw DataFormatException.atOffset(file.toString(), 0,
                        "the file is empty, expected whole records, each " + describe(layout));
            }
            long whole = length / record;
            long torn = length - whole * record;
            if (torn != 0) {
                throw DataFormatException.atOffset(file.toString(), whole * record, "truncated record " + whole
                        + ": the file has " + length + " bytes, not a multiple of " + record + " (" + describe(layout)
                        + "), so record " + whole + ", starting here, has only " + torn + " bytes");
            }
            counts[i] = whole;
        }
        return counts;
    }

    /** The samples a split gets: all records, or {@code limit} when it is smaller. */
    private static int sampleCount(List<Path> files, long[] records, int limit, Layout layout, String split) {
        long total = 0;
        for (long r : records) {
            total += r;
        }
        long n = limit > 0 ? Math.min(total, limit) : total;
        if (n * PIXELS > IdxReader.MAX_ELEMENTS) {
            throw new IllegalArgumentException(layout.title() + " " + split + " files (" + files.get(0)
                    + (files.size() > 1 ? " .." : "") + ") hold " + total + " records; " + n + " x " + PIXELS
                    + " features exceed the " + IdxReader.MAX_ELEMENTS + " one array can hold; pass a limit");
        }
        return (int) n;
    }

    /** Reads the first {@code count} records of {@code files} in order into one data set. */
    private static Dataset read(List<Path> files, long[] records, int count, Layout layout, Labels labels, int classes,
                                String name) {
        int record = layout.recordBytes();
        int labelBytes = layout.labelBytes();
        float[] features = new float[count * PIXELS];
        int[] classOf = new int[count];
        byte[] chunk = new byte[Math.max(1, CHUNK_BYTES / record) * record];
        int done = 0;
        for (int f = 0; f < files.size() && done < count; f++) {
            Path file = files.get(f);
            String source = file.toString();
            int fromFile = (int) Math.min(records[f], count - done);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), chunk.length)) {
                int read = 0;
                while (read < fromFile) {
                    int want = Math.min(chunk.length / record, fromFile - read);
                    long offset = (long) read * record;
                    int got = in.readNBytes(chunk, 0, want * record);
                    if (got < want * record) {
                        // The length was checked; the file must have shrunk since.
                        throw DataFormatException.atOffset(source, offset + got, "truncated: the file ended after "
                                + (offset + got) + " bytes while reading record " + (read + got / record) + " of "
                                + records[f]);
                    }
                    for (int r = 0; r < want; r++) {
                        int at = r * record;
                        long recordIndex = read + r;
                        long recordOffset = offset + at;
                        int sample = done + read + r;
                        classOf[sample] = labelOf(chunk, at, layout, labels, source, recordIndex, recordOffset);
                        int dst = sample * PIXELS;
                        for (int p = 0; p < PIXELS; p++) {
                            features[dst + p] = (chunk[at + labelBytes + p] & 0xFF) / 255f;
                        }
                    }
                    read += want;
                }
            } catch (NoSuchFileException e) {
                throw notFound(file, e);
            } catch (IOException e) {
                throw unreadable(file, e);
            }
            done += fromFile;
        }
        return Dataset.classification(name, Tensor.wrap(features, count, PIXELS), classOf, classes);
    }

    /** Checks the label bytes of the record at {@code at} and returns the chosen one. */
    private static int labelOf(byte[] chunk, int at, Layout layout, Labels labels, String source, long recordIndex,
                               long recordOffset) {
        if (layout == Layout.CIFAR10) {
            return checkLabel(chunk[at], 10, "label", source, recordIndex, recordOffset);
        }
        int coarse = checkLabel(chunk[at], 20, "coarse label", source, recordIndex, recordOffset);
        int fine = checkLabel(chunk[at + 1], 100, "fine label", source, recordIndex, recordOffset + 1);
        return labels == Labels.COARSE ? coarse : fine;
    }

    private static int checkLabel(byte b, int classes, String what, String source, long recordIndex, long offset) {
        int label = b & 0xFF;
        if (label >= classes) {
            throw DataFormatException.atOffset(source, offset, what + " " + label + " of record " + recordIndex
                    + " is out of range, expected 0 to " + (classes - 1));
        }
        return label;
    }

    private static String describe(Layout layout) {
        return "a " + layout.title() + " record of " + layout.recordBytes() + " bytes: " + layout.labelBytes()
                + " label byte" + (layout.labelBytes() == 1 ? "" : "s") + " + " + PIXELS + " pixel bytes";
    }

    private static IllegalArgumentException notFound(Path file, IOException e) {
        return new IllegalArgumentException("CIFAR file not found: " + file, e);
    }

    private static UncheckedIOException unreadable(Path file, IOException e) {
        return new UncheckedIOException("cannot read CIFAR file " + file + ": " + e.getMessage(), e);
    }
}
