package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An upstream's traces join the caller's through Sekisho, and audit records name the same trace. */
class TraceContextTest {

    private static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private String[] withToken(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + proxy.idp.token("sato", "shimin-ka");
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    @Test
    void theCallersTraceGoesOnWithSekishoAsTheUpstreamsParent() throws Exception {
        assertEquals(200, proxy.get("127.0.0.1", "/", withToken("traceparent", CALLER,
                "tracestate", "congo=t61rcWkgMzE")).status());

        String sent = proxy.upstream.last().header("traceparent");
        assertTrue(TraceContext.isValid(sent), sent);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", sent.substring(3, 35), "the same trace");
        assertNotEquals("00f067aa0ba902b7", sent.substring(36, 52), "Sekisho's own span is the parent");
        assertTrue(sent.endsWith("-01"), "the caller's sampling decision stands");
        assertEquals("congo=t61rcWkgMzE", proxy.upstream.last().header("tracestate"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                new JsonObject(proxy.stopAndReadAudit().get(0)).getString("traceId"));
    }

    @Test
    void aRequestWithoutAValidTraceparentStartsATraceAndDropsTheOrphanedState() throws Exception {
        proxy.get("127.0.0.1", "/", withToken("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "tracestate", "congo=t61rcWkgMzE"));
        proxy.get("127.0.0.1", "/", withToken());
        proxy.get("127.0.0.1", "/");

        List<String> sent = proxy.upstream.received().stream().map(r -> r.header("traceparent")).toList();
        assertEquals(2, sent.size());
        sent.forEach(header -> assertTrue(TraceContext.isValid(header), header));
        assertNotEquals(sent.get(0).substring(3, 35), sent.get(1).substring(3, 35), "a new trace each");
        assertFalse(sent.get(0).contains("4bf92f3577b34da6a3ce929d0e0e4736"), "uppercase hex is not a trace id");
        assertEquals(null, proxy.upstream.received().get(0).header("tracestate"));
        List<String> audit = proxy.stopAndReadAudit();
        assertEquals(sent.get(1).substring(3, 35), new JsonObject(audit.get(1)).getString("traceId"));
        assertEquals(32, new JsonObject(audit.get(2)).getString("traceId").length(), "refused requests too");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-add"})
    void validTraceparents(String value) {
        assertTrue(TraceContext.isValid(value));
        assertTrue(TraceContext.from(value).continued());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "00", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"})
    void invalidTraceparentsStartANewTrace(String value) {
        assertFalse(TraceContext.isValid(value));
        TraceContext started = TraceContext.from(value);
        assertFalse(started.continued());
        assertTrue(TraceContext.isValid(started.header()), started.header());
    }
}
