package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.SyslogReceiverStub;
import jp.sekisho.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A request through the proxy reaches the configured syslog receiver as an RFC 5424 message. */
class SyslogSinkProxyTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @Test
    void aRequestsAuditRecordReachesTheSyslogReceiver() throws Exception {
        try (SyslogReceiverStub receiver = SyslogReceiverStub.plain().start()) {
            proxy.start(proxy.config("""
                    audit:
                      sinks:
                        syslog: {host: 127.0.0.1, port: %d, tls: false, hostname: sekisho-test}
                    """.formatted(receiver.port())));
            ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                    "Bearer " + proxy.idp.token("sato", "shimin-ka"));
            assertEquals(200, response.status());
            String requestId = response.header("x-request-id");
            assertNotNull(requestId);

            SyslogReceiverStub.Message message = awaitAccess(receiver, requestId);
            JsonNode record = new ObjectMapper().readTree(message.json());
            assertEquals("access", message.msgId());
            assertEquals(13 * 8 + 6, message.pri());
            assertEquals("sekisho-test", message.hostname());
            assertEquals(record.path("seq").asLong(), message.seq());
            assertEquals("allow", record.path("decision").asText());

            // the stop signs a last checkpoint and the sink, stopped after the trail, delivers it too
            List<String> written = proxy.stopAndReadAudit();
            assertEquals(1, written.size());
            assertEquals("checkpoint", receiver.messages().get(receiver.messages().size() - 1).msgId());
        }
    }

    private SekishoConfig.Syslog syslog(String settings) throws Exception {
        Path file = proxy.writeConfig(proxy.config("audit:\n  sinks:\n    syslog: " + settings));
        return new ConfigLoader().load(file).settings().audit().sinks().syslog();
    }

    @Test
    void syslogSettingsHaveDefaultsAndTlsIsOnUnlessTurnedOff() throws Exception {
        assertNull(new ConfigLoader().load(proxy.writeConfig(proxy.config(""))).settings().audit().sinks().syslog());
        SekishoConfig.Syslog defaults = syslog("{host: siem.example.lg.jp}");
        assertEquals(new SekishoConfig.Syslog("siem.example.lg.jp", 6514, new SekishoConfig.SyslogTls(true, null),
                "audit", null, "oldest"), defaults);
        SekishoConfig.Syslog plain = syslog("{host: siem.example.lg.jp, tls: false, facility: local0, startAt: now}");
        assertEquals(601, plain.port());
        assertEquals(false, plain.tls().enabled());
        assertEquals(16, SyslogSink.facility(plain.facility()));
    }

    @Test
    void aMissingCaFileOrAnUnknownFacilityIsAConfigErrorNamingTheKey() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> syslog("{host: siem.example.lg.jp, tls: {caFile: no-such-ca.pem}}"));
        assertTrue(missing.getMessage().contains("audit.sinks.syslog.tls.caFile"), missing.getMessage());
        ConfigException facility = assertThrows(ConfigException.class,
                () -> syslog("{host: siem.example.lg.jp, facility: kern}"));
        assertTrue(facility.getMessage().contains("facility"), facility.getMessage());
    }

    private static SyslogReceiverStub.Message awaitAccess(SyslogReceiverStub receiver, String requestId)
            throws InterruptedException {
        return Eventually.value("a message for request " + requestId, () -> receiver.messages().stream()
                .filter(message -> message.text().contains("requestId=\"" + requestId + "\"")).findFirst());
    }
}
