package jp.sekisho.audit.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A file's lines as bytes, whatever the buffer's size: across its edges, and longer than it. */
class ByteLinesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 16, 1 << 20})
    void everyLineComesWholeWhateverTheBufferSize(int chunk) throws IOException {
        String longLine = "{\"path\":\"/" + "長".repeat(300) + "\"}";
        List<String> lines = List.of("{\"a\":1}", longLine, "x", "{\"torn\":");
        Path file = Files.writeString(dir.resolve("audit.jsonl"), lines.get(0) + "\n" + lines.get(1) + "\n\n  \n"
                + lines.get(2) + "\r\n" + lines.get(3), StandardCharsets.UTF_8);

        List<String> read = new ArrayList<>();
        ByteLines.forEach(file, (buffer, offset, length) -> read.add(new String(buffer, offset, length,
                StandardCharsets.UTF_8)), chunk);

        assertEquals(List.of(lines.get(0), longLine, "x\r", "{\"torn\":"), read,
                "blank lines left out; the last line kept though no newline ends it");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 15, 16, 17, 40})
    void theNewlineIsFoundWhereverItIs(int at) {
        byte[] bytes = new byte[41];
        java.util.Arrays.fill(bytes, (byte) 'a');
        bytes[at] = '\n';
        assertEquals(at, ByteLines.newline(bytes, 0, bytes.length));
        assertEquals(-1, ByteLines.newline(bytes, at + 1, bytes.length));
        assertEquals(-1, ByteLines.newline(bytes, 0, at));
    }
}
