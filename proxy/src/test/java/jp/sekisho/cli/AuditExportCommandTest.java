package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The trail a running Sekisho wrote, exported to standard output as a SIEM would take it in. */
class AuditExportCommandTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @Test
    void theTrailOfARealRunExportsOneEcsEventPerRequestToStandardOutput() throws Exception {
        proxy.start();
        for (String user : List.of("佐藤", "鈴木")) {
            proxy.get("127.0.0.1", "/%E4%BD%8F%E6%B0%91%E8%A8%98%E9%8C%B2", "Authorization",
                    "Bearer " + proxy.idp.token(user, "shimin-ka"));
        }
        proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token("tanaka-no-group"));
        proxy.stopAndReadAudit();
        Path dir = proxy.dir.resolve("data/audit");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SekishoCli()).setErr(new PrintWriter(err))
                    .execute("audit", "export", dir.toString(), "--format", "jsonl");
        } finally {
            System.setOut(original);
        }

        assertEquals(0, code, err.toString());
        String[] lines = stdout.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, "three requests; the closing checkpoint is not exported");
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertEquals("佐藤", first.at("/user/name").asText(), lines[0]);
        assertEquals("/%E4%BD%8F%E6%B0%91%E8%A8%98%E9%8C%B2", first.at("/url/path").asText(),
                "the canonical path exactly as the trail holds it");
        assertEquals("success", first.at("/event/outcome").asText());
        assertEquals("records", first.at("/service/target/name").asText());
        assertTrue(first.at("/http/request/id").asText().length() > 0);
        assertEquals("failure", json.readTree(lines[2]).at("/event/outcome").asText(), lines[2]);
        assertTrue(err.toString().contains("exported 3 record(s)"), err.toString());
    }
}
