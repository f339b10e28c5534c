package jp.sekisho.policy.breakout.m365;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An allowlist entry an importer proposes, before it is written into the policy: only the fields
 * an importer fills (the administrator adds rules, MFA and posture to hand-written entries).
 *
 * @param id        the entry's id, such as {@code m365-46}
 * @param name      what people call it
 * @param domains   normalised domain patterns
 * @param ports     the TCP ports, ascending
 * @param addresses IP ranges a client may name directly; empty for none
 * @param category  the lower-case category
 * @param source    where it came from, such as {@code m365:2026103000}
 */
public record EntryDraft(String id, String name, List<String> domains, List<Integer> ports, List<String> addresses,
                         String category, String source) {

    public EntryDraft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        domains = List.copyOf(domains);
        ports = List.copyOf(ports);
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(source, "source");
    }

    /** This draft with fewer domains. */
    public EntryDraft withDomains(List<String> kept) {
        return new EntryDraft(id, name, kept, ports, addresses, category, source);
    }

    /** The entry as YAML at the left margin, lists in block style so that a new version diffs line by line. */
    public String yaml() {
        StringBuilder out = new StringBuilder();
        out.append("id: ").append(scalar(id)).append('\n');
        out.append("name: ").append(scalar(name)).append('\n');
        list(out, "domains", domains);
        out.append("ports: ").append(ports).append('\n');
        list(out, "addresses", addresses);
        out.append("category: ").append(scalar(category)).append('\n');
        out.append("source: ").append(scalar(source)).append('\n');
        return out.toString();
    }

    private static void list(StringBuilder out, String key, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        out.append(key).append(":\n");
        for (String value : values) {
            out.append("  - ").append(scalar(value)).append('\n');
        }
    }

    /** A plain scalar when it reads back as the same string, otherwise a double-quoted one. */
    static String scalar(String value) {
        return isPlain(value) ? value : quoted(value);
    }

    private static boolean isPlain(String value) {
        if (value.isEmpty() || !Character.isLetterOrDigit(value.charAt(0)) || value.endsWith(" ")
                || value.contains(": ") || value.contains(" #") || value.endsWith(":")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean safe = Character.isLetterOrDigit(c) || " ._-/():+".indexOf(c) >= 0;
            if (!safe) {
                return false;
            }
        }
        // words and numbers YAML reads as something other than a string
        String lower = value.toLowerCase(Locale.ROOT);
        return !(lower.equals("true") || lower.equals("false") || lower.equals("null") || lower.equals("yes")
                || lower.equals("no") || lower.equals("on") || lower.equals("off") || isNumeric(value));
    }

    private static boolean isNumeric(String value) {
        return value.matches("[-+]?(\\d[\\d_]*)?(\\.\\d*)?([eE][-+]?\\d+)?") || value.matches("0[xXoO][0-9a-fA-F_]+");
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The source's version: {@code 2026103000} of {@code m365:2026103000}. */
    public Optional<String> version() {
        int colon = source.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(source.substring(colon + 1));
    }
}
