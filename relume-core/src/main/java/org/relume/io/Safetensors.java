package org.relume.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.relume.tensor.Tensor;

/**
 * Reads and writes the safetensors format (Hugging Face), Relume's file format for tensors:
 *
 * <pre>
 *   bytes [0, 8)          N, the header length: unsigned 64-bit little-endian
 *   bytes [8, 8 + N)      header: UTF-8 JSON object, padded with spaces
 *                         { "__metadata__": {"key": "value", ...},            (optional, strings only)
 *                           "name": {"dtype": "F32", "shape": [d0, d1, ...],
 *                                    "data_offsets": [begin, end]}, ... }
 *   bytes [8 + N, EOF)    data buffer: each tensor's elements, row-major, little-endian, at
 *                         [begin, end) relative to the start of the buffer
 * </pre>
 *
 * <p>It was chosen because a file written here loads in PyTorch, JAX or NumPy through the
 * {@code safetensors} library and back, and because the format holds nothing executable.
 *
 * <p>Relume tensors are float32, so this class writes and reads only dtype {@code F32}. The writer
 * lays the tensors out contiguously in the map's order and pads the header with spaces so that the
 * data buffer starts at a multiple of 8 bytes. The reader checks the whole header against the file
 * size before it allocates anything large, and rejects every deviation with a
 * {@link ModelFormatException} that names the file, the tensor or field, and what was expected.
 */
public final class Safetensors {
    /**
     * Largest header accepted, in bytes. A header holds one entry of about 100 bytes per tensor, so
     * even {@link #MAX_TENSORS} tensors fit; the reference library allows 100 MB, but a header that
     * size takes seconds and gigabytes to parse (issue 18) and no Relume model comes near it.
     */
    public static final long MAX_HEADER_BYTES = 8L << 20;

    /**
     * Most entries (tensors and {@value #METADATA_KEY} pairs) a header may list. A network has two
     * tensors per layer and one per learnable stage, so a 10,000-layer model needs about 30,000.
     */
    public static final int MAX_TENSORS = 65_536;

    /** The header key reserved for free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    /** The one dtype Relume reads and writes. */
    public static final String F32 = "F32";

    private static final int PREFIX_BYTES = 8;
    private static final int ALIGNMENT = 8;
    private static final int F32_BYTES = 4;
    private static final int CHUNK_BYTES = 1 << 20;
    /** The largest element count of one Java array (as {@code Tensor} allows it). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Dtypes of the safetensors specification that Relume recognises but cannot load. */
    private static final Set<String> OTHER_KNOWN_DTYPES = Set.of(
            "BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64",
            "F16", "BF16", "F64", "C64",
            "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4");

    private static final List<String> ENTRY_FIELDS = List.of("dtype", "shape", "data_offsets");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Safetensors() {
    }

    /**
     * One tensor's header entry.
     *
     * @param name  the tensor's name in the file
     * @param dtype always {@link #F32} in a header this class returns
     * @param shape the dimensions (a copy is kept and a copy is returned)
     * @param begin first byte, relative to the start of the data buffer
     * @param end   one past the last byte, relative to the start of the data buffer
     */
    public record TensorInfo(String name, String dtype, int[] shape, long begin, long end) {
        public TensorInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** The number of elements, the product of the shape (1 for a scalar). */
        public long numel() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** {@code end - begin}. */
        public long byteLength() {
            return end - begin;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
                    && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
        }
    }

    /**
     * A validated header, without the tensor data.
     *
     * @param headerLength N, the length of the JSON header in bytes (padding included)
     * @param tensors      the entries in data-offset order; unmodifiable
     * @param metadata     the {@code __metadata__} strings in file order, empty if absent; unmodifiable
     */
    public record Header(long headerLength, List<TensorInfo> tensors, Map<String, String> metadata) {
        public Header {
            tensors = List.copyOf(tensors);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** Where the data buffer starts in the file: 8 + N. */
        public long dataStart() {
            return PREFIX_BYTES + headerLength;
        }

        /** The tensor names in data-offset order. */
        public List<String> names() {
            return tensors.stream().map(TensorInfo::name).toList();
        }
    }

