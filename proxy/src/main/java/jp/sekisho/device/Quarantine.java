package jp.sekisho.device;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.policy.Identity;
import jp.sekisho.storage.PrivateFiles;

/**
 * Devices and users an operator has cut off, kept in the data directory so a restart does
 * not release anyone. Lookups are map probes on the request path; a change is written to the
 * file (durably) before it takes effect or is answered, and applies from the next request.
 *
 * <p>Ids are compared as {@link #key keys}: trimmed and lower-cased, because the same device
 * is spelled {@code LG-PC-0001} by the MDM and {@code lg-pc-0001} by the EDR, and the SOC
 * quarantines what its console shows. This is the embedded store of one node; the shared
 * store (several replicas) comes with the admin plane.
 */
public final class Quarantine {

    public static final String FILE = "quarantine.json";

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
     */
    public record Hold(Kind kind, String id, String reason, String operator, Instant since) {
        JsonObject toJson() {
            return new JsonObject().put("kind", kind.code()).put("id", id).put("reason", reason)
                    .put("operator", operator).put("since", since.toString());
        }

        static Hold fromJson(JsonObject json) {
            return new Hold(Kind.parse(json.getString("kind")).orElseThrow(), json.getString("id"),
                    json.getString("reason", ""), json.getString("operator", ""), Instant.parse(json.getString("since")));
        }
    }

    private final Path file;
    private final Map<String, Hold> devices = new ConcurrentHashMap<>();
    private final Map<String, Hold> users = new ConcurrentHashMap<>();

    private Quarantine(Path file) {
        this.file = file;
    }

    /** Reads the holds from the data directory; a missing file means nobody is held. Blocking. */
    public static Quarantine load(Path dataDir) throws IOException {
        Quarantine quarantine = new Quarantine(dataDir.resolve(FILE));
        if (Files.exists(quarantine.file)) {
            JsonObject json = new JsonObject(Files.readString(quarantine.file, StandardCharsets.UTF_8));
            for (Object entry : json.getJsonArray("holds", new JsonArray())) {
                Hold hold = Hold.fromJson((JsonObject) entry);
                quarantine.holds(hold.kind()).put(key(hold.id()), hold);
            }
        }
        return quarantine;
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

    /** Places a hold (replacing an earlier one on the same id). Blocking: the file is written first. */
    public synchronized Hold hold(Kind kind, String id, String reason, String operator, Instant now)
            throws IOException {
        Hold hold = new Hold(kind, id.strip(), reason, operator, now);
        List<Hold> after = new ArrayList<>(list());
        after.removeIf(h -> h.kind() == kind && key(h.id()).equals(key(id)));
        after.add(hold);
        save(after);
        holds(kind).put(key(id), hold);
        return hold;
    }

    /** Lifts a hold; empty when there was none. Blocking: the file is written before the hold is lifted. */
    public synchronized Optional<Hold> release(Kind kind, String id) throws IOException {
        Hold previous = holds(kind).get(key(id));
        if (previous == null) {
            return Optional.empty();
        }
        List<Hold> after = new ArrayList<>(list());
        after.remove(previous);
        save(after);
        holds(kind).remove(key(id));
        return Optional.of(previous);
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

    private void save(List<Hold> holds) throws IOException {
        JsonArray json = new JsonArray();
        holds.stream().sorted(Comparator.comparing(Hold::since).thenComparing(Hold::id))
                .forEach(h -> json.add(h.toJson()));
        PrivateFiles.write(file, new JsonObject().put("holds", json).encodePrettily());
    }
}
