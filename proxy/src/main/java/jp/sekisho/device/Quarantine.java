package jp.sekisho.device;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.policy.Identity;

/**
 * Devices and users an operator has cut off. Lookups are map probes on the request path; a
 * change is stored (durably) before it takes effect or is answered, and applies from the next
 * request.
 *
 * <p>Ids are compared as {@link #key keys}: trimmed and lower-cased, because the same device
 * is spelled {@code LG-PC-0001} by the MDM and {@code lg-pc-0001} by the EDR, and the SOC
 * quarantines what its console shows. This is the replica's view, kept in memory for the
 * request path; the {@link jp.sekisho.store.PolicyStore store} keeps the holds, durably and for
 * every replica.
 */
public final class Quarantine {

    /** What is held. */
    public enum Kind {
        DEVICE, USER;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> parse(String text) {
            for (Kind kind : values()) {
                if (kind.code().equals(text)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One hold.
     *
     * @param kind     device or user
     * @param id       the device id, or the user's username or subject, as the operator wrote it
     * @param reason   why, in the operator's words
     * @param operator who placed it
     * @param since    when
     * @param tenant   the 団体コード of the administrator who placed it: only that tenant's
     *                 administrators see and lift it (empty: placed without a tenant)
     */
    public record Hold(Kind kind, String id, String reason, String operator, Instant since, Optional<String> tenant) {

        public Hold {
            Objects.requireNonNull(tenant, "tenant");
        }

        public Hold(Kind kind, String id, String reason, String operator, Instant since) {
            this(kind, id, reason, operator, since, Optional.empty());
        }

        public JsonObject toJson() {
            return new JsonObject().put("kind", kind.code()).put("id", id).put("reason", reason)
                    .put("operator", operator).put("since", since.toString()).put("tenant", tenant.orElse(null));
        }

        public static Hold fromJson(JsonObject json) {
            return new Hold(Kind.parse(json.getString("kind")).orElseThrow(), json.getString("id"),
                    json.getString("reason", ""), json.getString("operator", ""), Instant.parse(json.getString("since")),
                    Optional.ofNullable(json.getString("tenant")));
        }
    }

    private final Map<String, Hold> devices = new ConcurrentHashMap<>();
    private final Map<String, Hold> users = new ConcurrentHashMap<>();

    /** Nobody held; {@link #replaceAll} fills it from the store. */
    public Quarantine() {
    }

    /** How ids are compared: trimmed, lower case. */
    public static String key(String id) {
        return id.strip().toLowerCase(Locale.ROOT);
    }

    public boolean deviceHeld(Optional<String> deviceId) {
        return !devices.isEmpty() && deviceId.isPresent() && devices.containsKey(key(deviceId.get()));
    }

    /** A user is held by their username (the staff id people see) or by their subject. */
    public boolean userHeld(Identity identity) {
        return userHeld(identity.username(), identity.subject());
    }

    public boolean userHeld(String username, String subject) {
        return !users.isEmpty() && (users.containsKey(key(username)) || users.containsKey(key(subject)));
    }

    /** Everything held, as the store has it now: replaces what this replica knew. */
    public void replaceAll(List<Hold> holds) {
        Map<String, Hold> nextDevices = new java.util.HashMap<>();
        Map<String, Hold> nextUsers = new java.util.HashMap<>();
        for (Hold hold : holds) {
            (hold.kind() == Kind.DEVICE ? nextDevices : nextUsers).put(key(hold.id()), hold);
        }
        devices.keySet().retainAll(nextDevices.keySet());
        devices.putAll(nextDevices);
        users.keySet().retainAll(nextUsers.keySet());
        users.putAll(nextUsers);
    }

    /** A hold this replica placed, in force here at once (the store tells the others). */
    public void put(Hold hold) {
        holds(hold.kind()).put(key(hold.id()), hold);
    }

    /** The hold on the kind and id as this replica knows it. */
    public Optional<Hold> get(Kind kind, String id) {
        return Optional.ofNullable(holds(kind).get(key(id)));
    }

    /** A hold this replica lifted. */
    public void remove(Kind kind, String id) {
        holds(kind).remove(key(id));
    }

    /** Every hold, oldest first. */
    public List<Hold> list() {
        List<Hold> all = new ArrayList<>(devices.values());
        all.addAll(users.values());
        all.sort(Comparator.comparing(Hold::since).thenComparing(Hold::id));
        return all;
    }

    public int count(Kind kind) {
        return holds(kind).size();
    }

    private Map<String, Hold> holds(Kind kind) {
        return kind == Kind.DEVICE ? devices : users;
    }
}
