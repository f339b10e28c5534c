package jp.sekisho.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A cache key for a token: its SHA-256, so the cache holds no bearer tokens and lookups compare
 * digests in constant time rather than secrets character by character.
 */
public final class TokenKey {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private final byte[] digest;
    private final int hash;

    private TokenKey(byte[] digest) {
        this.digest = digest;
        this.hash = Arrays.hashCode(digest);
    }

    public static TokenKey of(String token) {
        return new TokenKey(SHA256.get().digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenKey key && MessageDigest.isEqual(digest, key.digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
