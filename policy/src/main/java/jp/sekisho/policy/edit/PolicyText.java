package jp.sekisho.policy.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A policy document as administrators wrote it, edited one app at a time. An app is cut out as
 * the YAML its author wrote (comments included) and a replacement is spliced into the same
 * lines, so the rest of the document, comments and all, stays as it was. Every splice is checked
 * by parsing the result; a document whose layout defeats splicing (flow style) is written out
 * again whole instead, which keeps its meaning but not its comments.
 */
public final class PolicyText {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One app of the document.
     *
     * @param id       its id
     * @param tenant   its 団体コード, when it has one
     * @param yaml     its YAML, as written, without the list indentation
     * @param firstLine the document line (from 1) where it starts
     * @param node     its parsed form
     */
    public record AppEntry(String id, Optional<String> tenant, String yaml, int firstLine, JsonNode node) {
    }

    private final String text;
    private final JsonNode root;
    private final List<AppEntry> apps;
    private final int[] itemLines;  // for each app, [first line, end line) (0-based); last entry: sequence end
    private final int[] itemColumns; // for each app, [dash column, content column]

    private PolicyText(String text, JsonNode root, List<AppEntry> apps, int[] itemLines, int[] itemColumns) {
        this.text = text;
        this.root = root;
        this.apps = apps;
        this.itemLines = itemLines;
        this.itemColumns = itemColumns;
    }

