package jp.sekisho.audit.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.audit.LineSafeEscapes;

/**
 * UTF-8 JSON Lines that no value can break: JSON escapes CR and LF, and U+2028 and U+2029 are
 * escaped here too, as the trail itself does. Also small helpers to build objects that leave out
 * what a record does not carry.
 */
final class JsonLines {

    private static final CharacterEscapes LINE_SAFE = LineSafeEscapes.INSTANCE;

    static final ObjectMapper JSON = new ObjectMapper();

    private final Writer out;
    private final JsonGenerator generator;

    JsonLines(OutputStream out) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        this.generator = JSON.getFactory().createGenerator(this.out);
        generator.setCharacterEscapes(LINE_SAFE);
        generator.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        generator.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
        generator.setRootValueSeparator(null);
    }

    void write(ObjectNode line) throws IOException {
        JSON.writeTree(generator, line);
        generator.flush();
        out.write('\n');
    }

    void close() throws IOException {
        generator.close();
        out.close();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Sets {@code name} unless {@code value} is null, an empty object or an empty list. */
    static ObjectNode put(ObjectNode node, String name, Object value) {
        if (value instanceof String s) {
            node.put(name, s);
        } else if (value instanceof Integer i) {
            node.put(name, i);
        } else if (value instanceof Long l) {
            node.put(name, l);
        } else if (value instanceof Boolean b) {
            node.put(name, b);
        } else if (value instanceof ObjectNode o) {
            if (!o.isEmpty()) {
                node.set(name, o);
            }
        } else if (value instanceof List<?> list) {
            if (!list.isEmpty()) {
                ArrayNode array = node.putArray(name);
                list.forEach(v -> array.add(String.valueOf(v)));
            }
        } else if (value != null) {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
        return node;
    }
}
