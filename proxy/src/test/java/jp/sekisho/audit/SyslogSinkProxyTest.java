package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.SyslogReceiverStub;
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
        }
    }

    private static SyslogReceiverStub.Message awaitAccess(SyslogReceiverStub receiver, String requestId)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (SyslogReceiverStub.Message message : receiver.messages()) {
                if (message.text().contains("requestId=\"" + requestId + "\"")) {
                    return message;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no message for request " + requestId + " in " + receiver.messages());
    }
}
