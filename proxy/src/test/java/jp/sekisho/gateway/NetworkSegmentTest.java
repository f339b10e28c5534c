package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's network segment comes from the address its connection came from, never from
 * what the client writes; rules admit users only from their segments, and the audit record
 * says which segment a request came from.
 */
class NetworkSegmentTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    /** The test client connects from 127.0.0.1: the "lgwan" segment here. */
    private void start(String trustedProxies, String clerkSegments) throws Exception {
        String yaml = proxy.config("""
                trustedProxies: %s
                segments:
                  - id: lgwan
                    name: LGWAN接続系
                    cidrs: [127.0.0.0/8]
                  - id: telework
                    name: テレワーク
                    cidrs: [10.99.0.0/16]
                """.formatted(trustedProxies));
        // the records app (host 127.0.0.1): its clerks rule admits only from these segments
        String clerks = "      - id: clerks\n        groups: [shimin-ka]\n";
        assertTrue(yaml.contains(clerks));
        proxy.start(yaml.replace(clerks, clerks + "        segments: " + clerkSegments + "\n"));
    }

    private ProxyFixture.Response get(String... extraHeaders) throws Exception {
        String[] headers = new String[extraHeaders.length + 2];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + proxy.idp.token("sato", "shimin-ka");
        System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
        return proxy.get("127.0.0.1", "/", headers);
    }

    @Test
    void aRuleAdmitsFromItsSegmentAndTheRecordNamesIt() throws Exception {
        start("[]", "[lgwan]");
        assertEquals(200, get().status());
        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("lgwan", record.getString("segment"));
        assertEquals("clerks", record.getString("rule"));
    }

    @Test
    void fromAnotherSegmentTheUserIsRefusedWithTheReason() throws Exception {
        start("[]", "[telework]");
        ProxyFixture.Response response = get();
        assertEquals(403, response.status());
        assertEquals("segment-not-allowed", new JsonObject(response.body()).getString("error"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void aClientCannotClaimAnotherSegmentWithForwardingHeaders() throws Exception {
        start("[]", "[telework]");
        ProxyFixture.Response response = get("X-Forwarded-For", "10.99.1.2", "X-Real-IP", "10.99.1.2",
                "Forwarded", "for=10.99.1.2");
        assertEquals(403, response.status(), "still the connection's segment");
        assertEquals(List.of(), proxy.upstream.received());
        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("lgwan", record.getString("segment"));
    }

    @Test
    void behindATrustedProxyTheAddressItNamesDecides() throws Exception {
        start("[127.0.0.1]", "[telework]");
        assertEquals(200, get("X-Forwarded-For", "10.99.1.2").status());
        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("telework", record.getString("segment"));
        assertTrue(record.getString("source").startsWith("10.99.1.2"), record.encode());
    }

    @Test
    void aRuleOnSourceRangesCannotBeMetWithAForgedForwardingHeader() throws Exception {
        String yaml = proxy.config("");
        String clerks = "      - id: clerks\n        groups: [shimin-ka]\n";
        proxy.start(yaml.replace(clerks, clerks + "        sources: [10.99.0.0/16]\n"));
        ProxyFixture.Response response = get("X-Forwarded-For", "10.99.1.2");
        assertEquals(403, response.status(), "the connection is from 127.0.0.1, whatever the header says");
        assertEquals("segment-not-allowed", new JsonObject(response.body()).getString("error"));
        assertEquals(List.of(), proxy.upstream.received());
    }
}
