package jp.sekisho.policy.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A configuration file's {@code breakout.allowlist} as its author wrote it, for importers: the
 * entries an importer wrote (by their {@code source}) are replaced by its new ones, by lines, so
 * every other entry and the rest of the file, comments included, stay as they were (the
 * technique of {@link PolicyText}). The new entries take the place of the first old one, or
 * follow the last entry; the sections are created when the file has none. Every result is
 * parsed again and compared with the intended document; a layout that defeats splicing (a flow
 * style {@code breakout} or {@code allowlist}) is refused rather than rewritten.
 */
public final class AllowlistText {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One entry of the allowlist.
     *
     * @param id     its id
     * @param source its {@code source}, when it has one
     * @param node   its parsed form
     */
    public record Entry(String id, Optional<String> source, JsonNode node) {

        /** True when an importer whose sources start with {@code prefix} wrote it. */
        public boolean importedBy(String prefix) {
            return source.isPresent() && source.get().startsWith(prefix);
        }
    }

    /** Where an item's lines are: [first, end) content lines (0-based), its dash and content columns. */
    private record Item(int first, int end, int dash, int content) {
    }

    private final String name;
    private final String text;
    private final String newline;
    private final List<String> lines;
    private final JsonNode root;
    private final List<Entry> entries;
    private final Layout layout;

    /** What the file holds now, and where new entries would go. */
    private record Layout(Kind kind, int keyLine, int column, List<Item> items) {
    }

    private enum Kind {
        /** No breakout section: both keys are appended at the end. */
        NO_SECTION,
        /** A breakout mapping without an allowlist: the key goes after the section's last line. */
        NO_LIST,
        /** An allowlist key with nothing (or []) after it: the items go after its line. */
        EMPTY_LIST,
        /** A block list of entries. */
        LIST
    }

    private AllowlistText(String name, String text, JsonNode root, List<Entry> entries, Layout layout) {
        this.name = name;
        this.text = text;
        this.newline = text.contains("\r\n") ? "\r\n" : "\n";
        this.lines = text.lines().toList();
        this.root = root;
        this.entries = entries;
        this.layout = layout;
    }

