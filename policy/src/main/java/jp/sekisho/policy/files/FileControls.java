package jp.sekisho.policy.files;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an app lets files do, by network segment.
 *
 * @param blockDownloadsFrom   segment ids whose terminals may not download files from the app
 *                             (a response with {@code Content-Disposition: attachment}, or of one
 *                             of {@code downloadContentTypes}); empty for none
 * @param downloadContentTypes media types treated as file downloads even when shown inline
 * @param maxUploadBytes       the largest request body the app accepts, when it limits one
 * @param refuseMyNumber       refuse an upload that carries a 個人番号 with a valid check digit
 */
public record FileControls(Set<String> blockDownloadsFrom, Set<String> downloadContentTypes,
                           Optional<Long> maxUploadBytes, boolean refuseMyNumber) {

    public static final FileControls NONE = new FileControls(Set.of(), Set.of(), Optional.empty(), false);

    public FileControls {
        blockDownloadsFrom = Set.copyOf(blockDownloadsFrom);
        downloadContentTypes = Set.copyOf(downloadContentTypes.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
        Objects.requireNonNull(maxUploadBytes, "maxUploadBytes");
    }

    /** True when a terminal in {@code segment} may not receive a response with these headers as a file. */
    public boolean blocksDownload(Optional<String> segment, String contentDisposition, String contentType) {
        if (segment.isEmpty() || !blockDownloadsFrom.contains(segment.get())) {
            return false;
        }
        if (contentDisposition != null
                && contentDisposition.strip().toLowerCase(Locale.ROOT).startsWith("attachment")) {
            return true;
        }
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return downloadContentTypes.contains(type);
    }

    /** True when uploads are inspected or limited: their bodies must pass through a check. */
    public boolean checksUploads() {
        return refuseMyNumber || maxUploadBytes.isPresent();
    }

    /**
     * The file name a {@code Content-Disposition} header gives, for the audit record: the
     * RFC 6266 {@code filename*} (UTF-8, percent-encoded, as Japanese names are sent) when
     * present, else {@code filename}.
     */
    public static Optional<String> fileName(String contentDisposition) {
        if (contentDisposition == null) {
            return Optional.empty();
        }
        Optional<String> plain = Optional.empty();
        for (String part : contentDisposition.split(";")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            if (key.equals("filename*")) {
                int quote = value.indexOf("''");
                if (quote >= 0) {
                    Optional<String> decoded = percentDecoded(value.substring(quote + 2));
                    if (decoded.isPresent()) {
                        return decoded; // else a malformed extended name: fall back to the plain one
                    }
                }
            } else if (key.equals("filename")) {
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                plain = value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return plain;
    }

    /** RFC 8187 value characters: %XX escapes of UTF-8; empty when malformed. */
    private static Optional<String> percentDecoded(String value) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
