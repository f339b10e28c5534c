package jp.sekisho.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jp.sekisho.storage.PrivateFiles;

/**
 * The AES-256-GCM keys that seal browser session cookies. The newest key seals; every kept key
 * opens, so a rotation does not sign anyone out. Keys live in the data directory (0600) and a
 * new one is added when the newest is older than the rotation period.
 *
 * <p>A sealed value is {@code base64url(keyId(1) | iv(12) | ciphertext+tag)}; the caller's
 * associated data (cookie name and host) is authenticated too, so a cookie cannot be replayed
 * under another name or on another host.
 */
public final class SessionKeys {

    static final String FILE_NAME = "session-keys.json";
    private static final int KEEP = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<Integer, SecretKeySpec> keys; // id -> key, newest last
    private final int current;

    private SessionKeys(Map<Integer, SecretKeySpec> keys, int current) {
        this.keys = Map.copyOf(keys);
        this.current = current;
    }

    /** Loads the keys, adding a new one when the newest is older than {@code rotation}. Blocking. */
    public static SessionKeys loadOrCreate(Path keysDir, Duration rotation, Clock clock) throws IOException {
        Path file = keysDir.resolve(FILE_NAME);
        JsonArray stored = Files.exists(file)
                ? new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("keys")
                : new JsonArray();
        List<JsonObject> entries = new ArrayList<>();
        stored.forEach(e -> entries.add((JsonObject) e));
        Instant now = clock.instant();
        boolean rotate = entries.isEmpty() || Instant.parse(entries.get(entries.size() - 1).getString("created"))
                .plus(rotation).isBefore(now);
        if (rotate) {
            int nextId = entries.isEmpty() ? 1 : (entries.get(entries.size() - 1).getInteger("id") % 255) + 1;
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            entries.add(new JsonObject().put("id", nextId).put("created", now.toString())
                    .put("secret", Base64.getEncoder().encodeToString(secret)));
            while (entries.size() > KEEP) {
                entries.remove(0);
            }
            PrivateFiles.write(file, new JsonObject().put("keys", new JsonArray(new ArrayList<>(entries)))
                    .encodePrettily());
        }
        Map<Integer, SecretKeySpec> keys = new LinkedHashMap<>();
        for (JsonObject entry : entries) {
            keys.put(entry.getInteger("id"), new SecretKeySpec(Base64.getDecoder().decode(entry.getString("secret")),
                    "AES"));
        }
        return new SessionKeys(keys, entries.get(entries.size() - 1).getInteger("id"));
    }

    /** Encrypts and authenticates {@code plaintext} bound to {@code associatedData}. */
    public String seal(byte[] plaintext, String associatedData) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer out = ByteBuffer.allocate(1 + iv.length + sealed.length);
            out.put((byte) current).put(iv).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The plaintext, or empty when the value was not sealed by one of our keys for this data. */
    public Optional<byte[]> open(String value, String associatedData) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(value);
            if (raw.length < 1 + 12 + 16) {
                return Optional.empty();
            }
            SecretKeySpec key = keys.get(raw[0] & 0xff);
            if (key == null) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 1, 12));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return Optional.of(cipher.doFinal(raw, 13, raw.length - 13));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