    /** Reads a configuration or policy file; a syntax error, or a layout that cannot be spliced, is reported. */
    public static AllowlistText parse(String name, String text) throws ConfigException {
        JsonNode root = SourceDocument.parse(name, text).root();
        if (!root.isObject()) {
            throw problem(name, "the file is not a mapping of sections");
        }
        List<String> lines = text.lines().toList();
        LoadSettings settings = LoadSettings.builder().setLabel(name).build();
        Node document = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)))
                .getSingleNode().orElseThrow();
        MappingNode top = (MappingNode) document;
        NodeTuple breakout = tuple(top, "breakout");
        if (breakout == null) {
            return new AllowlistText(name, text, root, List.of(), new Layout(Kind.NO_SECTION, 0, 0, List.of()));
        }
        if (!(breakout.getValueNode() instanceof MappingNode section) || section.getFlowStyle() == FlowStyle.FLOW
                || section.getValue().isEmpty()) {
            throw problem(name, "breakout is not written as a block mapping: write it with one key per line to"
                    + " import into it");
        }
        int column = section.getValue().get(0).getKeyNode().getStartMark().map(Mark::getColumn).orElse(2);
        NodeTuple allowlist = tuple(section, "allowlist");
        if (allowlist == null) {
            int after = contentEnd(lines, line(breakout.getKeyNode()) + 1, endLine(lines, section));
            return new AllowlistText(name, text, root, List.of(), new Layout(Kind.NO_LIST, after, column, List.of()));
        }
        int keyLine = line(allowlist.getKeyNode());
        int keyColumn = allowlist.getKeyNode().getStartMark().map(Mark::getColumn).orElse(column);
        Node value = allowlist.getValueNode();
        boolean emptyScalar = value instanceof ScalarNode scalar && scalar.getValue().isEmpty();
        boolean emptyFlow = value instanceof SequenceNode list && list.getValue().isEmpty()
                && list.getFlowStyle() == FlowStyle.FLOW && line(list) == keyLine && closesOnLine(lines.get(keyLine));
        if (emptyScalar || emptyFlow) {
            return new AllowlistText(name, text, root, List.of(),
                    new Layout(Kind.EMPTY_LIST, keyLine, keyColumn, List.of()));
        }
        if (!(value instanceof SequenceNode sequence) || sequence.getFlowStyle() == FlowStyle.FLOW) {
            throw problem(name, "breakout.allowlist is not written as a block list: write one '- id: ...' entry"
                    + " per item to import into it");
        }
        List<Node> nodes = sequence.getValue();
        int sequenceEnd = endLine(lines, sequence);
        List<Item> items = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int first = line(nodes.get(i));
            int content = nodes.get(i).getStartMark().map(Mark::getColumn).orElse(0);
            int next = i + 1 < nodes.size() ? line(nodes.get(i + 1)) : sequenceEnd;
            int dash = lines.get(first).lastIndexOf('-', Math.max(0, content - 1));
            items.add(new Item(first, contentEnd(lines, first + 1, next), Math.max(0, dash), content));
            JsonNode entry = root.path("breakout").path("allowlist").get(i);
            entries.add(new Entry(entry.path("id").asText(""), entry.path("source").isTextual()
                    ? Optional.of(entry.path("source").asText()) : Optional.empty(), entry));
        }
        return new AllowlistText(name, text, root, List.copyOf(entries),
                new Layout(Kind.LIST, keyLine, keyColumn, List.copyOf(items)));
    }

    public String text() {
        return text;
    }

    /** Every entry of the allowlist, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * The file with every entry whose source starts with {@code sourcePrefix} replaced by
     * {@code replacements} (each an entry written at the left margin).
     *
     * @throws ConfigException when a replacement is not a mapping, or the result would not read
     *                         back as intended
     */
    public String replaceImported(String sourcePrefix, List<String> replacements) throws ConfigException {
        List<JsonNode> added = new ArrayList<>();
        for (String yaml : replacements) {
            JsonNode node = SourceDocument.parse("entry", yaml).root();
            if (!node.isObject()) {
                throw problem("entry", "an allowlist entry is a mapping (id, domains, ...)");
            }
            added.add(node);
        }
        ArrayNode expected = JSON.createArrayNode();
        List<String> out = new ArrayList<>();
        String candidate = switch (layout.kind) {
            case NO_SECTION -> {
                out.addAll(lines);
                if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                    out.add("");
                }
                out.add("breakout:");
                out.add("  allowlist:");
                out.addAll(indented(replacements, 4, 6));
                expected.addAll(added);
                yield join(out);
            }
            case NO_LIST -> {
                out.addAll(lines.subList(0, layout.keyLine));
                out.add(" ".repeat(layout.column) + "allowlist:");
                out.addAll(indented(replacements, layout.column + 2, layout.column + 4));
                out.addAll(lines.subList(layout.keyLine, lines.size()));
                expected.addAll(added);
                yield join(out);
            }
            case EMPTY_LIST -> {
                out.addAll(lines.subList(0, layout.keyLine));
                out.add(lines.get(layout.keyLine).replaceFirst(" *\\[\\s*]", "").stripTrailing());
                out.addAll(indented(replacements, layout.column + 2, layout.column + 4));
                out.addAll(lines.subList(layout.keyLine + 1, lines.size()));
                expected.addAll(added);
                yield join(out);
            }
            case LIST -> spliced(sourcePrefix, replacements, added, expected);
        };
        ObjectNode intended = ((ObjectNode) root).deepCopy();
        ObjectNode section = intended.has("breakout") ? (ObjectNode) intended.get("breakout")
                : intended.putObject("breakout");
        section.set("allowlist", expected);
        try {
            if (SourceDocument.parse(name, candidate).root().equals(intended)) {
                return candidate;
            }
        } catch (ConfigException e) {
            // reported below: the splice broke the layout
        }
        throw problem(name, "the entries could not be placed without disturbing the file's layout: write"
                + " breakout.allowlist as a block list, one '- id: ...' entry per item");
    }

    private String spliced(String prefix, List<String> replacements, List<JsonNode> added, ArrayNode expected) {
        List<Item> items = layout.items;
        int insertAt = -1;
        boolean[] removed = new boolean[lines.size()];
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (entries.get(i).importedBy(prefix)) {
                if (insertAt < 0) {
                    insertAt = item.first;
                    expected.addAll(added);
                }
                for (int line = item.first; line < item.end; line++) {
                    removed[line] = true;
                }
            } else {
                expected.add(entries.get(i).node());
            }
        }
        if (insertAt < 0) {
            insertAt = items.get(items.size() - 1).end;
            expected.addAll(added);
        }
        Item model = items.get(0);
        List<String> out = new ArrayList<>();
        for (int line = 0; line <= lines.size(); line++) {
            if (line == insertAt) {
                out.addAll(indented(replacements, model.dash, model.content));
            }
            if (line < lines.size() && !removed[line]) {
                out.add(lines.get(line));
            }
        }
        return join(out);
    }

    private String join(List<String> out) {
        return String.join(newline, out) + newline;
    }

    /** Each entry as a list item: "- " before its first line, the rest moved right to its content column. */
    private static List<String> indented(List<String> entries, int dash, int content) {
        List<String> out = new ArrayList<>();
        for (String yaml : entries) {
            out.addAll(PolicyText.indent(yaml, dash, content));
        }
        return out;
    }

    private static NodeTuple tuple(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    private static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(0);
    }

    /**
     * The line after a block node: where the next token starts (its end mark), counting a line
     * the node's last value shares with nothing else (the end of a file without a final newline).
     */
    private static int endLine(List<String> lines, Node node) {
        Mark end = node.getEndMark().orElse(null);
        if (end == null || end.getLine() >= lines.size()) {
            return lines.size();
        }
        String line = lines.get(end.getLine());
        return line.substring(0, Math.min(end.getColumn(), line.length())).isBlank() ? end.getLine()
                : end.getLine() + 1;
    }

    /**
     * The end of a node's own lines: comments and blank lines before the next one belong to the
     * next (they are usually about it), so they stay when an entry is replaced.
     */
    private static int contentEnd(List<String> lines, int from, int end) {
        int last = Math.min(end, lines.size());
        while (last > from) {
            String line = lines.get(last - 1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                break;
            }
            last--;
        }
        return last;
    }

    /** True when the key's line ends its empty flow list there (nothing but a comment follows). */
    private static boolean closesOnLine(String line) {
        return line.matches("\\s*allowlist:\\s*\\[\\s*]\\s*(#.*)?");
    }

    private static ConfigException problem(String name, String message) {
        return new ConfigException(List.of(new ConfigError(name, 0, 0, "breakout.allowlist", message)));
    }
}