    /**
     * A file's tensors and metadata.
     *
     * @param tensors  name to tensor, in data-offset order; the map and tensors belong to the caller
     * @param metadata the {@code __metadata__} strings, empty if absent; unmodifiable
     */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ------------------------------------------------------------------------------------------
    // writing

    /**
     * Writes {@code tensors} as F32 in the map's iteration order, contiguously, with
     * {@code metadata} as {@code __metadata__} (left out when empty), atomically through
     * {@link AtomicFiles}: the file is either fully written or left as it was.
     *
     * <p>Only the first {@link Tensor#numel()} values of each tensor's array are written.
     *
     * @param file     the file to create or replace. Modified.
     * @param tensors  name to tensor; names must not be null or {@value #METADATA_KEY}. Not modified.
     * @param metadata string pairs, or null for none. Not modified.
     * @throws IllegalArgumentException for a null or reserved name, a null tensor, null metadata keys
     *                                  or values, more than {@link #MAX_TENSORS} entries, or a header
     *                                  over {@link #MAX_HEADER_BYTES}
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new IllegalArgumentException("cannot write " + file + ": a tensor name is null");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("cannot write " + file + ": the tensor name " + METADATA_KEY
                        + " is reserved for the metadata");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("cannot write " + file + ": tensor '" + name + "' is null");
            }
            entries.add(Map.entry(name, e.getValue()));
        }
        int count = entries.size() + (metadata == null ? 0 : metadata.size());
        if (count > MAX_TENSORS) {
            throw new IllegalArgumentException("cannot write " + file + ": " + count + " tensors and metadata pairs,"
                    + " but a header lists at most " + MAX_TENSORS + " (readers refuse more)");
        }
        byte[] header = headerBytes(file, entries, metadata == null ? Map.of() : metadata);

        AtomicFiles.write(file, out -> {
            ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length);
            out.write(prefix.array());
            out.write(header);
            writeData(out, entries);
        });
    }

    /** The JSON header, padded with spaces so that 8 + its length is a multiple of 8. */
    private static byte[] headerBytes(Path file, List<Map.Entry<String, Tensor>> entries, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            Map<String, String> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new IllegalArgumentException("cannot write " + file + ": metadata entry " + m.getKey()
                            + " = " + m.getValue() + " has a null key or value");
                }
                meta.put(m.getKey(), m.getValue());
            }
            header.put(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : entries) {
            long bytes = (long) F32_BYTES * e.getValue().numel();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", F32);
            entry.put("shape", e.getValue().shape());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode the safetensors header for " + file, ex);
        }
        int padding = (ALIGNMENT - (PREFIX_BYTES + json.length) % ALIGNMENT) % ALIGNMENT;
        if (json.length + padding > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("cannot write " + file + ": the header would be "
                    + (json.length + padding) + " bytes, over the safetensors limit of " + MAX_HEADER_BYTES);
        }
        byte[] padded = Arrays.copyOf(json, json.length + padding);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void writeData(OutputStream out, List<Map.Entry<String, Tensor>> entries) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = chunk.asFloatBuffer();
        for (Map.Entry<String, Tensor> e : entries) {
            float[] data = e.getValue().data();
            int n = e.getValue().numel();
            for (int i = 0; i < n; ) {
                int k = Math.min(n - i, floats.capacity());
                floats.clear();
                floats.put(data, i, k);
                out.write(chunk.array(), 0, k * F32_BYTES);
                i += k;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // reading

    /**
     * Reads every tensor and the metadata, after validating the whole header against the file and
     * checking that the tensors fit in the free heap.
     *
     * @throws ModelFormatException if the file is not a well-formed F32 safetensors file, or its
     *                              tensors need more memory than the heap has free
     * @throws IOException          if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = parseHeader(file, channel);
            requireHeapFor(file, header);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorInfo info : header.tensors()) {
                float[] values = new float[(int) info.numel()];
                long position = header.dataStart() + info.begin();
                int filled = 0;
                while (filled < values.length) {
                    int count = Math.min(values.length - filled, CHUNK_BYTES / F32_BYTES);
                    chunk.clear().limit(count * F32_BYTES);
                    readFully(file, channel, position, chunk, "tensor '" + info.name() + "'");
                    chunk.flip();
                    chunk.asFloatBuffer().get(values, filled, count);
                    filled += count;
                    position += (long) count * F32_BYTES;
                }
                tensors.put(info.name(), Tensor.wrap(values, info.shape()));
            }
            return new Contents(tensors, header.metadata());
        }
    }

    /**
     * Reads and validates the header only (names, shapes, offsets, metadata), without reading tensor
     * data: the checks are the same as {@link #read}'s.
     *
     * @throws ModelFormatException if the file is not a well-formed F32 safetensors file
     * @throws IOException          if the file cannot be read
     */
    public static Header readHeader(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return parseHeader(file, channel);
        }
    }

    private static Header parseHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < PREFIX_BYTES) {
            throw new ModelFormatException(file, "the file is " + fileSize + " bytes long; a safetensors file"
                    + " starts with an 8-byte header length, so it needs at least 8 bytes");
        }
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, 0, prefix, "the header length");
        long headerLength = prefix.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(file, 0, "the header length is " + Long.toUnsignedString(headerLength)
                    + " bytes; expected at most " + MAX_HEADER_BYTES + ", room for " + MAX_TENSORS + " tensors (this is probably"
                    + " not a safetensors file, or not a model's)");
        }
        if (headerLength > fileSize - PREFIX_BYTES) {
            throw new ModelFormatException(file, 0, "the header length is " + headerLength + " bytes, but only "
                    + (fileSize - PREFIX_BYTES) + " bytes follow the 8-byte length in this " + fileSize
                    + "-byte file (truncated, or not a safetensors file)");
        }
        ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, PREFIX_BYTES, headerBuffer, "the header");
        byte[] headerBytes = headerBuffer.array();
        requireUtf8(file, headerBytes);
        JsonNode root = parseJson(file, headerBytes);

        long bufferSize = fileSize - PREFIX_BYTES - headerLength;
        long dataStart = PREFIX_BYTES + headerLength;
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                tensors.add(parseEntry(file, field.getKey(), field.getValue(), bufferSize, dataStart));
            }
        }
        // stable: zero-size tensors sharing an offset keep their header order
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        requireExactCover(file, tensors, bufferSize, dataStart);
        return new Header(headerLength, tensors, metadata);
    }

    /**
     * Refuses, in one line, tensors that cannot fit in the heap, instead of an OutOfMemoryError part
     * way through (which may hit another thread). The tensors take as many bytes as the data buffer
     * they tile; free heap is estimated as the maximum heap less what is in use now, which counts
     * uncollected garbage as used and so errs towards refusing only when a collection could help.
     */
    private static void requireHeapFor(Path file, Header header) {
        long needed = 0;
        for (TensorInfo t : header.tensors()) {
            needed += t.byteLength();
        }
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        long free = runtime.maxMemory() - used;
        if (needed > free) {
            long suggestGiB = (needed + used) / (1L << 30) + 2;
            throw new ModelFormatException(file, "its tensors need " + needed + " bytes (" + gib(needed)
                    + ") of memory, but only " + gib(free) + " of the Java heap is free (maximum " + gib(runtime.maxMemory())
                    + "); run Java with a larger heap, e.g. -Xmx" + suggestGiB + "g (the relume launcher reads"
                    + " RELUME_JAVA_OPTS)");
        }
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static void requireUtf8(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new ModelFormatException(file, PREFIX_BYTES + in.position(), "the header is not valid UTF-8 ("
                        + result.length() + " malformed byte(s)); expected UTF-8 JSON text");
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    private static JsonNode parseJson(Path file, byte[] headerBytes) {
        requireFewEntries(file, headerBytes);
        JsonNode root;
        try (JsonParser parser = JSON.createParser(headerBytes)) {
            root = JSON.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                long offset = parser.currentTokenLocation().getByteOffset();
                throw new ModelFormatException(file, offset >= 0 ? PREFIX_BYTES + offset : -1, "the header has more"
                        + " JSON after its top-level value; expected one JSON object followed only by spaces");
            }
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            long offset = where != null && where.getByteOffset() >= 0 ? PREFIX_BYTES + where.getByteOffset() : -1;
            throw new ModelFormatException(file, offset, "the header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(file, PREFIX_BYTES, "the header could not be parsed as JSON: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelFormatException(file, PREFIX_BYTES, "the header is empty (or only spaces); expected a"
                    + " JSON object mapping tensor names to {dtype, shape, data_offsets}");
        }
        if (!root.isObject()) {
            throw new ModelFormatException(file, PREFIX_BYTES, "the header is " + describe(root) + "; expected a"
                    + " JSON object mapping tensor names to {dtype, shape, data_offsets}");
        }
        return root;
    }

    /**
     * Counts the header's entries as its tokens stream past, building nothing, and refuses the file
     * at the first entry over {@link #MAX_TENSORS}: a tree of 1.6 million tiny entries took 27 s and
     * 2.3 GB before the entries themselves were checked (issue 18). Malformed JSON is left to the
     * full parse, which reports it with its position.
     */
    private static void requireFewEntries(Path file, byte[] headerBytes) {
        try (JsonParser parser = JSON.createParser(headerBytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            int entries = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean metadata = METADATA_KEY.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (metadata && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        countEntry(file, parser, ++entries);
                        parser.nextToken();
                        parser.skipChildren();
                    }
                } else {
                    countEntry(file, parser, ++entries);
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            // reported by the full parse
        } catch (IOException e) {
            throw new ModelFormatException(file, PREFIX_BYTES, "the header could not be parsed as JSON: " + e.getMessage(), e);
        }
    }

    private static void countEntry(Path file, JsonParser parser, int entries) {
        if (entries > MAX_TENSORS) {
            long offset = parser.currentTokenLocation().getByteOffset();
            throw new ModelFormatException(file, offset >= 0 ? PREFIX_BYTES + offset : -1, "the header lists more"
                    + " than " + MAX_TENSORS + " entries (tensors and " + METADATA_KEY + " pairs); expected at most "
                    + MAX_TENSORS + " (a model has two per layer)");
        }
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new ModelFormatException(file, METADATA_KEY + " is " + describe(node)
                    + "; expected an object of string values");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new ModelFormatException(file, METADATA_KEY + " value for key '" + m.getKey() + "' is "
                        + describe(m.getValue()) + "; expected a string");
            }
            metadata.put(m.getKey(), m.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode entry, long bufferSize, long dataStart) {
        String what = "tensor '" + name + "'";
        if (!entry.isObject()) {
            throw new ModelFormatException(file, what + " is " + describe(entry)
                    + "; expected an object with dtype, shape and data_offsets");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ENTRY_FIELDS.contains(key)) {
                throw new ModelFormatException(file, what + " has an unexpected field '" + key
                        + "'; expected only dtype, shape and data_offsets");
            }
        }

        JsonNode dtypeNode = entry.get("dtype");
        if (dtypeNode == null) {
            throw new ModelFormatException(file, what + " has no dtype; expected \"" + F32 + "\"");
        }
        if (!dtypeNode.isTextual()) {
            throw new ModelFormatException(file, what + " has dtype " + describe(dtypeNode)
                    + "; expected the string \"" + F32 + "\"");
        }
        String dtype = dtypeNode.textValue();
        if (!dtype.equals(F32)) {
            if (OTHER_KNOWN_DTYPES.contains(dtype)) {
                throw new ModelFormatException(file, what + " has dtype " + dtype + ", which Relume does not load;"
                        + " only F32 (float32) is supported: convert the tensor to float32 first");
            }
            throw new ModelFormatException(file, what + " has unknown dtype \"" + dtype + "\"; expected \"" + F32 + "\"");
        }

        JsonNode shapeNode = entry.get("shape");
        if (shapeNode == null) {
            throw new ModelFormatException(file, what + " has no shape; expected an array of non-negative integers");
        }
        if (!shapeNode.isArray()) {
            throw new ModelFormatException(file, what + " has shape " + describe(shapeNode)
                    + "; expected an array of non-negative integers");
        }
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new ModelFormatException(file, what + " has shape " + shapeNode + ": dimension " + i + " is "
                        + describe(d) + "; expected a non-negative integer");
            }
            if (d.longValue() > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, what + " has shape " + shapeNode + ": dimension " + i + " is "
                        + d.longValue() + "; expected at most " + Integer.MAX_VALUE);
            }
            shape[i] = d.intValue();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(file, what + " has shape " + shapeNode
                        + ", whose element count overflows a 64-bit integer");
            }
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(numel, F32_BYTES);
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, what + " has shape " + shapeNode + " with " + numel
                    + " elements, whose byte size overflows a 64-bit integer");
        }

        JsonNode offsetsNode = entry.get("data_offsets");
        String expectedOffsets = "; expected two non-negative integers [begin, end] with begin <= end";
        if (offsetsNode == null) {
            throw new ModelFormatException(file, what + " has no data_offsets" + expectedOffsets);
        }
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new ModelFormatException(file, what + " has data_offsets " + offsetsNode + expectedOffsets);
        }
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offsetsNode.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new ModelFormatException(file, what + " has data_offsets " + offsetsNode + ": "
                        + (i == 0 ? "begin" : "end") + " is " + describe(o) + expectedOffsets);
            }
            offsets[i] = o.longValue();
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new ModelFormatException(file, what + " has data_offsets " + offsetsNode + ": begin is after end"
                    + expectedOffsets);
        }
        if (end - begin != expectedBytes) {
            throw new ModelFormatException(file, what + " has shape " + shapeNode + " and dtype F32, so it needs "
                    + numel + " x 4 = " + expectedBytes + " bytes, but its data_offsets " + offsetsNode + " span "
                    + (end - begin) + " bytes");
        }
        if (end > bufferSize) {
            throw new ModelFormatException(file, dataStart + bufferSize, what + " has data_offsets " + offsetsNode
                    + ", but the data buffer holds only " + bufferSize + " bytes (file bytes " + dataStart + " to "
                    + (dataStart + bufferSize) + "); expected end <= " + bufferSize + ": the file is truncated");
        }
        if (numel > MAX_ELEMENTS) {
            throw new ModelFormatException(file, what + " has " + numel + " elements; a Relume tensor holds at most "
                    + MAX_ELEMENTS);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** The format requires the entries, in offset order, to tile the data buffer: no holes, no overlaps. */
    private static void requireExactCover(Path file, List<TensorInfo> sorted, long bufferSize, long dataStart) {
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw new ModelFormatException(file, dataStart + t.begin(), "tensor '" + t.name() + "' (data_offsets ["
                        + t.begin() + ", " + t.end() + "]) overlaps tensor '" + previous.name() + "' (data_offsets ["
                        + previous.begin() + ", " + previous.end() + "]); expected each byte of the data buffer"
                        + " to belong to exactly one tensor");
            }
            if (t.begin() > covered) {
                String after = previous == null ? "the start of the data buffer"
                        : "tensor '" + previous.name() + "' (ends at " + previous.end() + ")";
                throw new ModelFormatException(file, dataStart + covered, "data buffer bytes [" + covered + ", "
                        + t.begin() + ") belong to no tensor: a hole between " + after + " and tensor '" + t.name()
                        + "' (begins at " + t.begin() + "); expected the tensors to cover the data buffer exactly");
            }
            covered = t.end();
            previous = t;
        }
        if (covered < bufferSize) {
            throw new ModelFormatException(file, dataStart + covered, "the data buffer is " + bufferSize
                    + " bytes but the tensors cover only the first " + covered + "; expected no trailing bytes after"
                    + " the last tensor, found " + (bufferSize - covered));
        }
    }

    /** Fills {@code buffer} from {@code position}; the file ending first is a format error. */
    private static void readFully(Path file, FileChannel channel, long position, ByteBuffer buffer, String what)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new ModelFormatException(file, at, "the file ended while reading " + what + "; expected "
                        + buffer.remaining() + " more bytes (did the file change while it was read?)");
            }
            at += n;
        }
    }

    /** A JSON value as a message shows it: its kind, and its text when short. */
    private static String describe(JsonNode node) {
        String kind = switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "the integer" : "the number";
            case BOOLEAN -> "the boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
        if (node.isNull()) {
            return kind;
        }
        String text = node.toString();
        return text.length() <= 60 ? kind + " " + text : kind + " " + text.substring(0, 57) + "...";
    }
}
