package jp.sekisho.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's action, audited like a request: who did what to which device or user, when,
 * from where, and why.
 *
 * @param id         a unique id for the action
 * @param time       when it took effect
 * @param operator   who did it, as they identified themselves
 * @param source     the address the action came from
 * @param action     e.g. {@code quarantine} or {@code release}
 * @param targetKind {@code device} or {@code user}
 * @param target     the device id or user
 * @param reason     the operator's reason
 */
public record AdminRecord(String id, Instant time, String operator, String source, String action, String targetKind,
                          String target, String reason) implements AuditEntry {

    public AdminRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetKind, "targetKind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
    }
}
