package jp.sekisho.session;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.storage.PrivateFiles;

/**
 * Sessions an administrator ended: single sessions by id, and every session of a user begun
 * before a moment. Checked on every request; kept in a file in the data directory so a restart
 * does not bring them back (the shared store comes with the admin plane).
 */
public final class Revocations {

    private final Path file;
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>(); // sid -> session expiry
    private final Map<String, Instant> users = new ConcurrentHashMap<>();    // "iss|sub" -> sessions before this

    private Revocations(Path file) {
        this.file = file;
    }

    /** Blocking. */
    public static Revocations load(Path dataDir) throws IOException {
        Revocations revocations = new Revocations(dataDir.resolve("session-revocations.json"));
        if (Files.exists(revocations.file)) {
            JsonObject json = new JsonObject(Files.readString(revocations.file, StandardCharsets.UTF_8));
            json.getJsonObject("sessions", new JsonObject()).forEach(e ->
                    revocations.sessions.put(e.getKey(), Instant.parse((String) e.getValue())));
            json.getJsonObject("users", new JsonObject()).forEach(e ->
                    revocations.users.put(e.getKey(), Instant.parse((String) e.getValue())));
        }
        return revocations;
    }

    public boolean isRevoked(Session session) {
        if (sessions.containsKey(session.id())) {
            return true;
        }
        Instant cutoff = users.get(userKey(session.identity().issuer(), session.identity().subject()));
        return cutoff != null && !session.issuedAt().isAfter(cutoff);
    }

    /** Ends one session. Blocking (writes the file). */
    public void revokeSession(String sessionId, Instant until) throws IOException {
        sessions.put(sessionId, until);
        save();
    }

    /** Ends every session of the user that began at or before {@code now}. Blocking. */
    public void revokeUser(String issuer, String subject, Instant now) throws IOException {
        users.put(userKey(issuer, subject), now);
        save();
    }

    private static String userKey(String issuer, String subject) {
        return issuer + "|" + subject;
    }

    private synchronized void save() throws IOException {
        JsonObject sessionsJson = new JsonObject();
        sessions.forEach((k, v) -> sessionsJson.put(k, v.toString()));
        JsonObject usersJson = new JsonObject();
        users.forEach((k, v) -> usersJson.put(k, v.toString()));
        PrivateFiles.write(file, new JsonObject().put("sessions", sessionsJson).put("users", usersJson)
                .encodePrettily());
    }
}