    /** Reads a policy document; a syntax error is reported with its line. */
    public static PolicyText parse(String name, String text) throws ConfigException {
        JsonNode root = SourceDocument.parse(name, text).root();
        List<String> lines = text.lines().toList();
        Node node = compose(text);
        List<AppEntry> apps = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        SequenceNode sequence = appsSequence(node);
        if (sequence != null && root.path("apps").isArray()) {
            List<Node> items = sequence.getValue();
            int sequenceEnd = endLine(node, sequence, lines.size());
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                int first = item.getStartMark().map(m -> m.getLine()).orElse(0);
                int content = item.getStartMark().map(m -> m.getColumn()).orElse(0);
                int end = i + 1 < items.size() ? items.get(i + 1).getStartMark().map(m -> m.getLine()).orElse(first + 1)
                        : sequenceEnd;
                String line = first < lines.size() ? lines.get(first) : "";
                int dash = line.lastIndexOf('-', Math.max(0, content - 1));
                JsonNode app = root.path("apps").get(i);
                apps.add(new AppEntry(app.path("id").asText(""),
                        app.hasNonNull("tenant") ? Optional.of(app.path("tenant").asText()) : Optional.empty(),
                        dedent(lines, first, end, content), first + 1, app));
                bounds.add(first);
                columns.add(Math.max(0, dash));
                columns.add(content);
            }
            bounds.add(sequenceEnd);
        }
        return new PolicyText(text, root, List.copyOf(apps), bounds.stream().mapToInt(Integer::intValue).toArray(),
                columns.stream().mapToInt(Integer::intValue).toArray());
    }

    public String text() {
        return text;
    }

    public JsonNode root() {
        return root;
    }

    public List<AppEntry> apps() {
        return apps;
    }

    public Optional<AppEntry> app(String id) {
        return apps.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /**
     * The document with app {@code id} replaced by {@code yaml} (an app written at the left
     * margin, as {@link AppEntry#yaml} gives it).
     */
    public Edit replaceApp(String id, String yaml) throws ConfigException {
        int index = indexOf(id);
        JsonNode replacement = fragment(yaml);
        ArrayNode expected = ((ArrayNode) root.path("apps")).deepCopy();
        expected.set(index, replacement);
        List<String> lines = new ArrayList<>(text.lines().toList());
        List<String> indented = indent(yaml, itemColumns[2 * index], itemColumns[2 * index + 1]);
        List<String> out = new ArrayList<>(lines.subList(0, itemLines[index]));
        out.addAll(indented);
        out.addAll(lines.subList(Math.min(itemLines[index + 1], lines.size()), lines.size()));
        return checked(String.join("\n", out) + "\n", expected, itemLines[index] + 1, itemColumns[2 * index + 1]);
    }

    /** The document with {@code yaml} added as the last app. */
    public Edit addApp(String yaml) throws ConfigException {
        JsonNode added = fragment(yaml);
        ArrayNode expected = root.path("apps").isArray() ? ((ArrayNode) root.path("apps")).deepCopy()
                : JSON.createArrayNode();
        expected.add(added);
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (apps.isEmpty()) {
            return rewritten(expected);
        }
        int last = apps.size() - 1;
        int at = Math.min(itemLines[last + 1], lines.size());
        List<String> out = new ArrayList<>(lines.subList(0, at));
        out.addAll(indent(yaml, itemColumns[2 * last], itemColumns[2 * last + 1]));
        out.addAll(lines.subList(at, lines.size()));
        return checked(String.join("\n", out) + "\n", expected, at + 1, itemColumns[2 * last + 1]);
    }

    /** The document without app {@code id}. */
    public Edit removeApp(String id) throws ConfigException {
        int index = indexOf(id);
        ArrayNode expected = ((ArrayNode) root.path("apps")).deepCopy();
        expected.remove(index);
        List<String> lines = new ArrayList<>(text.lines().toList());
        List<String> out = new ArrayList<>(lines.subList(0, itemLines[index]));
        out.addAll(lines.subList(Math.min(itemLines[index + 1], lines.size()), lines.size()));
        return checked(String.join("\n", out) + "\n", expected, 0, 0);
    }

    /**
     * A changed document.
     *
     * @param text      the whole new document
     * @param firstLine where the changed app starts in it (from 1), 0 when no app text was placed
     * @param indent    how many columns the app's lines were moved right when placed in the list
     */
    public record Edit(String text, int firstLine, int indent) {

        public Edit(String text, int firstLine) {
            this(text, firstLine, 0);
        }

        /** An error in the whole document moved to where it is in the app's own text, when it is in there. */
        public ConfigError inApp(ConfigError error, String appName, int appLines) {
            int line = error.line() - firstLine + 1;
            if (firstLine > 0 && line >= 1 && line <= appLines) {
                return new ConfigError(appName, line, Math.max(1, error.column() - indent), error.path(),
                        error.message());
            }
            return error;
        }
    }

    private int indexOf(String id) {
        for (int i = 0; i < apps.size(); i++) {
            if (apps.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no app " + id);
    }

    private Edit checked(String candidate, ArrayNode expectedApps, int firstLine, int indent) throws ConfigException {
        ObjectNode expected = ((ObjectNode) root).deepCopy();
        expected.set("apps", expectedApps);
        try {
            if (SourceDocument.parse("edit", candidate).root().equals(expected)) {
                return new Edit(candidate, firstLine, indent);
            }
        } catch (ConfigException e) {
            // the splice broke the layout: write the document out whole
        }
        return rewritten(expectedApps);
    }

    private Edit rewritten(ArrayNode expectedApps) {
        ObjectNode expected = ((ObjectNode) root).deepCopy();
        expected.set("apps", expectedApps);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(0).setWidth(120).build();
        Object plain = JSON.convertValue(expected, Map.class);
        return new Edit(new Dump(settings).dumpToString(plain), 0);
    }

    private static JsonNode fragment(String yaml) throws ConfigException {
        JsonNode node = SourceDocument.parse("app", yaml).root();
        if (!node.isObject()) {
            throw new ConfigException(List.of(new ConfigError("app", 1, 1, "", "an app is a mapping (id, hosts, upstream, allow, ...)")));
        }
        return node;
    }

    private static Node compose(String text) {
        LoadSettings settings = LoadSettings.builder().setLabel("policy").build();
        return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode()
                .orElse(null);
    }

    private static SequenceNode appsSequence(Node root) {
        if (root instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("apps")
                        && tuple.getValueNode() instanceof SequenceNode sequence) {
                    return sequence;
                }
            }
        }
        return null;
    }

    /** The line after the apps list: the next top-level key's, or the end of the text. */
    private static int endLine(Node root, SequenceNode sequence, int lineCount) {
        boolean after = false;
        for (NodeTuple tuple : ((MappingNode) root).getValue()) {
            if (after) {
                return tuple.getKeyNode().getStartMark().map(m -> m.getLine()).orElse(lineCount);
            }
            after = tuple.getValueNode() == sequence;
        }
        return lineCount;
    }

    private static String dedent(List<String> lines, int first, int end, int column) {
        StringBuilder out = new StringBuilder();
        for (int i = first; i < Math.min(end, lines.size()); i++) {
            String line = lines.get(i);
            if (i == first) {
                out.append(line.length() > column ? line.substring(column) : "");
            } else {
                int strip = 0;
                while (strip < column && strip < line.length() && line.charAt(strip) == ' ') {
                    strip++;
                }
                out.append(line.substring(strip));
            }
            out.append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** {@code yaml} as one list item: a dash at column {@code dash}, its lines at column {@code content}. */
    static List<String> indent(String yaml, int dash, int content) {
        List<String> out = new ArrayList<>();
        String first = " ".repeat(dash) + "-" + " ".repeat(Math.max(1, content - dash - 1));
        String rest = " ".repeat(Math.max(dash + 2, content));
        boolean started = false;
        for (String line : yaml.stripTrailing().lines().toList()) {
            if (!started) {
                if (line.isBlank()) {
                    continue;
                }
                out.add(first + line);
                started = true;
            } else {
                out.add(line.isBlank() ? "" : rest + line);
            }
        }
        return out;
    }
}
