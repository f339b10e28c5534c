package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import jp.sekisho.device.PostureKeys;
import jp.sekisho.device.PostureTokenVerifier;
import jp.sekisho.device.PostureVerification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The reference posture service end to end, as an administrator runs it: a key, the Intune and
 * Defender exports turned into device records, and tokens the proxy's verifier accepts.
 */
class PostureCommandsTest {

    private static final Path FIXTURES = Path.of("../device-posture/src/test/resources/importers");
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        PostureIssueCommand.clock = Clock.systemUTC();
    }

    private int sekisho(String... args) {
        out.reset();
        err.reset();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new SekishoCli()).execute(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void keygenImportAndIssueProduceTokensTheProxyAccepts() throws Exception {
        Path key = dir.resolve("posture-key.jwk.json");
        Path jwks = dir.resolve("posture-jwks.json");
        Path records = dir.resolve("devices.json");
        assertEquals(0, sekisho("posture", "keygen", "--key", key.toString(), "--jwks", jwks.toString()));
        assertEquals(1, sekisho("posture", "keygen", "--key", key.toString(), "--jwks", jwks.toString()),
                "an existing signing key is never overwritten");

        assertEquals(0, sekisho("posture", "import", "--intune", FIXTURES.resolve("intune-managedDevices.json").toString(),
                "--defender", FIXTURES.resolve("defender-machines.json").toString(), "--device-id", "DEVICE_NAME",
                "-o", records.toString()));
        JsonArray written = new JsonArray(Files.readString(records));
        JsonObject pc1 = written.stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("device_id").equalsIgnoreCase("LG-PC-0001")).findFirst().orElseThrow();
        assertEquals("compliant", pc1.getString("compliance"));
        assertEquals(true, pc1.getBoolean("disk_encrypted"));
        assertEquals("2026-11-20T08:15:42Z", pc1.getJsonObject("observed_at").getString("mdm"));

        PostureIssueCommand.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertEquals(0, sekisho("posture", "issue", "--key", key.toString(), "--issuer", "https://posture.city.example",
                "--records", records.toString(), "--device", pc1.getString("device_id")));
        String token = out.toString(StandardCharsets.UTF_8).trim();

        PostureTokenVerifier verifier = new PostureTokenVerifier(Map.of("https://posture.city.example",
                new PostureTokenVerifier.TrustedPostureIssuer("city", "https://posture.city.example",
                        PostureKeys.load("city", jwks, Clock.fixed(NOW, ZoneOffset.UTC)))),
                Set.of("sekisho"), Duration.ofMinutes(10), Duration.ofSeconds(30));
        PostureVerification verified = verifier.verify(token, NOW.plusSeconds(60));
        PostureVerification.Verified accepted = assertInstanceOf(PostureVerification.Verified.class, verified);
        assertEquals(pc1.getString("device_id"), accepted.facts().deviceId());
        assertEquals(Instant.parse("2026-11-20T08:15:42Z"), accepted.facts().observedAt().get("mdm"));
    }

    @Test
    void issueWarnsAboutStaleSourcesAndRefusesUnknownDevices() throws Exception {
        Path key = dir.resolve("k.json");
        sekisho("posture", "keygen", "--key", key.toString(), "--jwks", dir.resolve("j.json").toString());
        Path records = dir.resolve("devices.json");
        Files.writeString(records, """
                [{"device_id": "LG-PC-0009", "managed": true, "compliance": "compliant",
                  "observed_at": {"mdm": "2026-10-01T00:00:00Z"}}]
                """);
        PostureIssueCommand.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertEquals(0, sekisho("posture", "issue", "--key", key.toString(), "--issuer", "https://p", "--records",
                records.toString(), "--device", "LG-PC-0009"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("LG-PC-0009: mdm last saw the device at 2026-10-01"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(1, sekisho("posture", "issue", "--key", key.toString(), "--issuer", "https://p", "--records",
                records.toString(), "--device", "LG-PC-0404"));

        Files.writeString(records, "[{\"device_id\": \"x\", \"managed\": \"yes\"}]");
        assertEquals(2, sekisho("posture", "issue", "--key", key.toString(), "--issuer", "https://p", "--records",
                records.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("record 0: managed must be true or false"),
                err.toString(StandardCharsets.UTF_8));
    }
}
