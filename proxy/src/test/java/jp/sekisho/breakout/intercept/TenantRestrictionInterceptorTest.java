package jp.sekisho.breakout.intercept;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.Settings;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.Target;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.TunnelObserver;
import jp.sekisho.policy.Reason;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.Eventually;
import jp.sekisho.tls.UpstreamTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: a "real" login host on 127.0.0.1 with a certificate from its own CA, the
 * interceptor trusting that CA, and a plain TCP server standing in for the forward proxy's
 * tunnel relay. Clients trust only the interception CA, as staff terminals do.
 */
class TenantRestrictionInterceptorTest {

    private static final String HOST = "login.microsoftonline.com";
    private static final Map<String, String> RESTRICTIONS = Map.of(
            "Restrict-Access-To-Tenants", "contoso.onmicrosoft.com,contoso.jp",
            "Restrict-Access-Context", "72f988bf-86f1-41af-91ab-2d7cd011db47");
    private static final Settings SETTINGS = new Settings(5_000, 30);
    private static final byte[] BIG = new byte[200 * 1024];

    @TempDir
    static Path dir;
    private static TestCa interceptionCa;
    private static DeviceCa realCa;
    private static DeviceCa otherCa;

    private Vertx vertx;
    private HttpServer realHost;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final RecordingObserver observer = new RecordingObserver();
    private TenantRestrictionInterceptor interceptor;

    /** One request as the real host saw it. */
    private record Received(HttpMethod method, String uri, MultiMap headers, byte[] body) {
    }

    /** What came back to the terminal. */
    private record Answer(int status, MultiMap headers, Buffer body, X509Certificate served) {
    }

