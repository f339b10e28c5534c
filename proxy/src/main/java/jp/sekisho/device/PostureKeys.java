package jp.sekisho.device;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The public keys of one posture service, from a JWK Set file the municipality controls.
 * Re-read when a token names a key the proxy does not know (so a posture service can rotate
 * keys by publishing the new file first) and every half minute (so a key removed after a
 * compromise stops verifying), at most every 5 s. A file that stops parsing keeps the last
 * good keys serving.
 */
public final class PostureKeys {

    private static final Logger LOG = Logger.getLogger(PostureKeys.class.getName());
    private static final Duration MIN_REREAD = Duration.ofSeconds(5);

    private final String issuerId;
    private final Path file;
    private final Clock clock;
    private volatile JWKSet keys;
    private volatile long generation;
    private FileTime readModified;
    private Instant lastRead = Instant.EPOCH;

    private PostureKeys(String issuerId, Path file, Clock clock, JWKSet keys, FileTime modified) {
        this.issuerId = issuerId;
        this.file = file;
        this.clock = clock;
        this.keys = keys;
        this.readModified = modified;
    }

    /** Reads the file now; fails when it is missing, not a JWK Set, or holds a private key. */
    public static PostureKeys load(String issuerId, Path file, Clock clock) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        return new PostureKeys(issuerId, file, clock, read(file), modified);
    }

    public String issuerId() {
        return issuerId;
    }

    public JWKSet current() {
        return keys;
    }

    /** Counts the readings of the file that changed the keys; results verified under an older one are re-verified. */
    public long generation() {
        return generation;
    }

    /** Re-reads the file if it changed and was not read moments ago. Blocking; true when keys changed. */
    public synchronized boolean rereadIfChanged() {
        Instant now = clock.instant();
        if (now.isBefore(lastRead.plus(MIN_REREAD))) {
            return false;
        }
        lastRead = now;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(readModified)) {
                return false;
            }
            keys = read(file);
            generation++;
            readModified = modified;
            LOG.info("posture issuer " + issuerId + ": keys re-read from " + file);
            return true;
        } catch (IOException e) {
            LOG.warning("posture issuer " + issuerId + ": keys not re-read, the last good ones stay: "
                    + e.getMessage());
            return false;
        }
    }

    /** Reads and checks a JWK Set file: public keys only, at least one. Blocking. */
    public static JWKSet read(Path file) throws IOException {
        JWKSet set;
        try {
            set = JWKSet.parse(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("cannot read '" + file + "': no such file", e);
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK Set: " + e.getMessage(), e);
        }
        for (JWK key : set.getKeys()) {
            if (key.isPrivate()) {
                throw new IOException(file + " holds a private key (kid " + key.getKeyID()
                        + "); give the proxy the public keys only");
            }
        }
        if (set.getKeys().isEmpty()) {
            throw new IOException(file + " holds no keys");
        }
        return set;
    }
}
