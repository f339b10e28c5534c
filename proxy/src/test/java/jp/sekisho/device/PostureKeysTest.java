package jp.sekisho.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import jp.sekisho.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A posture service's keys follow its JWKS file: rotation, removal, and bad edits that change nothing. */
class PostureKeysTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private int edits;

    private Path write(ECKey... keys) throws IOException {
        Path file = dir.resolve("jwks.json");
        JWKSet set = new JWKSet(java.util.Arrays.stream(keys).map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                .toList());
        Files.writeString(file, set.toString());
        // a distinct modification time per edit, whatever the file system's resolution
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(++edits)));
        return file;
    }

    private static ECKey key(String id) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(id).generate();
    }

    @Test
    void aChangedFileIsReadAtABoundedRateAndCountsAsANewGeneration() throws Exception {
        ECKey old = key("2026-11");
        ECKey next = key("2026-12");
        PostureKeys keys = PostureKeys.load("mdm", write(old), clock);
        assertEquals(0, keys.generation());

        write(old, next);
        clock.advance(Duration.ofSeconds(6));
        assertTrue(keys.rereadIfChanged());
        assertEquals(1, keys.generation());
        assertTrue(keys.current().getKeyByKeyId("2026-12") != null);

        write(next); // the old key removed, e.g. after a compromise
        assertFalse(keys.rereadIfChanged(), "not again within 5 s");
        clock.advance(Duration.ofSeconds(6));
        assertTrue(keys.rereadIfChanged());
        assertEquals(2, keys.generation());
        assertEquals(null, keys.current().getKeyByKeyId("2026-11"));

        clock.advance(Duration.ofSeconds(6));
        assertFalse(keys.rereadIfChanged(), "an unchanged file is not a new generation");
        assertEquals(2, keys.generation());
    }

    @Test
    void aBrokenEditKeepsTheLastGoodKeys() throws Exception {
        PostureKeys keys = PostureKeys.load("mdm", write(key("2026-11")), clock);
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, "{\"keys\": [");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-06-01T00:00:00Z")));
        clock.advance(Duration.ofSeconds(6));
        assertFalse(keys.rereadIfChanged());
        assertTrue(keys.current().getKeyByKeyId("2026-11") != null);
        assertEquals(0, keys.generation());
    }

    @Test
    void privateKeysAreNeverTakenForAPublicKeySet() throws Exception {
        Path file = dir.resolve("private.json");
        Files.writeString(file, new JWKSet(key("oops")).toString(false));
        IOException refused = assertThrows(IOException.class, () -> PostureKeys.load("mdm", file, clock));
        assertTrue(refused.getMessage().contains("private key"), refused.getMessage());
    }
}
