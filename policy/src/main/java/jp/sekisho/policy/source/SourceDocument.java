package jp.sekisho.policy.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A YAML file read into a JSON tree that remembers where each value came from, so schema and
 * semantic checks can report {@code file:line:col} for any field.
 *
 * <p>Positions are kept per JSON pointer ({@code /apps/0/upstream}); for a mapping entry the
 * position is that of its key, which is where a person looks for a misspelt or wrong field.
 */
public final class SourceDocument {

    private static final int MAX_ALIASES = 50;

    private final String file;
    private final JsonNode root;
    private final Map<String, int[]> positions;
    private final SourceDocument overlay; // where the top-level keys it holds come from; null for none

    private SourceDocument(String file, JsonNode root, Map<String, int[]> positions, SourceDocument overlay) {
        this.file = file;
        this.root = root;
        this.positions = positions;
        this.overlay = overlay;
    }

    /**
     * This document with the top-level {@code sections} taken from {@code other} instead (those
     * it lacks are dropped): how a policy kept apart from the settings file is checked together
     * with them. Errors in those sections are reported at their place in {@code other}.
     */
    public SourceDocument overlay(SourceDocument other, java.util.Set<String> sections) {
        ObjectNode combined = ((ObjectNode) root).deepCopy();
        sections.forEach(combined::remove);
        ObjectNode policy = (ObjectNode) other.root;
        policy.fieldNames().forEachRemaining(name -> combined.set(name, policy.get(name)));
        return new SourceDocument(file, combined, positions, other);
    }

    /**
     * The text of the top-level entries named in {@code sections}, each with the comments and
     * lines it spans, in file order: the policy part of a configuration file, as its author wrote
     * it. Empty when the file has none of them.
     */
    public static String sectionsText(String text, java.util.Set<String> sections) throws ConfigException {
        LoadSettings settings = LoadSettings.builder().setLabel("sections").build();
        Node node;
        try {
            node = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)))
                    .getSingleNode().orElse(null);
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(new ConfigError("", 0, 0, "", "YAML syntax: " + firstLine(e.getMessage()))));
        }
        if (!(node instanceof MappingNode mapping)) {
            return "";
        }
        List<NodeTuple> entries = mapping.getValue();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            Node key = entries.get(i).getKeyNode();
            if (!(key instanceof ScalarNode scalar) || !sections.contains(scalar.getValue())) {
                continue;
            }
            int from = lineStart(text, key.getStartMark().map(Mark::getIndex).orElse(0));
            int to = i + 1 < entries.size()
                    ? lineStart(text, entries.get(i + 1).getKeyNode().getStartMark().map(Mark::getIndex).orElse(text.length()))
                    : text.length();
            String part = text.substring(from, to);
            out.append(part);
            if (!part.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static int lineStart(String text, int index) {
        int nl = text.lastIndexOf('\n', Math.max(0, index - 1));
        return index == 0 ? 0 : nl + 1;
    }

    /** Parses YAML text; a syntax error or a duplicate key is reported with its position. */
    public static SourceDocument parse(String file, String text) throws ConfigException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .build();
        Node node;
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            node = composer.getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark();
            throw new ConfigException(List.of(new ConfigError(file, mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0), "", "YAML syntax: " + firstLine(e.getProblem()))));
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "", "YAML syntax: " + firstLine(e.getMessage()))));
        }
        if (node == null) {
            throw new ConfigException(List.of(new ConfigError(file, 1, 1, "", "the file is empty")));
        }
        Map<String, int[]> positions = new HashMap<>();
        List<ConfigError> errors = new ArrayList<>();
        JsonNode root = new Converter(file, positions, errors).convert(node, "");
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new SourceDocument(file, root, positions, null);
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /**
     * An error located at a JSON pointer; when the pointer names nothing in the file (a missing
     * field), the nearest enclosing value that exists gives the position.
     */
    public ConfigError error(String pointer, String message) {
        if (overlay != null && overlay.root.has(topLevelName(pointer))) {
            return overlay.error(pointer, message);
        }
        String p = pointer;
        int[] at = positions.get(p);
        while (at == null && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
            at = positions.get(p);
        }
        int line = at == null ? 0 : at[0];
        int column = at == null ? 0 : at[1];
        return new ConfigError(file, line, column, displayPath(pointer), message);
    }

    private static String topLevelName(String pointer) {
        int end = pointer.indexOf('/', 1);
        String token = end < 0 ? pointer.substring(Math.min(1, pointer.length())) : pointer.substring(1, end);
        return token.replace("~1", "/").replace("~0", "~");
    }

    /** {@code /apps/0/upstream} as people write it: {@code apps[0].upstream}. */
    public static String displayPath(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String token : pointer.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String name = token.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                out.append('[').append(name).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(name);
            }
        }
        return out.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Walks the YAML node graph into Jackson nodes, recording positions by pointer. */
    private record Converter(String file, Map<String, int[]> positions, List<ConfigError> errors) {

        JsonNode convert(Node node, String pointer) {
            positions.putIfAbsent(pointer, position(node));
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (node instanceof MappingNode mapping) {
                ObjectNode object = f.objectNode();
                for (NodeTuple tuple : mapping.getValue()) {
                    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                        errors.add(located(tuple.getKeyNode(), pointer, "keys must be plain names"));
                        continue;
                    }
                    String childPointer = pointer + "/" + key.getValue().replace("~", "~0").replace("/", "~1");
                    if (object.has(key.getValue())) {
                        errors.add(located(key, childPointer, "duplicate key '" + key.getValue() + "'"));
                        continue;
                    }
                    positions.put(childPointer, position(key));
                    object.set(key.getValue(), convert(tuple.getValueNode(), childPointer));
                }
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = f.arrayNode();
                int i = 0;
                for (Node item : sequence.getValue()) {
                    array.add(convert(item, pointer + "/" + i++));
                }
                return array;
            }
            ScalarNode scalar = (ScalarNode) node;
            return scalar(scalar, f);
        }

        private JsonNode scalar(ScalarNode scalar, JsonNodeFactory f) {
            String value = scalar.getValue();
            Tag tag = scalar.getTag();
            try {
                if (Tag.NULL.equals(tag)) {
                    return f.nullNode();
                }
                if (Tag.BOOL.equals(tag)) {
                    return f.booleanNode(Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT)));
                }
                if (Tag.INT.equals(tag)) {
                    return f.numberNode(new BigInteger(value.replace("_", "")));
                }
                if (Tag.FLOAT.equals(tag)) {
                    return f.numberNode(Double.parseDouble(value));
                }
            } catch (NumberFormatException e) {
                return f.textNode(value);
            }
            return f.textNode(value);
        }

        private ConfigError located(Node node, String pointer, String message) {
            int[] at = position(node);
            return new ConfigError(file, at[0], at[1], displayPath(pointer), message);
        }

        private static int[] position(Node node) {
            return node.getStartMark()
                    .map(m -> new int[] {m.getLine() + 1, m.getColumn() + 1})
                    .orElse(new int[] {0, 0});
        }
    }
}
