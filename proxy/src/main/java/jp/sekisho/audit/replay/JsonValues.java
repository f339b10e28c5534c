package jp.sekisho.audit.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading single values off a streaming parser, strictly: a wrong type is an unreadable line. */
final class JsonValues {

    private JsonValues() {
    }

    /** The string the parser is on. */
    static String text(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IOException(p.currentName() + " must be a string");
        }
        return p.getText();
    }

    static boolean bool(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new IOException(p.currentName() + " must be true or false");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    /** The array of strings the parser is on. */
    static List<String> strings(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IOException(p.currentName() + " must be an array");
        }
        List<String> values = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(text(p));
        }
        return values;
    }

    /**
     * The array of strings the parser is on, as a set: built directly, since the trail writes
     * sets sorted and without repeats; a repeat (a line not written by Sekisho) costs a copy.
     */
    static Set<String> stringSet(JsonParser p) throws IOException {
        String[] values = strings(p).toArray(new String[0]);
        try {
            return Set.of(values);
        } catch (IllegalArgumentException repeated) {
            return Set.copyOf(Arrays.asList(values));
        }
    }

    /** The entries as an immutable map, built directly; a repeated name makes the line unreadable. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> immutableMap(List<Map.Entry<String, V>> entries) throws IOException {
        try {
            return Map.ofEntries(entries.toArray(new Map.Entry[0]));
        } catch (IllegalArgumentException repeated) {
            throw new IOException("a name is repeated: " + repeated.getMessage());
        }
    }

    /** Moves to the next field of the object being read; false at its end. */
    static boolean nextField(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token == JsonToken.END_OBJECT) {
            return false;
        }
        if (token != JsonToken.FIELD_NAME) {
            throw new IOException("a field name was expected");
        }
        p.nextToken();
        return true;
    }

    static void expectObject(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(p.currentName() + " must be an object");
        }
    }
}
