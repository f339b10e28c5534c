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
 * @param action     e.g. {@code quarantine}, {@code release}, {@code policy-apply} or {@code policy-refuse}
 * @param targetKind {@code device}, {@code user} or {@code policy}
 * @param target     the device id, the user, or the policy version
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
