package jp.sekisho.policy.lint;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing lint found: a stable id (for suppressing and for tickets), how serious it is,
 * where, and what to do about it.
 */
public record Finding(String id, Severity severity, String app, Optional<String> rule, String message) {

    /** How serious a finding is; lint can gate a change on a severity. */
    public enum Severity {
        INFO, WARNING, ERROR;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return String.format("%-7s %s %s%s: %s", severity.code(), id, app, rule.map(r -> "/" + r).orElse(""), message);
    }
}
