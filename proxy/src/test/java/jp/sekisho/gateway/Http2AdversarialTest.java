package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawH2;
import jp.sekisho.testing.RecordingUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/2 on the HTTPS staff listener, written frame by frame: requests no client library would
 * send (malformed header blocks, CR/LF in values, content-length that lies, floods). Each test
 * checks what the client got (a status, a RST_STREAM, a GOAWAY) and what reached the HTTP/1.1
 * upstream: nothing, or exactly the canonical request. "Nothing" is proven by a canary request
 * sent afterwards: once the canary is back, the upstream's list must hold only the canary.
 */
class Http2AdversarialTest {

    private static final String HOST = "records.city.example.lg.jp";
    private static final String OTHER = "other.city.example.lg.jp"; // served, but sato may not use it
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private DeviceCa ca;
    private WireUpstream wire;
    private String token;
    private final List<RawH2> connections = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ca = DeviceCa.create("city-server", proxy.dir.resolve("pki"));
        DeviceCa.Issued certificate = ca.serverCertificate(HOST, OTHER);
        wire = new WireUpstream();
        String listen = """
                listen:
                  host: 127.0.0.1
                  port: 0
                  tls: {certificateFile: %s, keyFile: %s}
                """.formatted(certificate.certificatePath(), certificate.privateKeyPath());
        // One pooled connection per upstream: a request left half-sent upstream would swallow the next one.
        String yaml = proxy.configWithApps("upstreams: {maxConnectionsPerUpstream: 1}", """
                  - id: city-records
                    hosts: [%1$s]
                    upstream: %3$s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                  - id: secret
                    hosts: [%1$s]
                    pathPrefixes: [/secret]
                    upstream: %3$s
                    allow:
                      - id: kanri-only
                        groups: [kanri]
                  - id: wire
                    hosts: [%1$s]
                    pathPrefixes: [/wire]
                    upstream: %4$s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                  - id: other
                    hosts: [%2$s]
                    upstream: %3$s
                    allow:
                      - id: staff
                        groups: [all-staff]
                """.formatted(HOST, OTHER, proxy.upstream.url(), wire.url()))
                .replace("listen: {host: 127.0.0.1, port: 0}\n", listen);
        proxy.start(yaml);
        token = proxy.idp.token("sato", "shimin-ka"); // allowed on records and wire, not on secret or other
    }

    @AfterEach
    void closeConnections() throws IOException {
        for (RawH2 h2 : connections) {
            h2.close();
        }
        wire.close();
    }

    private RawH2 connect(long... settings) throws Exception {
        RawH2 h2 = RawH2.connect(proxy.port(), HOST, ca.caCertificatePath(), settings);
        connections.add(h2);
        return h2;
    }

    /** A request's fields: the four pseudo-headers, sato's token when asked, then {@code extra} as given. */
    private String[] fields(String method, String path, boolean withToken, String... extra) {
        List<String> all = new ArrayList<>(List.of(":method", method, ":scheme", "https", ":authority", HOST,
                ":path", path));
        if (withToken) {
            all.addAll(List.of("authorization", "Bearer " + token));
        }
        all.addAll(Arrays.asList(extra));
        return all.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Sends one request on a fresh connection and returns how its stream ended. */
    private RawH2.Reply exchange(boolean endStream, String... fields) throws Exception {
        RawH2 h2 = connect();
        h2.request(1, endStream, fields);
        return h2.reply(1, WAIT);
    }

    private List<String> upstreamUris() {
        return proxy.upstream.received().stream().map(RecordingUpstream.Received::uri).toList();
    }

    /**
     * Sends an allowed canary on a fresh connection, then checks the upstream received
     * {@code expected} followed by the canary, and nothing else.
     */
    private void assertUpstreamSawOnly(String... expected) throws Exception {
        RawH2.Reply canary = exchange(true, fields("GET", "/canary", true));
        assertEquals("status 200", canary.toString(), "the canary");
        List<String> want = new ArrayList<>(List.of(expected));
        want.add("/canary");
        assertEquals(want, upstreamUris());
        assertEquals(List.of(), wire.heads(), "the wire upstream");
    }

    private static void report(String testCase, Object outcome) {
        System.out.println("[h2-adversarial] " + testCase + " -> " + outcome);
    }

    // ---- 1. baseline ----

    @Test
    void aValidRequestReachesTheUpstreamCanonicallyWithTheAssertionAndWithoutTheToken() throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/records/./list?page=2", true, "x-app", "ok"));
        report("1 baseline", reply);
        assertEquals("status 200", reply.toString());
        assertEquals("hello from upstream /records/list?page=2", reply.body());
        RecordingUpstream.Received seen = proxy.upstream.last();
        assertEquals("/records/list?page=2", seen.uri());
        assertTrue(seen.header("x-sekisho-assertion").startsWith("eyJ"), seen.headers().toString());
        assertNull(seen.header("authorization"));
        assertEquals(HOST, seen.header("x-forwarded-host"));
        assertEquals("https", seen.header("x-forwarded-proto"));
        assertEquals("ok", seen.header("x-app"));
        assertEquals(List.of("/records/list?page=2"), upstreamUris());
    }

    @Test
    void aBodylessGetIsForwardedWithoutBodyFraming() throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/wire/plain", true));
        assertEquals("status 200", reply.toString());
        String head = wire.heads().get(0);
        report("1 bodyless GET upstream head", visible(head.substring(0, head.indexOf("x-forwarded-for"))) + "... "
                + (head.contains("transfer-encoding: chunked") ? "transfer-encoding: chunked" : "no body framing"));
        assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding"), visible(head));
    }

    // ---- 2. :path disguises ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/records/../secret", "/secret%2f", "/%2e%2e/secret", "/x;/../secret", "/secret#frag",
            "/%73ecret", "//secret", "/records/%2e%2e/secret", "/SECRET", "/records/..;/secret", "secret", "*"})
    void aDisguisedPathToTheDeniedRouteIsRefusedAndNeverForwarded(String path) throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", path, true));
        report("2 :path " + path, reply + (reply.body() == null ? "" : " " + reply.body()));
        boolean refused = reply.toString().equals("status 400") && reply.body().contains("path-invalid")
                || reply.toString().equals("status 400") && reply.body().contains("request-invalid")
                || reply.toString().equals("status 403") && reply.body().contains("user-not-allowed")
                || reply.malformedRefusal();
        assertTrue(refused, reply + " " + reply.body());
        assertUpstreamSawOnly();
    }

    // ---- 3. :authority and host ----

    @ParameterizedTest(name = ":authority {0}, host {1}")
    @CsvSource({
            HOST + "," + OTHER,
            OTHER + "," + HOST,
            HOST + "," + HOST + ":8443"})
    void anAuthorityAndAHostThatDisagreeAreMalformed(String authority, String host) throws Exception {
        RawH2.Reply reply = exchange(true, ":method", "GET", ":scheme", "https", ":authority", authority,
                ":path", "/records", "authorization", "Bearer " + token, "host", host);
        report("3 :authority " + authority + " vs host " + host, reply);
        assertTrue(reply.malformedRefusal(), reply.toString()); // RFC 9113 §8.3.1
        assertUpstreamSawOnly();
    }

    @ParameterizedTest(name = ":authority {0}, host {1}")
    @CsvSource({"sato@" + HOST + "," + HOST, OTHER + ":abc," + HOST})
    void anUnparsableAuthorityIsMalformedEvenWithAHostField(String authority, String host) throws Exception {
        RawH2.Reply reply = exchange(true, ":method", "GET", ":scheme", "https", ":authority", authority,
                ":path", "/records", "authorization", "Bearer " + token, "host", host);
        report("3 unparsable :authority " + authority + " with host " + host, reply + " upstream x-forwarded-host: "
                + (proxy.upstream.received().isEmpty() ? "-" : proxy.upstream.last().header("x-forwarded-host")));
        assertTrue(reply.malformedRefusal(), reply.toString()); // RFC 9113 §8.3.1: no userinfo
        assertUpstreamSawOnly();
    }

    @Test
    void aHostFieldInsteadOfAuthorityIsWhatThePolicyAndTheUpstreamBothUse() throws Exception {
        RawH2.Reply allowed = exchange(true, ":method", "GET", ":scheme", "https", ":path", "/records",
                "authorization", "Bearer " + token, "host", HOST);
        RawH2.Reply denied = exchange(true, ":method", "GET", ":scheme", "https", ":path", "/records",
                "authorization", "Bearer " + token, "host", OTHER);
        report("3 host instead of :authority", allowed + " / other host: " + denied);
        // RFC 9113 §8.3.1 lets a proxy accept a host field in place of :authority, or insist on :authority
        if (allowed.malformedRefusal()) {
            assertTrue(denied.malformedRefusal(), denied.toString());
            assertUpstreamSawOnly();
            return;
        }
        assertEquals("status 200", allowed.toString());
        assertEquals(HOST, proxy.upstream.last().header("x-forwarded-host"));
        assertEquals("status 403", denied.toString(), "routed by the host field: the other app, not sato's");
        assertUpstreamSawOnly("/records");
    }

    @ParameterizedTest(name = "host {0}, then host {1}")
    @CsvSource({HOST + "," + OTHER, OTHER + "," + HOST})
    void twoHostFieldsWithoutAuthorityAreRefusedOrRoutedAndForwardedUnderOneHost(String first, String second)
            throws Exception {
        RawH2.Reply reply = exchange(true, ":method", "GET", ":scheme", "https", ":path", "/records",
                "authorization", "Bearer " + token, "host", first, "host", second);
        report("3 two host fields " + first + ", " + second, reply + " upstream x-forwarded-host: "
                + (proxy.upstream.received().isEmpty() ? "-" : proxy.upstream.last().header("x-forwarded-host")));
        if (reply.toString().equals("status 200")) {
            // allowed: then only because the policy read HOST, and the upstream must be told HOST too
            RecordingUpstream.Received seen = proxy.upstream.last();
            assertEquals(HOST, seen.header("x-forwarded-host"));
            assertFalse(seen.headers().toString().contains(OTHER), seen.headers().toString());
            assertUpstreamSawOnly("/records");
        } else {
            assertTrue(reply.malformedRefusal() || reply.toString().equals("status 403"), reply.toString());
            assertUpstreamSawOnly();
        }
    }

    // ---- 4. connection-specific fields ----

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "connection|close",
            "connection|x-sekisho-assertion",
            "keep-alive|timeout=5",
            "proxy-connection|keep-alive",
            "transfer-encoding|chunked",
            "upgrade|websocket",
            "te|gzip"})
    void aConnectionSpecificFieldIsAStreamError(String name, String value) throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/records", true, name, value));
        report("4 " + name + ": " + value, reply);
        assertTrue(reply.malformedRefusal(), reply.toString()); // RFC 9113 §8.2.2
        assertUpstreamSawOnly();
    }

    @Test
    void teTrailersIsAllowedButNotForwarded() throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/records", true, "te", "trailers"));
        assertEquals("status 200", reply.toString());
        assertNull(proxy.upstream.last().header("te"), "hop-by-hop");
    }

    // ---- 5. malformed header blocks ----

    static Stream<Arguments> malformedBlocks() {
        String[] base = {":method", "GET", ":scheme", "https", ":authority", HOST};
        return Stream.of(
                Arguments.of("uppercase name", concat(base, ":path", "/records", "X-Foo", "1")),
                Arguments.of("pseudo after regular", concat(base, "x-foo", "1", ":path", "/records")),
                Arguments.of("duplicate :path", concat(base, ":path", "/records", ":path", "/secret")),
                Arguments.of("duplicate :method", concat(base, ":path", "/records", ":method", "DELETE")),
                Arguments.of("missing :path", base),
                Arguments.of("empty :path", concat(base, ":path", "")),
                Arguments.of("unknown pseudo :foo", concat(base, ":path", "/records", ":foo", "bar")),
                Arguments.of("response pseudo :status", concat(base, ":path", "/records", ":status", "200")),
                Arguments.of("empty name", concat(base, ":path", "/records", "", "1")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x foo", "x:foo", "content-length ", "x\"y"})
    void aFieldNameThatIsNotATokenIsRefusedAsMalformed(String name) throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/wire/name", true, name, "1"));
        report("5 field name '" + name + "'", reply + " " + reply.body());
        assertTrue(reply.malformedRefusal(), reply + " " + reply.body()); // RFC 9113 §8.2.1
        assertUpstreamSawOnly();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBlocks")
    void aMalformedHeaderBlockIsRefused(String what, String[] block) throws Exception {
        RawH2 h2 = connect();
        h2.request(1, true, concat(block, "authorization", "Bearer " + token));
        RawH2.Reply reply = h2.reply(1, WAIT);
        report("5 " + what, reply);
        assertTrue(reply.malformedRefusal(), reply.toString()); // RFC 9113 §8.1.1, §8.2.1, §8.3
        // a stream error, not the connection's: the next stream on it still works
        h2.request(3, true, fields("GET", "/records/after", true));
        assertEquals("status 200", h2.reply(3, WAIT).toString());
        assertEquals(List.of("/records/after"), upstreamUris());
    }

    // ---- 6. CR, LF, NUL in a field value: the H2 -> H1 request-splitting class ----

    /**
     * Raw values that HTTP/1.1 would read as more than one header line, or that end a line early.
     * RFC 9113 §8.2.1: a field value with CR, LF or NUL makes the request malformed.
     */
    static final String[] SPLITTING_VALUES = {
            "1\r\nx-sekisho-assertion: forged",
            "1\nx-sekisho-assertion: forged",
            "1\rx-sekisho-assertion: forged",
            "1\u0000x-sekisho-assertion: forged"};

    /** The same, as obs-fold (CRLF then a space or tab): a line that HTTP/1.1 once read as a continuation. */
    static final String[] FOLDED_VALUES = {
            "1\r\n x-sekisho-assertion: forged",
            "1\r\n\tx-sekisho-assertion: forged"};

    static Stream<String> splittingValues() {
        return Stream.of(SPLITTING_VALUES);
    }

    static Stream<String> allCrLfValues() {
        return Stream.concat(Stream.of(SPLITTING_VALUES), Stream.of(FOLDED_VALUES));
    }

    private static String visible(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\0");
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("splittingValues")
    void aFieldValueWithCrLfOrNulNeverReachesTheHttp11UpstreamAsAHeaderLine(String value) throws Exception {
        assertNeverForwarded(value);
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("foldedValues")
    void aFoldedFieldValueNeverReachesTheHttp11Upstream(String value) throws Exception {
        assertNeverForwarded(value);
    }

    static Stream<String> foldedValues() {
        return Stream.of(FOLDED_VALUES);
    }

    private void assertNeverForwarded(String value) throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/wire/split", true, "x-a", value));
        List<String> heads = wire.heads();
        report("6 x-a: " + visible(value), reply + (reply.body() == null ? "" : " " + reply.body())
                + " | wire upstream received: " + heads.stream().map(Http2AdversarialTest::visible).toList());
        for (String head : heads) {
            assertFalse(head.contains("forged"), "the upstream read: " + visible(head));
        }
        assertTrue(reply.kind().equals("status") && reply.code() >= 400 || reply.malformedRefusal(), reply.toString());
        assertUpstreamSawOnly();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("allCrLfValues")
    void aFieldValueWithCrLfOrNulIsRefusedAsMalformed(String value) throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/wire/split", true, "x-a", value));
        report("6 refused as malformed? x-a: " + visible(value), reply);
        assertTrue(reply.malformedRefusal(), reply + " " + reply.body()); // RFC 9113 §8.2.1
        assertUpstreamSawOnly();
    }

    @Test
    void aRefusedFieldValueDoesNotHoldAnUpstreamConnection() throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/records/split", true, "x-a", SPLITTING_VALUES[0]));
        report("6 pool after refusal", reply + " " + reply.body());
        // the pool has one connection per upstream: the next allowed request needs it now
        long start = System.nanoTime();
        RawH2.Reply next = exchange(true, fields("GET", "/records/next", true));
        report("6 next request", next + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertEquals("status 200", next.toString());
        assertEquals(List.of("/records/next"), upstreamUris());
    }

    // ---- 7. H2.CL: content-length shorter than the DATA ----
    // These go to the wire upstream, which records any request head the moment it arrives; the
    // canary goes to the other upstream, whose pooled connection these requests cannot hold.

    private static final String SMUGGLED = "GET /secret HTTP/1.1\r\nHost: xyz\r\n\r\n";

    @Test
    void dataLongerThanContentLengthIsAStreamErrorAndNothingIsSmuggledUpstream() throws Exception {
        RawH2 h2 = connect();
        byte[] body = ("hello" + SMUGGLED).getBytes(StandardCharsets.US_ASCII);
        h2.send(RawH2.headers(1, false, true, RawH2.block(fields("POST", "/wire/upload", true, "content-length", "5"))),
                RawH2.data(1, true, body));
        RawH2.Reply reply = h2.reply(1, WAIT);
        assertTrue(reply.malformedRefusal(), reply.toString());
        assertUpstreamSawOnly();
        report("7 content-length 5, one DATA of " + body.length + " bytes", reply + "; wire upstream: " + wire.heads());
    }

    @Test
    void dataSplitAfterTheAnnouncedLengthForwardsAtMostTheAnnouncedBody() throws Exception {
        RawH2 h2 = connect();
        h2.send(RawH2.headers(1, false, true, RawH2.block(fields("POST", "/wire/upload", true, "content-length", "5"))),
                RawH2.data(1, false, "hello".getBytes(StandardCharsets.US_ASCII)),
                RawH2.data(1, true, SMUGGLED.getBytes(StandardCharsets.US_ASCII)));
        RawH2.Reply reply = h2.reply(1, WAIT);
        // the stream is reset when the sixth byte arrives; "hello" alone is a whole request and may go on
        assertTrue(reply.malformedRefusal() || reply.toString().equals("status 200"), reply.toString());
        RawH2.Reply canary = exchange(true, fields("GET", "/canary", true));
        assertEquals("status 200", canary.toString());
        report("7 content-length 5, DATA 5 + DATA " + SMUGGLED.length(), reply + "; wire upstream: "
                + wire.heads().stream().map(Http2AdversarialTest::visible).toList());
        for (String head : wire.heads()) {
            assertTrue(head.startsWith("POST /wire/upload HTTP/1.1\r\n"), visible(head));
            assertTrue(head.contains("\r\ncontent-length: 5\r\n"), visible(head));
        }
        assertTrue(wire.heads().size() <= 1, wire.heads().toString());
        assertEquals(List.of("/canary"), upstreamUris());
    }

    // ---- 8. content-length longer than the DATA ----

    @Test
    void dataShorterThanContentLengthIsAStreamErrorAndNothingIsForwarded() throws Exception {
        RawH2 h2 = connect();
        h2.send(RawH2.headers(1, false, true,
                        RawH2.block(fields("POST", "/wire/upload", true, "content-length", "100"))),
                RawH2.data(1, true, "0123456789".getBytes(StandardCharsets.US_ASCII)));
        RawH2.Reply reply = h2.reply(1, WAIT);
        assertTrue(reply.malformedRefusal(), reply.toString());
        assertUpstreamSawOnly();
        report("8 content-length 100, 10 bytes then END_STREAM", reply + "; wire upstream: " + wire.heads());
    }

    static Stream<Arguments> streamsEndedMidBody() {
        return Stream.of(
                Arguments.of("RST_STREAM CANCEL after HEADERS", "rst"),
                Arguments.of("DATA beyond content-length (7)", "long"),
                Arguments.of("END_STREAM before content-length (8)", "short"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamsEndedMidBody")
    void aStreamThatEndsMidBodyDoesNotHoldAnUpstreamConnection(String what, String how) throws Exception {
        RawH2 h2 = connect();
        byte[] head = RawH2.headers(1, false, true,
                RawH2.block(fields("POST", "/records/upload", true, "content-length", "5")));
        switch (how) {
            case "rst" -> h2.send(head, RawH2.rstStream(1, Http2Error.CANCEL));
            case "long" -> h2.send(head, RawH2.data(1, true, ("hello" + SMUGGLED).getBytes(StandardCharsets.US_ASCII)));
            default -> h2.send(head, RawH2.data(1, true, "hel".getBytes(StandardCharsets.US_ASCII)));
        }
        RawH2.Reply reply = h2.reply(1, Duration.ofMillis(500));
        // the upstream pool holds one connection: the next allowed request needs it at once
        long start = System.nanoTime();
        RawH2.Reply next = exchange(true, fields("GET", "/records/next", true));
        report("7/8 pool after " + what, reply + "; next request " + next + " after "
                + (System.nanoTime() - start) / 1_000_000 + " ms; upstream " + upstreamUris());
        assertEquals("status 200", next.toString());
        assertEquals(List.of("/records/next"), upstreamUris());
    }

    // ---- 9. CONTINUATION flood ----

    @Test
    void aHeaderBlockBeyondTheListLimitEndsTheConnectionInBoundedTime() throws Exception {
        RawH2 h2 = connect();
        // one 200 KB field, cut into a HEADERS and CONTINUATIONs that never say END_HEADERS
        byte[] all = RawH2.block(concat(fields("GET", "/records", true), "x-flood", "a".repeat(200_000)));
        long start = System.nanoTime();
        boolean written = h2.trySend(RawH2.headers(1, true, false, Arrays.copyOfRange(all, 0, RawH2.MAX_FRAME)));
        int frames = 1;
        for (int at = RawH2.MAX_FRAME; written && at < all.length; at += RawH2.MAX_FRAME) {
            int end = Math.min(all.length, at + RawH2.MAX_FRAME);
            written = h2.trySend(RawH2.continuation(1, false, Arrays.copyOfRange(all, at, end)));
            frames += written ? 1 : 0;
        }
        RawH2.Frame end = h2.awaitGoAwayOrClose(WAIT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        report("9 CONTINUATION flood", (end == null ? "still open" : end.type() == RawH2.GOAWAY
                ? "GOAWAY " + Http2Error.valueOf(end.errorCode()) : "closed") + " within " + ms + " ms; the client wrote "
                + frames + " frames (" + frames * RawH2.MAX_FRAME / 1024 + " KiB) before that");
        assertNotNull(end, "the connection is still open: " + h2.describeFrames());
        assertTrue(h2.awaitClosed(WAIT), "GOAWAY, then the connection closes");
        assertUpstreamSawOnly();
    }

    // ---- 10. rapid reset ----

    @Test
    void rapidlyResetStreamsEndTheConnection() throws Exception {
        RawH2 h2 = connect();
        byte[] refusedGet = RawH2.block(fields("GET", "/records", false)); // no token: never forwarded
        int sent = 0;
        boolean open = true;
        while (open && sent < 1000) {
            byte[][] burst = new byte[200][];
            for (int i = 0; i < 100; i++) {
                int stream = 1 + 2 * (sent + i);
                burst[2 * i] = RawH2.headers(stream, true, true, refusedGet);
                burst[2 * i + 1] = RawH2.rstStream(stream, Http2Error.CANCEL);
            }
            open = h2.trySend(burst);
            sent += open ? 100 : 0;
        }
        h2.trySend(RawH2.ping(42)); // the server answers it only after reading all the above
        RawH2.Frame end = h2.await(f -> f.type() == RawH2.GOAWAY || f.type() == RawH2.CLOSED
                || f.type() == RawH2.PING && (f.flags() & RawH2.ACK) != 0, WAIT);
        assertNotNull(end, h2.describeFrames());
        List<RawH2.Frame> frames = h2.frames();
        long answered = frames.subList(0, frames.indexOf(end)).stream().filter(f -> f.type() == RawH2.HEADERS).count();
        String what = end.type() == RawH2.GOAWAY ? "GOAWAY " + Http2Error.valueOf(end.errorCode()) + " (last stream "
                + end.lastStreamId() + ") after " + answered + " streams answered"
                : end.type() == RawH2.CLOSED ? "closed without GOAWAY" : "no GOAWAY: PING answered";
        report("10 rapid reset", what + "; " + sent + " HEADERS+RST pairs written");
        assertTrue(end.type() == RawH2.GOAWAY && end.errorCode() == Http2Error.ENHANCE_YOUR_CALM.code()
                || end.type() == RawH2.CLOSED, what);
        assertTrue(h2.awaitClosed(WAIT));
        assertEquals(List.of(), upstreamUris());
    }

    // ---- 11. more concurrent streams than SETTINGS_MAX_CONCURRENT_STREAMS ----

    @Test
    void streamsBeyondTheConcurrencyLimitAreRefused() throws Exception {
        // a zero stream window: the server can send no response body, so every answered stream stays open
        RawH2 h2 = connect(RawH2.SETTINGS_INITIAL_WINDOW_SIZE, 0);
        byte[] refusedGet = RawH2.block(fields("GET", "/records", false));
        byte[][] burst = new byte[150][];
        for (int i = 0; i < 150; i++) {
            burst[i] = RawH2.headers(1 + 2 * i, true, true, refusedGet);
        }
        h2.send(burst);
        int answered = 0;
        int refused = 0;
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            RawH2.Reply reply = h2.head(1 + 2 * i, WAIT);
            if (reply.toString().equals("status 401")) {
                answered++;
            } else if (reply.toString().equals("RST_STREAM REFUSED_STREAM")) {
                refused++;
            } else {
                others.add((1 + 2 * i) + ": " + reply);
                if (!reply.kind().equals("rst")) {
                    break; // the connection is gone: the rest will say the same
                }
            }
        }
        report("11 150 streams, limit 100", answered + " answered (401), " + refused + " REFUSED_STREAM, others "
                + others);
        assertEquals(100, answered, h2.describeFrames());
        assertEquals(50, refused, others.toString());
        assertEquals(List.of(), upstreamUris());
    }

    // ---- 12. CONNECT and TRACE ----

    @Test
    void connectAndTraceAreRefusedWith405() throws Exception {
        RawH2.Reply trace = exchange(true, fields("TRACE", "/records", true));
        RawH2.Reply connect = exchange(true, ":method", "CONNECT", ":authority", HOST + ":443",
                "authorization", "Bearer " + token);
        RawH2.Reply connectWithPath = exchange(true, fields("CONNECT", "/records", true));
        report("12 TRACE / CONNECT / CONNECT with :path", trace + " / " + connect + " / " + connectWithPath);
        assertEquals("status 405", trace.toString());
        assertEquals("method-not-allowed", new JsonObject(trace.body()).getString("error"));
        assertEquals("status 405", connect.toString());
        assertTrue(connectWithPath.malformedRefusal() || connectWithPath.toString().equals("status 405"),
                connectWithPath.toString());
        assertUpstreamSawOnly();
    }

    // ---- 13. cookie crumbs ----

    @Test
    void cookieFieldsAreJoinedIntoOneCookieHeaderUpstream() throws Exception {
        RawH2.Reply reply = exchange(true, fields("GET", "/records", true, "cookie", "a=1", "cookie", "b=2",
                "cookie", "c=3"));
        assertEquals("status 200", reply.toString());
        List<String> cookies = proxy.upstream.last().headers().getAll("cookie");
        report("13 three cookie fields", "upstream Cookie " + cookies);
        assertEquals(List.of("a=1; b=2; c=3"), cookies); // RFC 9113 §8.2.3
    }

    /**
     * An HTTP/1.1 upstream that records each request head byte for byte (ISO-8859-1), answers 200
     * and closes: what the proxy really wrote, before any server parser folded or split it.
     */
    static final class WireUpstream implements AutoCloseable {
        private final ServerSocket server;
        private final List<String> heads = new CopyOnWriteArrayList<>();

        WireUpstream() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        serve(socket);
                    } catch (IOException e) {
                        // closed, or a client that went away
                    }
                }
            }, "wire-upstream");
            accept.setDaemon(true);
            accept.start();
        }

        private void serve(Socket socket) throws IOException {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            if (head.size() > 0) {
                heads.add(head.toString(StandardCharsets.ISO_8859_1));
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        List<String> heads() {
            return List.copyOf(heads);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
