package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.AuditKey;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** An auditor runs {@code sekisho audit verify} on the trail a running Sekisho wrote, with the key they keep. */
class AuditVerifyCommandTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private final StringWriter out = new StringWriter();

    private int verify(Path dir, Path key) {
        return new CommandLine(new SekishoCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("audit", "verify", dir.toString(), "--public-key", key.toString());
    }

    @Test
    void theTrailOfARealRunVerifiesAndAnEditIsCaughtWithItsPlace() throws Exception {
        proxy.start();
        for (String user : List.of("sato", "suzuki", "tanaka")) {
            proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token(user, "shimin-ka"));
        }
        proxy.stopAndReadAudit();
        Path dir = proxy.dir.resolve("data/audit");
        Path auditorsCopy = Files.copy(proxy.dir.resolve("data/keys").resolve(AuditKey.PUBLIC_FILE_NAME),
                proxy.dir.resolve("auditors-key.json"));

        assertEquals(0, verify(dir, auditorsCopy), out.toString());
        assertTrue(out.toString().startsWith("verified: 4 records in 1 segment(s), 1 signed checkpoint(s)"), out.toString());

        Path segment = AuditFiles.files(dir).get(0);
        Files.writeString(segment, Files.readString(segment, StandardCharsets.UTF_8).replace("suzuki", "sato"),
                StandardCharsets.UTF_8);

        assertEquals(1, verify(dir, auditorsCopy));
        assertTrue(out.toString().contains("NOT VERIFIED: " + segment.getFileName() + ":2 (seq 2): altered"), out.toString());
    }
}
