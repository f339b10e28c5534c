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
 * not release anyone. Lookups are map probes on the request path; changes are written to the
 * file before they are answered (write-then-rename), and take effect on the next request.
 *
 * <p>This is the embedded store of one node; the shared store (several replicas) comes with
 * the admin plane.
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
     * @param id       the device id, or the user's username or subject
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
                quarantine.holds(hold.kind()).put(hold.id(), hold);
            }
        }
        return quarantine;
    }

    public boolean deviceHeld(Optional<String> deviceId) {
        return !devices.isEmpty() && deviceId.isPresent() && devices.containsKey(deviceId.get());
    }

    /** A user is held by their username (the staff id people see) or by their subject. */
    public boolean userHeld(Identity identity) {
        return !users.isEmpty() && (users.containsKey(identity.username()) || users.containsKey(identity.subject()));
    }

    /** Places a hold (replacing an earlier one on the same id). Blocking: the file is written first. */
    public synchronized Hold hold(Kind kind, String id, String reason, String operator, Instant now)
            throws IOException {
        Hold hold = new Hold(kind, id, reason, operator, now);
        Hold previous = holds(kind).put(id, hold);
        try {
            save();
        } catch (IOException e) {
            restore(kind, id, previous);
            throw e;
        }
        return hold;
    }

    /** Lifts a hold; empty when there was none. Blocking: the file is written first. */
    public synchronized Optional<Hold> release(Kind kind, String id) throws IOException {
        Hold previous = holds(kind).remove(id);
        if (previous == null) {
            return Optional.empty();
        }
        try {
            save();
        } catch (IOException e) {
            holds(kind).put(id, previous);
            throw e;
        }
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

    private void restore(Kind kind, String id, Hold previous) {
        if (previous == null) {
            holds(kind).remove(id);
        } else {
            holds(kind).put(id, previous);
        }
    }

    private void save() throws IOException {
        JsonArray holds = new JsonArray();
        list().forEach(h -> holds.add(h.toJson()));
        PrivateFiles.write(file, new JsonObject().put("holds", holds).encodePrettily());
    }
}
