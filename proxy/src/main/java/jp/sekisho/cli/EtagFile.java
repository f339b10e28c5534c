package jp.sekisho.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The ETag of what {@code get -o FILE} wrote, kept in {@code FILE.etag}: the version the
 * edit in FILE starts from, which {@code put} sends as If-Match so that a change someone else
 * made meanwhile is not overwritten.
 */
final class EtagFile {

    private EtagFile() {
    }

    static Path beside(Path file) {
        return file.resolveSibling(file.getFileName() + ".etag");
    }

    static Optional<String> read(Path file) {
        Path etag = beside(file);
        if (!Files.isRegularFile(etag)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(etag, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new AdminFailure(AdminExit.INVALID, "cannot read " + etag + ": " + e.getMessage());
        }
    }

    static void write(Path file, String etag) {
        Path path = beside(file);
        try {
            Files.writeString(path, etag + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AdminFailure(AdminExit.INVALID, "cannot write " + path + ": " + e.getMessage());
        }
    }
}
