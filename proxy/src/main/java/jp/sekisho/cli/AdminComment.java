package jp.sekisho.cli;

import picocli.CommandLine.Option;

/** {@code -m}: why a change is made, kept with the version and in the audit trail. */
final class AdminComment {

    @Option(names = {"-m", "--comment"}, paramLabel = "COMMENT",
            description = "why (kept with the version and in the audit trail)")
    String text;

    /** The comment as the API's header carries it. */
    String header() {
        return AdminClient.comment(text);
    }

    /** The comment as a JSON body carries it ("" for none). */
    String plain() {
        return text == null ? "" : text;
    }
}
