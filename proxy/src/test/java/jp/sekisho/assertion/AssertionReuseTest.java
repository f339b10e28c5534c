package jp.sekisho.assertion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RecordingUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An ES256 signature costs ~1 ms on JDK 17: one per identity and app, not one per request. */
class AssertionReuseTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private double signatures() throws Exception {
        String metrics = proxy.management("/metrics").body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("sekisho_assertion_signatures_total ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void aBurstOfConcurrentRequestsForOneUserSignsOnce() throws Exception {
        String token = proxy.idp.token("sato", "shimin-ka");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            burst.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/" + i))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : burst) {
            assertEquals(200, response.get().statusCode());
        }
        assertEquals(1.0, signatures());
        Set<String> assertions = new HashSet<>();
        for (RecordingUpstream.Received received : proxy.upstream.received()) {
            assertions.add(received.header("X-Sekisho-Assertion"));
        }
        assertEquals(1, assertions.size(), "every request carried the same assertion");
    }

    @Test
    void assertionIsRenewedBeforeItExpiresAndEachAppGetsItsOwn() throws Exception {
        String sato = proxy.idp.token("sato", "shimin-ka", "all-staff");
        proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + sato);
        String first = proxy.upstream.last().header("X-Sekisho-Assertion");
        proxy.get("localhost", "/", "Authorization", "Bearer " + sato);
        assertTrue(!first.equals(proxy.upstream.last().header("X-Sekisho-Assertion")), "portal has its own");

        proxy.clock.advance(Duration.ofSeconds(111)); // within 10 s of the 120 s lifetime
        proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + sato);

        assertTrue(!first.equals(proxy.upstream.last().header("X-Sekisho-Assertion")), "renewed");
        assertEquals(3.0, signatures());
    }
}
