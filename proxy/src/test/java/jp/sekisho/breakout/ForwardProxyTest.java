package jp.sekisho.breakout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.ProxyTunnel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forward proxy from a staff terminal's side: raw CONNECT and absolute-form requests over a
 * socket, against local servers that allowlisted names are made to resolve to.
 */
class ForwardProxyTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    /** name -> address the test resolver answers; every lookup is remembered. */
    private final Map<String, String> dns = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private DeviceCa ca;
    private NetServer tlsEcho;
    private NetServer parent;
    private final List<String> parentHeads = new CopyOnWriteArrayList<>();

    @BeforeEach
    void servers() throws Exception {
        proxy.resolver = host -> {
            lookups.add(host);
            String address = dns.get(host);
            if (address == null) {
                return Future.failedFuture(new UnknownHostException(host));
            }
            try {
                return Future.succeededFuture(List.of(InetAddress.getByName(address)));
            } catch (UnknownHostException e) {
                return Future.failedFuture(e);
            }
        };
        ca = DeviceCa.create("breakout-test", proxy.dir.resolve("ca"));
        DeviceCa.Issued certificate = ca.serverCertificate("city.kintone.test");
        tlsEcho = proxy.vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(
                        new PemKeyCertOptions().setCertPath(certificate.certificatePath().toString())
                                .setKeyPath(certificate.privateKeyPath().toString())))
                .connectHandler(socket -> {
                    accepted.incrementAndGet();
                    socket.handler(data -> socket.write("echo:" + data.toString(StandardCharsets.UTF_8)));
                })
                .listen(0, "127.0.0.1").await();
        // a parent proxy (the security cloud) that accepts any CONNECT and then echoes
        parent = proxy.vertx.createNetServer().connectHandler(socket -> {
            StringBuilder head = new StringBuilder();
            socket.handler(data -> {
                if (head.indexOf("\r\n\r\n") < 0) {
                    head.append(data.toString(StandardCharsets.ISO_8859_1));
                    if (head.indexOf("\r\n\r\n") >= 0) {
                        parentHeads.add(head.toString());
                        socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
                    }
                } else {
                    socket.write("parent:" + data.toString(StandardCharsets.UTF_8));
                }
            });
        }).listen(0, "127.0.0.1").await();
    }

    private String config(String breakout, String tunnels) {
        return proxy.config("""
                forwardProxy:
                  listen: {host: 127.0.0.1, port: 0}
                  tunnels: {%s}
                segments:
                  - id: lgwan
                    cidrs: [127.0.0.0/8]
                breakout:
                %s
                """.formatted(tunnels, breakout.indent(2)));
    }

    private String allowlist(String extra) {
        return """
                allowlist:
                  - id: kintone
                    domains: [city.kintone.test, "*.cybozu.test"]
                    ports: [%d]
                    category: allow
                    allowPrivate: true          # the test's servers are on loopback
                    ismap: {id: C21-0001-1, validUntil: 2027-03-31}
                  - id: rebinding
                    domains: [evil.example.test]
                    ports: [%d]
                  - id: expired
                    domains: [old.example.test]
                    ports: [%d]
                    allowPrivate: true
                    ismap: {id: C20-0009-1, validUntil: 2026-11-01}
                %s
                """.formatted(tlsEcho.actualPort(), tlsEcho.actualPort(), tlsEcho.actualPort(), extra);
    }

    private int start(String breakout) throws Exception {
        return start(breakout, "");
    }

    private int start(String breakout, String tunnels) throws Exception {
        dns.put("city.kintone.test", "127.0.0.1");
        dns.put("evil.example.test", "127.0.0.1");
        dns.put("old.example.test", "127.0.0.1");
        proxy.start(config(breakout, tunnels));
        return proxy.server().forwardProxyPort();
    }

    private String bearer(String user) {
        return "Bearer " + proxy.idp.token(user, "all-staff");
    }

    @Test
    void anAllowlistedDestinationIsTunnelledAndBytesGoBothWays() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "City.Kintone.Test.:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(200, tunnel.status);
            SSLSocket tls = (SSLSocket) trusting(ca).getSocketFactory().createSocket(tunnel.socket, "city.kintone.test",
                    tlsEcho.actualPort(), true);
            tls.startHandshake(); // verifies the real server's certificate through the tunnel
            tls.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
            tls.getOutputStream().flush();
            assertEquals("echo:hello", new String(tls.getInputStream().readNBytes(10), StandardCharsets.UTF_8));
            tls.close();
        }
        JsonObject record = lastBreakoutRecord();
        assertEquals("allow", record.getString("decision"));
        assertEquals(List.of("breakout-allowed"), record.getJsonArray("reasons").getList());
        assertEquals("kintone", record.getString("entry"));
        assertEquals("allow", record.getString("category"));
        assertEquals("city.kintone.test", record.getJsonObject("destination").getString("host"));
        assertEquals("127.0.0.1", record.getJsonObject("destination").getString("address"));
        assertEquals("sato", record.getJsonObject("user").getString("username"));
        assertEquals("lgwan", record.getString("segment"));
        assertTrue(record.getLong("bytesUp") > 5 && record.getLong("bytesDown") > 10,
                "the TLS handshake and the echo were counted each way: " + record);
        assertEquals("client", record.getString("closedBy"));
    }

    @Test
    void aDestinationNotListedIsRefusedWithoutLookingItUpOrConnecting() throws Exception {
        int port = start(allowlist(""));
        dns.put("www.example.test", "127.0.0.1");
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "www.example.test:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(403, tunnel.status);
            assertEquals("destination-not-allowed", new JsonObject(tunnel.body()).getString("error"));
            assertTrue(tunnel.header("proxy-status").contains("error=http_request_denied"), tunnel.headers.toString());
        }
        assertFalse(lookups.contains("www.example.test"), "a refused name is never resolved");
        assertEquals(0, accepted.get(), "nothing was connected to");
        JsonObject record = lastBreakoutRecord();
        assertEquals("deny", record.getString("decision"));
        assertEquals("unlisted", record.getString("category"));
        assertEquals(403, record.getInteger("status"));
    }

    @Test
    void anUnlistedDestinationIsChainedToTheSegmentsParentProxyWithoutTheUsersToken() throws Exception {
        int port = start(allowlist("") + """
                parents:
                  - id: pref-cloud
                    address: 127.0.0.1:%d
                    segments: [lgwan]
                """.formatted(parent.actualPort()));
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "www.example.test:443", "Proxy-Authorization",
                bearer("sato"))) {
            assertEquals(200, tunnel.status);
            tunnel.socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            assertEquals("parent:ping", new String(tunnel.socket.getInputStream().readNBytes(11), StandardCharsets.UTF_8));
        }
        assertEquals(1, parentHeads.size());
        assertTrue(parentHeads.get(0).startsWith("CONNECT www.example.test:443 HTTP/1.1\r\n"), parentHeads.get(0));
        assertFalse(parentHeads.get(0).toLowerCase().contains("proxy-authorization"),
                "the user's token stays with Sekisho");
        assertFalse(lookups.contains("www.example.test"), "the parent resolves names it is asked for");
        JsonObject record = lastBreakoutRecord();
        assertEquals("allow", record.getString("decision"));
        assertEquals(List.of("breakout-chained"), record.getJsonArray("reasons").getList());
        assertEquals("pref-cloud", record.getString("parent"));
    }

    @Test
    void noTokenOrABadOneGets407WithAChallenge() throws Exception {
        int port = start(allowlist(""));
        String authority = "city.kintone.test:" + tlsEcho.actualPort();
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, authority)) {
            assertEquals(407, tunnel.status);
            assertEquals("Bearer realm=\"sekisho\"", tunnel.header("proxy-authenticate"));
            assertEquals("token-missing", new JsonObject(tunnel.body()).getString("error"));
        }
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, authority, "Proxy-Authorization", "Bearer not.a.token")) {
            assertEquals(407, tunnel.status);
            assertTrue(tunnel.header("proxy-authenticate").contains("error=\"invalid_token\""),
                    tunnel.header("proxy-authenticate"));
        }
        assertEquals(0, accepted.get());
        assertEquals(2, proxy.stopAndReadAudit("breakout").stream()
                .filter(line -> line.contains("\"decision\":\"unauthenticated\"")).count());
    }

    @Test
    void anIpLiteralIsRefusedUnlessAnEntryListsIt() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "127.0.0.1:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(403, tunnel.status);
            assertEquals("destination-ip-literal", new JsonObject(tunnel.body()).getString("error"));
            assertTrue(tunnel.header("proxy-status").contains("destination_ip_prohibited"));
        }
        assertEquals(0, accepted.get());
        assertEquals("destination-ip-literal", lastBreakoutRecord().getJsonArray("reasons").getString(0));
    }

    @Test
    void aNameThatResolvesIntoTheInternalNetworkIsRefusedUnlessTheEntryAllowsIt() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "evil.example.test:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(403, tunnel.status);
            assertEquals("destination-private-address", new JsonObject(tunnel.body()).getString("error"));
        }
        assertEquals(0, accepted.get(), "no connection to the internal address");
        JsonObject record = lastBreakoutRecord();
        assertEquals("rebinding", record.getString("entry"));
        assertEquals("deny", record.getString("decision"));
    }

    @Test
    void anExpiredIsmapRegistrationIsEnforced() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "old.example.test:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(403, tunnel.status);
            assertEquals("ismap-expired", new JsonObject(tunnel.body()).getString("error"));
        }
        assertEquals(0, accepted.get());
        assertEquals("expired", lastBreakoutRecord().getString("entry"));
    }

    @Test
    void aQuietTunnelIsClosedAtItsIdleTimeout() throws Exception {
        int port = start(allowlist(""), "idleTimeoutSeconds: 1");
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "city.kintone.test:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(200, tunnel.status);
            InputStream in = tunnel.socket.getInputStream();
            try {
                assertEquals(-1, in.read(), "the proxy ends the quiet tunnel (read waits up to 10 s)");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the tunnel was still open after 10 s", e);
            }
        }
        assertEquals("idle-timeout", lastBreakoutRecord().getString("closedBy"));
    }

    @Test
    void quarantiningTheUserClosesTheirOpenTunnel() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel tunnel = ProxyTunnel.connect(port, "city.kintone.test:" + tlsEcho.actualPort(),
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(200, tunnel.status);
            var hold = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + proxy.server().managementPort() + "/quarantine"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("kind", "user")
                            .put("id", "sato").put("reason", "EDR alert").put("operator", "soc").encode()))
                    .header("content-type", "application/json").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hold.statusCode(), hold.body());
            assertEquals(-1, tunnel.socket.getInputStream().read(), "the hold ends the open tunnel (read waits up to 10 s)");
        }
        assertEquals("quarantine", lastBreakoutRecord().getString("closedBy"));
    }

    @Test
    void anAbsoluteFormRequestIsForwardedWithoutTheProxysCredentials() throws Exception {
        int upstreamPort = java.net.URI.create(proxy.upstream.url()).getPort();
        int port = start(allowlist("""
                  - id: intranet-asp
                    domains: [asp.lgwan.test]
                    ports: [%d]
                    allowPrivate: true
                """.formatted(upstreamPort)));
        dns.put("asp.lgwan.test", "127.0.0.1");
        try (ProxyTunnel answer = ProxyTunnel.request(port, "GET http://asp.lgwan.test:" + upstreamPort
                + "/notice?id=1 HTTP/1.1", "asp.lgwan.test:" + upstreamPort, "Proxy-Authorization", bearer("sato"),
                "Connection", "close")) {
            assertEquals(200, answer.status);
        }
        var received = proxy.upstream.last();
        assertEquals("/notice?id=1", received.uri());
        assertEquals("asp.lgwan.test:" + upstreamPort, received.header("host"));
        assertEquals(null, received.header("proxy-authorization"));
        JsonObject record = lastBreakoutRecord();
        assertEquals("GET", record.getString("method"));
        assertEquals("intranet-asp", record.getString("entry"));
        assertEquals(200, record.getInteger("status"));
    }

    @Test
    void aBrowserRefusedAPlainHttpDestinationGetsThePageInJapanese() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel answer = ProxyTunnel.request(port, "GET http://www.example.test/ HTTP/1.1", "www.example.test",
                "Proxy-Authorization", bearer("sato"), "Accept", "text/html,application/xhtml+xml",
                "Accept-Language", "ja")) {
            assertEquals(403, answer.status);
            assertTrue(answer.header("content-type").startsWith("text/html"), answer.headers.toString());
            String page = answer.body();
            assertTrue(page.contains("lang=\"ja\"") && page.contains("許可リスト") && page.contains("destination-not-allowed"),
                    page);
        }
    }

    @Test
    void originFormRequestsAreNotForwardProxyRequests() throws Exception {
        int port = start(allowlist(""));
        try (ProxyTunnel answer = ProxyTunnel.request(port, "GET / HTTP/1.1", "city.kintone.test",
                "Proxy-Authorization", bearer("sato"))) {
            assertEquals(400, answer.status);
            assertEquals("destination-invalid", new JsonObject(answer.body()).getString("error"));
        }
        assertNotNull(lastBreakoutRecord());
    }

    private JsonObject lastBreakoutRecord() throws IOException {
        List<String> lines = proxy.stopAndReadAudit("breakout");
        assertFalse(lines.isEmpty(), "a breakout record was written");
        return new JsonObject(lines.get(lines.size() - 1));
    }

    static SSLContext trusting(DeviceCa ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca.caCertificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
