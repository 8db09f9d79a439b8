package org.relume.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relume.tensor.Tensor;

/** Round trips, the exact byte layout, and the format checks of {@link Safetensors}. */
class SafetensorsTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------- round trip

    @Test
    void roundTripKeepsOrderShapesExactBitsAndMetadata() throws IOException {
        // seed fixed so a failure can be replayed; any seed would do
        SplittableRandom random = new SplittableRandom(20240611L);
        float[] special = {
            1f, -0f, 0f, Float.MIN_VALUE, 1e-40f, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, -Float.MAX_VALUE,
            3.0e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scalar", Tensor.scalar(-0f));
        tensors.put("special", Tensor.of(special, special.length));
        tensors.put("empty", Tensor.zeros(3, 0)); // zero bytes, between two non-empty tensors
        tensors.put("layer.0.weight", Tensor.of(randomFloats(random, 6), 2, 3));
        tensors.put("conv", Tensor.of(randomFloats(random, 2 * 3 * 2 * 2), 2, 3, 2, 2));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("relume.seed", "42");
        metadata.put("ünïcødé", "✓ π");
        Path file = dir.resolve("model.safetensors");

        Safetensors.write(file, tensors, metadata);
        Safetensors.Contents back = Safetensors.read(file);

        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor expected = e.getValue();
            Tensor actual = back.tensors().get(e.getKey());
            assertArrayEquals(expected.shape(), actual.shape(), e.getKey());
            assertArrayEquals(rawBits(expected), rawBits(actual), e.getKey() + " bits");
        }
        assertEquals(metadata, back.metadata());
        assertEquals(0, Safetensors.readHeader(file).dataStart() % 8, "the data buffer starts 8-byte aligned");
    }

    @Test
    void roundTripOfTensorsLargerThanOneIoChunk() throws IOException {
        // 2.8 MB and an odd element count, so reads and writes take several 1 MiB chunks and a partial one
        SplittableRandom random = new SplittableRandom(7L);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("small", Tensor.of(randomFloats(random, 3), 3));
        tensors.put("big", Tensor.of(randomFloats(random, 700_001), 700_001));
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, tensors, null);
        Safetensors.Contents back = Safetensors.read(file);
        for (String name : tensors.keySet()) {
            assertArrayEquals(rawBits(tensors.get(name)), rawBits(back.tensors().get(name)), name);
        }
    }

    @Test
    void writesOnlyTheFirstNumelValuesOfALongerArray() throws IOException {
        float[] buffer = {1, 2, 3, 4, 99, 99, 99};
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, Map.of("t", Tensor.wrap(buffer, 2, 2)), null);

        Safetensors.Contents back = Safetensors.read(file);
        assertArrayEquals(new float[] {1, 2, 3, 4}, back.tensors().get("t").data());
        assertTrue(back.metadata().isEmpty());
    }

    @Test
    void roundTripOfNoTensorsAtAll() throws IOException {
        Path file = dir.resolve("none.safetensors");
        Safetensors.write(file, Map.of(), Map.of("note", "nothing here"));
        Safetensors.Contents back = Safetensors.read(file);
        assertTrue(back.tensors().isEmpty());
        assertEquals(Map.of("note", "nothing here"), back.metadata());
    }

    @Test
    void readHeaderGivesNamesShapesOffsetsAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.zeros(3, 2));
        tensors.put("b", Tensor.zeros(3));
        Path file = dir.resolve("h.safetensors");
        Safetensors.write(file, tensors, Map.of("arch", "mlp"));

        Safetensors.Header header = Safetensors.readHeader(file);
        assertEquals(List.of("w", "b"), header.names());
        assertEquals(new Safetensors.TensorInfo("w", "F32", new int[] {3, 2}, 0, 24), header.tensors().get(0));
        assertEquals(new Safetensors.TensorInfo("b", "F32", new int[] {3}, 24, 36), header.tensors().get(1));
        assertEquals(Map.of("arch", "mlp"), header.metadata());
        assertEquals(0, header.dataStart() % 8);
        assertEquals(Files.size(file), header.dataStart() + 36);
    }

    // -------------------------------------------------------------------------------- byte layout

    @Test
    void exactByteLayoutOfATinyFile() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Safetensors.write(file, Map.of("a", Tensor.of(new float[] {1.0f, -2.0f}, 2)), Map.of());

        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes
        byte[] expected = concat(
                new byte[] {56, 0, 0, 0, 0, 0, 0, 0},                // N = 56, little-endian u64
                (json + "  ").getBytes(StandardCharsets.US_ASCII),    // 54 + 2 spaces: 8 + 56 = 64
                new byte[] {0, 0, (byte) 0x80, 0x3f},                 // 1.0f  = 0x3f800000
                new byte[] {0, 0, 0, (byte) 0xc0});                   // -2.0f = 0xc0000000
        assertArrayEquals(expected, bytes);
    }

    @Test
    void exactByteLayoutWithMetadata() throws IOException {
        Path file = dir.resolve("meta.safetensors");
        Safetensors.write(file, Map.of("a", Tensor.of(new float[] {1.0f, -2.0f}, 2)), Map.of("k", "v"));

        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(79, json.length());
        assertEquals(80, ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals(json + " ", new String(bytes, 8, 80, StandardCharsets.UTF_8));
        assertEquals(8 + 80 + 8, bytes.length);
    }

    @Test
    void readsAHandBuiltFileWithUnalignedHeaderAndEntriesOutOfOrder() throws IOException {
        // "b" is listed first but its data comes second; metadata last; no padding at all
        String header = "{\"b\":{\"shape\":[],\"data_offsets\":[8,12],\"dtype\":\"F32\"},"
                + "\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8],\"shape\":[1,2]},"
                + "\"__metadata__\":{\"who\":\"hand\"}}";
        Path file = raw("hand.safetensors", header, floatsLE(0.5f, -0.25f, 7f));

        Safetensors.Contents c = Safetensors.read(file);
        assertEquals(List.of("a", "b"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {1, 2}, c.tensors().get("a").shape());
        assertArrayEquals(new float[] {0.5f, -0.25f}, c.tensors().get("a").toArray());
        assertEquals(0, c.tensors().get("b").rank());
        assertEquals(7f, c.tensors().get("b").item());
        assertEquals(Map.of("who", "hand"), c.metadata());
    }

    /**
     * Bytes written by the reference implementation (Hugging Face safetensors 0.8.0, its Rust
     * serializer) for: "e" F32 [3, 0]; "s" F32 scalar -0.0; "w" F32 [2, 3] = 1..6; metadata k=v.
     * Relume must read them, and write the same bytes for the same tensors in the same order.
     */
    private static final String REFERENCE_FILE_HEX =
            "c0000000000000007b225f5f6d657461646174615f5f223a7b226b223a2276227d2c2265223a7b226474797065223a22"
            + "463332222c227368617065223a5b332c305d2c22646174615f6f666673657473223a5b302c305d7d2c2273223a7b2264"
            + "74797065223a22463332222c227368617065223a5b5d2c22646174615f6f666673657473223a5b302c345d7d2c227722"
            + "3a7b226474797065223a22463332222c227368617065223a5b322c335d2c22646174615f6f666673657473223a5b342c"
            + "32385d7d7d202020000000800000803f0000004000004040000080400000a0400000c040";

    @Test
    void readsAndReproducesAFileWrittenByTheReferenceLibrary() throws IOException {
        byte[] reference = HexFormat.of().parseHex(REFERENCE_FILE_HEX);
        Path file = write("reference.safetensors", reference);

        Safetensors.Contents c = Safetensors.read(file);
        assertEquals(List.of("e", "s", "w"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {3, 0}, c.tensors().get("e").shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c.tensors().get("s").item()));
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("w").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.tensors().get("w").toArray());
        assertEquals(Map.of("k", "v"), c.metadata());

        Path ours = dir.resolve("ours.safetensors");
        Safetensors.write(ours, c.tensors(), c.metadata());
        assertArrayEquals(reference, Files.readAllBytes(ours));
    }

    @Test
    void writeRejectsReservedAndNullNamesAndNullTensors() {
        Path file = dir.resolve("bad.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, reserved, null));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());

        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, nullTensor, null));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    // ----------------------------------------------------------------------------- malformed files

    @Test
    void rejectsAFileShorterThanEightBytes() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        assertRejected(file, "5 bytes long", "at least 8 bytes");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFile() throws IOException {
        Path file = rawWithLength("beyond.safetensors", 100, "{}".getBytes(StandardCharsets.US_ASCII));
        assertRejected(file, "header length is 100 bytes", "only 2 bytes follow");
    }

    @Test
    void rejectsAnAbsurdHeaderLength() throws IOException {
        Path huge = rawWithLength("huge.safetensors", 1L << 40, "{}".getBytes(StandardCharsets.US_ASCII));
        assertRejected(huge, "header length is 1099511627776 bytes", "at most " + Safetensors.MAX_HEADER_BYTES);
        Path negative = rawWithLength("allones.safetensors", -1L, "{}".getBytes(StandardCharsets.US_ASCII));
        assertRejected(negative, "header length is 18446744073709551615 bytes", "not a safetensors file");
    }

    @Test
    void rejectsAHeaderOverAFewMegabytesFromItsLengthAlone() throws IOException {
        // Issue 18: a 95 MB header took 27 s and 2.3 GB before it was refused. A model's header has
        // one short entry per tensor, so 20 MB can only be an attack or garbage; the file is sparse.
        long length = 20L << 20;
        Path file = dir.resolve("big-header.safetensors");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(u64(length)), 0);
            channel.write(ByteBuffer.wrap(new byte[] {' '}), 8 + length - 1);
        }
        assertRejected(file, "header length is " + length + " bytes", "at most " + Safetensors.MAX_HEADER_BYTES);
        assertTrue(Safetensors.MAX_HEADER_BYTES < length);
    }

    @Test
    void rejectsAHeaderWithTooManyEntriesBeforeBuildingThem() throws IOException {
        // 70,000 empty tensors: a well-formed file, and one no Relume model comes near; counting
        // the entries as the JSON streams past stops it before a tree of them is built.
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 70_000; i++) {
            header.append(i == 0 ? "" : ",").append(body("t" + i, "[0]", "[0,0]"));
        }
        header.append('}');
        ModelFormatException e = assertRejected(raw("many.safetensors", header.toString(), new byte[0]),
                "more than " + Safetensors.MAX_TENSORS + " entries");
        assertTrue(e.byteOffset() > 8, "the offset points at the first entry over the cap: " + e.byteOffset());
    }

    @Test
    void writeRefusesMoreTensorsThanReadAccepts() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i <= Safetensors.MAX_TENSORS; i++) {
            tensors.put("t" + i, Tensor.zeros(0));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(dir.resolve("many.safetensors"), tensors, null));
        assertTrue(e.getMessage().contains("at most " + Safetensors.MAX_TENSORS), e.getMessage());
    }

    @Test
    void declaredDataBeyondTheFileIsRefusedBeforeAllocating() throws IOException {
        // 10^10 floats declared, 8 bytes present: the size check comes before any array is made.
        assertRejected(raw("claims.safetensors", entry("w", "F32", "[100000,100000]", "[0,40000000000]"), new byte[8]),
                "data_offsets [0,40000000000]", "holds only 8 bytes", "truncated");
    }

    @Test
    void refusesTensorsLargerThanTheFreeHeapBeforeAllocating() throws IOException {
        long maxHeap = Runtime.getRuntime().maxMemory();
        Assumptions.assumeTrue(maxHeap < (64L << 30), "the heap is unbounded or larger than a sparse test file");
        // Enough 1 GiB tensors to exceed the whole heap, in a sparse file that takes no disk space.
        long each = 1L << 30;
        int count = (int) (maxHeap / each) + 2;
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            header.append(i == 0 ? "" : ",").append(body("t" + i, "[" + each / 4 + "]", "[" + i * each + "," + (i + 1) * each + "]"));
        }
        header.append('}');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("huge.safetensors");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(concat(u64(headerBytes.length), headerBytes)), 0);
            channel.write(ByteBuffer.wrap(new byte[] {0}), 8 + headerBytes.length + count * each - 1);
        }
        assertEquals(count, Safetensors.readHeader(file).tensors().size(), "the header itself is fine");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("need " + count * each + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("of the Java heap is free"), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    void rejectsAHeaderThatIsNotJson() throws IOException {
        assertRejected(raw("notjson.safetensors", "{\"a\": nope}", new byte[0]), "not valid JSON");
        ModelFormatException twice = assertRejected(raw("trailing-json.safetensors", "{} {}", new byte[0]),
                "more JSON after its top-level value");
        assertEquals(8 + 3, twice.byteOffset());
        assertRejected(raw("dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[0]),
                "not valid JSON", "Duplicate field 'a'");
        Path badUtf8 = rawBytes("utf8.safetensors", new byte[] {'{', '"', (byte) 0xc3, '(', '"', ':', '1', '}'},
                new byte[0]);
        ModelFormatException e = assertRejected(badUtf8, "not valid UTF-8");
        assertEquals(10, e.byteOffset(), "the bad byte is the third of the header, at file byte 8 + 2");
    }

    @Test
    void rejectsJsonThatIsNotAnObject() throws IOException {
        assertRejected(raw("array.safetensors", "[1, 2, 3]", new byte[0]), "an array [1,2,3]", "expected a JSON object");
        assertRejected(raw("blank.safetensors", "        ", new byte[0]), "header is empty", "expected a JSON object");
        assertRejected(raw("entry.safetensors", "{\"w\": 3}", new byte[0]),
                "tensor 'w' is the integer 3", "expected an object with dtype, shape and data_offsets");
    }

    @Test
    void rejectsUnsupportedDtypesNamingDtypeAndTensor() throws IOException {
        for (String dtype : List.of("F16", "BF16", "F64", "I32", "U8", "BOOL")) {
            Path file = raw("dtype-" + dtype + ".safetensors",
                    entry("w", dtype, "[2]", "[0,8]"), new byte[8]);
            assertRejected(file, "tensor 'w' has dtype " + dtype, "only F32");
        }
        assertRejected(raw("unknown.safetensors", entry("w", "Q7", "[2]", "[0,8]"), new byte[8]),
                "tensor 'w' has unknown dtype \"Q7\"", "expected \"F32\"");
        assertRejected(raw("nodtype.safetensors", "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' has no dtype");
    }

    @Test
    void rejectsBadShapes() throws IOException {
        assertRejected(raw("negative.safetensors", entry("w", "F32", "[2,-3]", "[0,0]"), new byte[0]),
                "tensor 'w' has shape [2,-3]", "dimension 1 is the integer -3", "expected a non-negative integer");
        assertRejected(raw("fraction.safetensors", entry("w", "F32", "[2.5]", "[0,8]"), new byte[8]),
                "dimension 0 is the number 2.5");
        assertRejected(raw("noshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' has no shape");
        assertRejected(raw("overflow.safetensors",
                entry("w", "F32", "[2147483647,2147483647,2147483647]", "[0,8]"), new byte[8]),
                "overflows a 64-bit integer");
    }

    @Test
    void rejectsOffsetsThatDoNotMatchTheShape() throws IOException {
        assertRejected(raw("mismatch.safetensors", entry("w", "F32", "[2,3]", "[0,20]"), new byte[20]),
                "tensor 'w' has shape [2,3]", "needs 6 x 4 = 24 bytes", "span 20 bytes");
        assertRejected(raw("reversed.safetensors", entry("w", "F32", "[0]", "[8,4]"), new byte[8]),
                "begin is after end");
        assertRejected(raw("oneoffset.safetensors", entry("w", "F32", "[2]", "[8]"), new byte[8]),
                "data_offsets [8]", "expected two non-negative integers");
        assertRejected(raw("negoffset.safetensors", entry("w", "F32", "[2]", "[-8,0]"), new byte[8]),
                "begin is the integer -8");
    }

    @Test
    void rejectsOverlappingEntries() throws IOException {
        String header = "{" + body("a", "[2]", "[0,8]") + "," + body("b", "[2]", "[4,12]") + "}";
        ModelFormatException e = assertRejected(raw("overlap.safetensors", header, new byte[12]),
                "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8])");
        assertEquals(8 + header.length() + 4, e.byteOffset());
    }

    @Test
    void rejectsAHoleInTheBuffer() throws IOException {
        String header = "{" + body("a", "[2]", "[0,8]") + "," + body("b", "[2]", "[12,20]") + "}";
        ModelFormatException e = assertRejected(raw("hole.safetensors", header, new byte[20]),
                "data buffer bytes [8, 12) belong to no tensor", "tensor 'a'", "tensor 'b'");
        assertEquals(8 + header.length() + 8, e.byteOffset());
        String late = "{" + body("a", "[2]", "[4,12]") + "}";
        assertRejected(raw("late.safetensors", late, new byte[12]), "start of the data buffer");
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.zeros(4, 4)), null);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 4));
        assertRejected(file, "tensor 'w' has data_offsets [0,64]", "holds only 60 bytes", "truncated");

        Files.write(file, Arrays.copyOf(whole, 20)); // cut inside the header
        assertRejected(file, "only 12 bytes follow");
    }

    @Test
    void rejectsTrailingGarbageAfterTheBuffer() throws IOException {
        Path file = dir.resolve("garbage.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.zeros(2)), null);
        long size = Files.size(file);
        Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        ModelFormatException e = assertRejected(file, "cover only the first 8", "found 3");
        assertEquals(size, e.byteOffset());
    }

    @Test
    void rejectsMalformedMetadataAndUnexpectedFields() throws IOException {
        assertRejected(raw("metanum.safetensors", "{\"__metadata__\":{\"epochs\":3}}", new byte[0]),
                "__metadata__ value for key 'epochs' is the integer 3", "expected a string");
        assertRejected(raw("metaarray.safetensors", "{\"__metadata__\":[]}", new byte[0]),
                "__metadata__ is an array");
        assertRejected(raw("extra.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"stride\":[1]}}", new byte[0]),
                "tensor 'w' has an unexpected field 'stride'");
    }

    // ---------------------------------------------------------------------------------- helpers

    /** Both readers must reject the file with a message naming it and containing each fragment. */
    private static ModelFormatException assertRejected(Path file, String... fragments) {
        ModelFormatException fromRead = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        ModelFormatException fromHeader = assertThrows(ModelFormatException.class, () -> Safetensors.readHeader(file));
        assertEquals(fromRead.getMessage(), fromHeader.getMessage());
        String message = fromRead.getMessage();
        assertTrue(message.startsWith(file.toString()), "message must name the file: " + message);
        assertEquals(file, fromRead.file());
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
        return fromRead;
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "{\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    }

    private static String body(String name, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    /** A file with a correct length prefix, the given header text (unpadded) and data buffer. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        return rawBytes(name, header.getBytes(StandardCharsets.UTF_8), data);
    }

    private Path rawBytes(String name, byte[] header, byte[] data) throws IOException {
        return write(name, concat(u64(header.length), header, data));
    }

    /** A file whose length prefix says {@code length}, followed by {@code rest}. */
    private Path rawWithLength(String name, long length, byte[] rest) throws IOException {
        return write(name, concat(u64(length), rest));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] floatsLE(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static float[] randomFloats(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static int[] rawBits(Tensor t) {
        int[] bits = new int[t.numel()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(t.data()[i]);
        }
        return bits;
    }
}
