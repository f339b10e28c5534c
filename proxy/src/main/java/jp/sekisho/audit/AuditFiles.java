package jp.sekisho.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the audit trail in chain order: every segment of a directory, or one file. */
public final class AuditFiles {

    private AuditFiles() {
    }

    /** The segment files of {@code dirOrFile} in chain order, or the file itself. */
    public static List<Path> files(Path dirOrFile) throws IOException {
        return Files.isDirectory(dirOrFile) ? ChainedSegments.segments(dirOrFile) : List.of(dirOrFile);
    }

    /** Every non-blank line, oldest first. Close the stream. */
    public static Stream<String> lines(Path dirOrFile) throws IOException {
        return files(dirOrFile).stream().flatMap(file -> {
            try {
                BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                return reader.lines().onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).filter(line -> !line.isBlank());
    }
}
