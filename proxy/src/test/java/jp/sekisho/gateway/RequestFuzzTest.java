package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import jp.sekisho.testing.RecordingUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutates valid requests (paths, headers, framing, request line) and sends them on raw
 * sockets, checking after each one the invariant that matters: a request is either refused,
 * or forwarded in canonical form — and never to the route the policy denies. Runs for
 * {@code -Dsekisho.fuzz.seconds} (default 10, longer on demand) with a printed seed, so any
 * finding can be replayed with {@code -Dsekisho.fuzz.seed}.
 */
class RequestFuzzTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    /** A request under construction, allowed to be broken in any way. */
    private static final class Raw {
        String method = "GET";
        String target = "/records/list";
        String version = "HTTP/1.1";
        final List<String> headers = new ArrayList<>();
        String body = "";

        String bytes() {
            StringBuilder out = new StringBuilder(method).append(' ').append(target).append(' ').append(version)
                    .append("\r\n");
            headers.forEach(h -> out.append(h).append("\r\n"));
            return out.append("\r\n").append(body).toString();
        }
    }

    private static final List<String> DENIED_PATHS = List.of("/secret", "/secret/", "/secret/plan.xlsx");
    private static final List<String> PATH_DISGUISES = List.of("/%73ecret", "/records/../secret", "/records/%2e%2e/secret",
            "/records/%2E%2E%2Fsecret", "//secret", "/./secret", "/records\\..\\secret", "/SECRET", "/secret;x=1",
            "/records/..;/secret", "/%c0%ae%c0%ae/secret", "/records/%00/../secret", "/records/.%2e/secret",
            "/records%2fsecret", "/%2fsecret", "/records/%252e%252e/secret", "/sEcReT/plan", "/records/\t/../secret",
            "/secret%20", "/secret%09", "http://127.0.0.1/secret", "*", "/records/%ef%bc%8e%ef%bc%8e/secret");

    @Test
    @Timeout(120)
    void mutatedRequestsAreRefusedOrForwardedCanonicallyAndNeverToTheDeniedRoute() throws Exception {
        proxy.start(proxy.configWithApps("", """
                  - id: secret
                    hosts: [127.0.0.1]
                    pathPrefixes: [/secret]
                    upstream: %s
                    allow:
                      - id: kanri-only
                        groups: [kanri]
                """.formatted(proxy.upstream.url())));
        String token = proxy.idp.token("sato", "shimin-ka"); // allowed on records, not on secret
        long seed = Long.getLong("sekisho.fuzz.seed", System.nanoTime());
        int seconds = Integer.getInteger("sekisho.fuzz.seconds", 10);
        Random random = new Random(seed);
        System.out.println("request fuzz: seed " + seed + ", " + seconds + " s");

        List<Consumer<Raw>> mutations = mutations(random, token);
        Map<Integer, Integer> statuses = new TreeMap<>();
        int executions = 0;
        int seen = 0;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Raw raw = new Raw();
            raw.target = random.nextBoolean() ? DENIED_PATHS.get(random.nextInt(DENIED_PATHS.size())) : "/records/list";
            raw.headers.add("Host: 127.0.0.1");
            raw.headers.add("Authorization: Bearer " + token);
            raw.headers.add("Connection: close");
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                mutations.get(random.nextInt(mutations.size())).accept(raw);
            }
            String answer = send(raw.bytes());
            statuses.merge(status(answer), 1, Integer::sum);
            executions++;
            List<RecordingUpstream.Received> received = proxy.upstream.received();
            for (; seen < received.size(); seen++) {
                RecordingUpstream.Received forwarded = received.get(seen);
                String sent = raw.bytes();
                String why = "seed " + seed + ", request:\n" + (sent.length() > 600 ? sent.substring(0, 600) + "…" : sent)
                        + "\nforwarded as " + forwarded.uri();
                assertCanonicalAndAllowed(forwarded, why);
            }
        }
        System.out.printf("request fuzz: %d executions in %d s (%.0f/s), %d forwarded, statuses %s%n", executions,
                seconds, executions / (double) seconds, seen, statuses);
        assertTrue(executions > 50, "the fuzzer ran");
        assertTrue(statuses.getOrDefault(200, 0) > 0 && statuses.getOrDefault(400, 0) > 0,
                "mutations both pass and fail: " + statuses);
    }

    private static void assertCanonicalAndAllowed(RecordingUpstream.Received forwarded, String why) {
        String uri = forwarded.uri();
        String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
        String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        assertTrue(path.startsWith("/") && !path.contains("//") && !path.contains("\\"), why);
        for (String segment : decoded.split("/", -1)) {
            assertTrue(!segment.equals(".") && !segment.equals(".."), "a dot segment reached the upstream: " + why);
        }
        String route = PathNormalizer.routingForm(path).toLowerCase(Locale.ROOT);
        assertTrue(!route.equals("/secret") && !route.startsWith("/secret/") && !route.startsWith("/secret;"),
                "the denied route: " + why);
        assertEquals(path, PathNormalizer.normalize(path), "forwarded in canonical form: " + why);
        assertTrue(forwarded.header("X-Sekisho-Assertion") != null, why);
        assertEquals(null, forwarded.header("Authorization"), why);
    }

    private static List<Consumer<Raw>> mutations(Random random, String token) {
        List<Consumer<Raw>> all = new ArrayList<>();
        all.add(r -> r.target = PATH_DISGUISES.get(random.nextInt(PATH_DISGUISES.size())));
        all.add(r -> r.target = r.target + (random.nextBoolean() ? "?q=%2e%2e/secret" : "#frag"));
        all.add(r -> r.headers.add("Host: " + (random.nextBoolean() ? "127.0.0.1" : "localhost")));
        all.add(r -> r.headers.removeIf(h -> h.startsWith("Host:")));
        all.add(r -> r.headers.replaceAll(h -> h.startsWith("Host:") ? "host : 127.0.0.1" : h));
        all.add(r -> r.headers.add("X-Folded: a\r\n b"));
        all.add(r -> {
            r.method = "POST";
            r.headers.add("Content-Length: 5");
            r.headers.add("Transfer-Encoding: chunked");
            r.body = "5\r\nhello\r\n0\r\n\r\nGET /secret HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n";
        });
        all.add(r -> {
            r.method = "POST";
            r.headers.add("Transfer-Encoding: " + List.of("chunked", "gzip, chunked", "chunked, identity", " chunked",
                    "CHUNKED").get(random.nextInt(5)));
            r.body = List.of("5\r\nhello\r\n0\r\n\r\n", "5;ext=\"x\r\nhello\r\n0\r\n\r\n", "zz\r\nhello\r\n0\r\n\r\n",
                    "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n").get(random.nextInt(4));
        });
        all.add(r -> {
            r.method = "POST";
            int length = random.nextInt(12);
            r.headers.add("Content-Length: " + List.of(Integer.toString(length), "+5", "5, 5", "-1", "0x05")
                    .get(random.nextInt(5)));
            r.body = "hello world!".substring(0, random.nextInt(12));
        });
        all.add(r -> r.method = List.of("get", "TRACE", "CONNECT", "OPTIONS", "DELETE", "G\u0000ET", "PROPFIND")
                .get(random.nextInt(7)));
        all.add(r -> r.version = List.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.1 ", "http/1.1", "HTTP/1.10")
                .get(random.nextInt(5)));
        all.add(r -> r.headers.add(List.of("X-Sekisho-Assertion: forged", "X-Forwarded-For: 10.0.0.1",
                "X-Remote-User: admin", "Connection: close, X-Sekisho-Assertion", "Authorization: Bearer x",
                "Expect: 100-continue").get(random.nextInt(6))));
        all.add(r -> r.headers.removeIf(h -> h.startsWith("Authorization:")));
        all.add(r -> r.target = r.target.replace("/", "/" + "a".repeat(random.nextInt(3) * 3000) + "/"));
        return all;
    }

    private String send(String raw) throws Exception {
        return RawHttp.sendUntilClosed(proxy.port(), raw, 300).text();
    }

    private static final java.util.regex.Pattern STATUS_LINE = java.util.regex.Pattern.compile("^HTTP/\\S+ (\\d{3})");

    /** The first response's status, 0 when the proxy answered nothing (closed or reset). */
    private static int status(String answer) {
        java.util.regex.Matcher m = STATUS_LINE.matcher(answer);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
