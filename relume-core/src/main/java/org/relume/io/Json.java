package org.relume.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Pretty JSON for Relume's human-readable files (model.json, summary.json), written atomically. */
public final class Json {
    private Json() {}

    /** The shared mapper: sorted nothing, indented output, NaN written as a JSON-incompatible token never. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * Reads files a person may have edited (model.json): a repeated field or text after the value is
     * an error, where the shared mapper would keep the last copy or stop reading without a word.
     */
    public static final ObjectReader STRICT_READER = MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** {@code value} (maps, lists, records, numbers, strings) as indented JSON text with a final newline. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(sanitize(value)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code file}, atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value));
    }

    /** JSON has no NaN or infinity: such doubles become null rather than invalid tokens. */
    private static Object sanitize(Object v) {
        if (v instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        if (v instanceof Float f && !Float.isFinite(f)) {
            return null;
        }
        if (v instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, sanitize(x)));
            return out;
        }
        if (v instanceof java.util.List<?> l) {
            return l.stream().map(Json::sanitize).toList();
        }
        return v;
    }
}