    @BeforeAll
    static void createCas() {
        new SecureRandom().nextBytes(BIG);
        interceptionCa = TestCa.ec("Sekisho interception CA");
        realCa = DeviceCa.create("Real login CA", dir.resolve("real"));
        otherCa = DeviceCa.create("Some other CA", dir.resolve("other"));
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        DeviceCa.Issued certificate = realCa.serverCertificate(HOST);
        realHost = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(certificate.certificatePath().toString())
                        .setKeyPath(certificate.privateKeyPath().toString())))
                .requestHandler(this::answerAsTheRealHost)
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        interceptor = startInterceptor(realCa);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void servesTheTerminalALeafIssuedByTheInterceptionCa() throws Exception {
        Answer answer = get(tunnel(interceptor), HOST, "/common/oauth2/authorize", request -> { });

        assertEquals(200, answer.status());
        assertEquals("hello from the real host", answer.body().toString());
        assertEquals(interceptionCa.certificate.getSubjectX500Principal(), answer.served().getIssuerX500Principal());
        answer.served().verify(interceptionCa.certificate.getPublicKey());
        assertEquals(List.of(List.of(2, HOST)), List.copyOf(answer.served().getSubjectAlternativeNames()));
        assertEquals(List.of("forwarded 200"), observer.events);
    }

    @Test
    void setsTheTenantRestrictionHeadersInPlaceOfTheClientsOwn() throws Exception {
        get(tunnel(interceptor), HOST, "/", request -> request
                .putHeader("Restrict-Access-To-Tenants", "attacker.onmicrosoft.com")
                .putHeader("restrict-access-context", "00000000-0000-0000-0000-000000000000")
                .putHeader("sec-Restrict-Tenant-Access-Policy", "attacker:policy"));

        MultiMap headers = only(received).headers();
        assertEquals(List.of("contoso.onmicrosoft.com,contoso.jp"), headers.getAll("Restrict-Access-To-Tenants"));
        assertEquals(List.of("72f988bf-86f1-41af-91ab-2d7cd011db47"), headers.getAll("Restrict-Access-Context"));
        assertEquals(List.of(), headers.getAll("sec-Restrict-Tenant-Access-Policy"));
    }

    @Test
    void forwardsMethodPathQueryAndHeadersToTheRealHostByName() throws Exception {
        get(tunnel(interceptor), HOST, "/common/login?client_id=abc&x=%2F", request -> request
                .putHeader("Cookie", "esctx=1").putHeader("User-Agent", "Edge"));

        Received request = only(received);
        assertEquals(HttpMethod.GET, request.method());
        assertEquals("/common/login?client_id=abc&x=%2F", request.uri());
        assertEquals("esctx=1", request.headers().get("Cookie"));
        assertEquals("Edge", request.headers().get("User-Agent"));
        assertEquals(HOST + ":" + realHost.actualPort(), request.headers().get("Host"));
    }

    @Test
    void neverForwardsProxyCredentialsOrHopByHopHeaders() throws Exception {
        // keep-alive, so the client sends the Connection header as given rather than "close"
        request(client(true), tunnel(interceptor), HOST, "/", HttpMethod.GET, request -> request
                .putHeader("Proxy-Authorization", "Basic c2F0bzpzZWNyZXQ=")
                .putHeader("Proxy-Connection", "keep-alive")
                .putHeader("Connection", "keep-alive, X-Hop")
                .putHeader("X-Hop", "only for the next hop")
                .putHeader("TE", "trailers"));

        MultiMap headers = only(received).headers();
        for (String name : List.of("Proxy-Authorization", "Proxy-Connection", "X-Hop", "TE")) {
            assertNull(headers.get(name), name);
        }
    }

    @Test
    void answers421AndForwardsNothingForAnotherHostOnTheTunnel() throws Exception {
        Answer answer = get(tunnel(interceptor), HOST, "/", request ->
                request.authority(HostAndPort.create("login.live.com", 443)));

        assertEquals(421, answer.status());
        assertTrue(answer.body().toString().startsWith("intercept-host-mismatch"), answer.body().toString());
        assertEquals(List.of(), received);
        assertEquals(List.of("refused intercept-host-mismatch"), observer.events);
    }

    @Test
    void answers421ForAnAbsoluteRequestTarget() throws Exception {
        Answer answer = get(tunnel(interceptor), HOST, "https://login.live.com/", request -> { });

        assertEquals(421, answer.status());
        assertEquals(List.of(), received);
        assertEquals(List.of("refused intercept-target-not-origin-form"), observer.events);
    }

    @Test
    void offersNoCertificateForAServerNameItWasNotAskedToInterceptNorWithoutOne() throws Exception {
        int tunnel = tunnel(interceptor);
        // trusting anything, so only a handshake without a certificate can fail the requests
        HttpClient careless = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false).setForceSni(true).setKeepAlive(false));

        assertThrows(Exception.class, () -> request(careless, tunnel, "login.live.com", "/", HttpMethod.GET, r -> { }));
        assertThrows(Exception.class, () -> request(careless, tunnel, "127.0.0.1", "/", HttpMethod.GET, r -> { }));

        assertEquals(List.of(), received);
    }

    @Test
    void answers502AndSendsNothingWhenTheRealHostsCertificateIsNotTrusted() throws Exception {
        TenantRestrictionInterceptor distrusting = startInterceptor(otherCa);

        Answer answer = get(tunnel(distrusting), HOST, "/", request -> request.putHeader("Cookie", "esctx=1"));

        assertEquals(502, answer.status());
        assertEquals("upstream-tls-failed: the certificate of " + HOST + " could not be verified; nothing was sent\n",
                answer.body().toString());
        assertEquals(List.of(), received);
        assertEquals(List.of("failed upstream-tls-failed"), observer.events);
    }

    @Test
    void answers502WhenTheRealHostCannotBeReached() throws Exception {
        int closedPort = realHost.actualPort();
        realHost.close().await(10, TimeUnit.SECONDS);

        Answer answer = get(tunnel(interceptor, closedPort), HOST, "/", request -> { });

        assertEquals(502, answer.status());
        assertTrue(answer.body().toString().startsWith("upstream-unreachable"), answer.body().toString());
        assertEquals(List.of("failed upstream-unreachable"), observer.events);
    }

    @Test
    void streamsALargeResponseBackIntact() throws Exception {
        Answer answer = get(tunnel(interceptor), HOST, "/big", request -> { });

        assertEquals(200, answer.status());
        assertArrayEquals(BIG, answer.body().getBytes());
        assertNull(answer.headers().get("Keep-Alive"), "hop-by-hop headers of the response stay behind");
        assertEquals("real", answer.headers().get("X-Upstream"));
    }

    @Test
    void streamsALargeChunkedUploadIntact() throws Exception {
        Answer answer = get(tunnel(interceptor), HOST, "/upload", HttpMethod.POST, request -> {
            request.setChunked(true);
            for (int offset = 0; offset < BIG.length; offset += 50 * 1024) {
                request.write(Buffer.buffer(BIG).slice(offset, Math.min(BIG.length, offset + 50 * 1024)));
            }
        });

        assertEquals(200, answer.status());
        assertArrayEquals(sha256(BIG), sha256(only(received).body()));
        assertEquals(sha256Hex(BIG), answer.body().toString());
    }

    @Test
    void closesAConnectionThatNoTunnelOpened() throws Exception {
        // a tunnel to HOST is open, so the listener would present a certificate for it...
        HttpClient keptOpen = client(true);
        request(keptOpen, tunnel(interceptor), HOST, "/", HttpMethod.GET, request -> { });
        // ...yet a connection straight to the loopback listener is not one of the proxy's tunnels
        assertThrows(Exception.class, () -> get(interceptor.port(), HOST, "/", request -> { }));

        assertEquals(1, received.size(), "only the tunnelled request arrived");
    }

    @Test
    void forgetsATunnelOnceItsSocketCloses() throws Exception {
        get(tunnel(interceptor), HOST, "/", request -> { });

        Eventually.await("the tunnel is forgotten", () -> interceptor.openTunnels() == 0);
    }

    // --- fixture ---

    private TenantRestrictionInterceptor startInterceptor(DeviceCa trustedUpstreamCa) throws Exception {
        InterceptionCa ca = InterceptionCa.of(interceptionCa.certificate, interceptionCa.keys.getPrivate(),
                Clock.systemUTC());
        return TenantRestrictionInterceptor.start(vertx, ca,
                UpstreamTrust.of(List.of(trustedUpstreamCa.caCertificatePath())), SETTINGS).await(10, TimeUnit.SECONDS);
    }

    private void answerAsTheRealHost(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            received.add(new Received(request.method(), request.uri(),
                    MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.getBytes()));
            var response = request.response().putHeader("X-Upstream", "real").putHeader("Keep-Alive", "timeout=5");
            switch (request.path()) {
                case "/big" -> {
                    response.setChunked(true);
                    for (int offset = 0; offset < BIG.length; offset += 16 * 1024) {
                        response.write(Buffer.buffer(BIG).slice(offset, Math.min(BIG.length, offset + 16 * 1024)));
                    }
                    response.end();
                }
                case "/upload" -> response.end(sha256Hex(body.getBytes()));
                default -> response.end("hello from the real host");
            }
        });
    }

    /** A stand-in for the forward proxy: each accepted socket is relayed to and from an intercepted tunnel. */
    private int tunnel(TenantRestrictionInterceptor into) throws Exception {
        return tunnel(into, realHost.actualPort());
    }

    private int tunnel(TenantRestrictionInterceptor into, int realPort) throws Exception {
        Target target = new Target(HOST, realPort, InetAddress.getByName("127.0.0.1"), RESTRICTIONS);
        NetServer relay = vertx.createNetServer().connectHandler(client -> {
            client.pause(); // nothing is lost while the tunnel opens
            into.open(target, observer).onComplete(opened -> {
                if (opened.failed()) {
                    client.close();
                    return;
                }
                NetSocket intercepted = opened.result();
                // as the relay does: its own close handlers, which must not stop the tunnel being forgotten
                client.closeHandler(v -> intercepted.close());
                intercepted.closeHandler(v -> client.close());
                intercepted.pipeTo(client);
                client.pipeTo(intercepted);
            });
        });
        return relay.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    }

    private Answer get(int port, String host, String uri, Consumer<HttpClientRequest> customise) throws Exception {
        return get(port, host, uri, HttpMethod.GET, customise);
    }

    /** One request on a connection of its own, closed afterwards. */
    private Answer get(int port, String host, String uri, HttpMethod method, Consumer<HttpClientRequest> customise)
            throws Exception {
        HttpClient client = client(false);
        try {
            return request(client, port, host, uri, method, customise);
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** A terminal: trusts the interception CA only, verifies the name, sends SNI. */
    private HttpClient client(boolean keepAlive) {
        return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true).setForceSni(true)
                .setKeepAlive(keepAlive).setTrustOptions(TrustOptions.wrap(interceptionCa.trustManager())));
    }

    private static Answer request(HttpClient client, int port, String host, String uri, HttpMethod method,
                                  Consumer<HttpClientRequest> customise) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(443).setURI(uri)
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"));
        return client.request(options).compose(request -> {
            customise.accept(request);
            Future<HttpClientResponse> sent = request.isChunked() ? request.end().compose(
                    v -> request.response()) : request.send();
            return sent.compose(response -> response.body().map(body -> {
                try {
                    X509Certificate served = (X509Certificate) request.connection().peerCertificates().get(0);
                    return new Answer(response.statusCode(), response.headers(), body, served);
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }).await(10, TimeUnit.SECONDS);
    }

    private static <T> T only(List<T> list) {
        assertEquals(1, list.size(), "exactly one: " + list);
        return list.get(0);
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(sha256(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the interceptor told the forward proxy about each request, in order. */
    private static final class RecordingObserver implements TunnelObserver {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void requestForwarded(int status) {
            events.add("forwarded " + status);
        }

        @Override
        public void requestRefused(String why) {
            events.add("refused " + why);
        }

        @Override
        public void requestFailed(Reason reason) {
            events.add("failed " + reason.code());
        }
    }
}
