package jp.sekisho.cli;

import picocli.CommandLine.Option;

/** {@code --from} and {@code --to}: the two versions a diff compares. */
final class AdminVersionRange {

    @Option(names = "--from", paramLabel = "N", description = "the older version's number (default: the one before --to)")
    Long from;

    @Option(names = "--to", paramLabel = "N", description = "the newer version's number (default: the current)")
    Long to;

    /** The query string that asks for them, or "" for the defaults. */
    String query() {
        String query = (from == null ? "" : "&from=" + from) + (to == null ? "" : "&to=" + to);
        return query.isEmpty() ? "" : "?" + query.substring(1);
    }
}
