package jp.sekisho.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import jp.sekisho.testing.TestPostureService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator cuts a device or user off: the very next request is refused and open WebSockets close. */
class QuarantineTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestPostureService posture;
    private String dpt;

    @BeforeEach
    void start() throws Exception {
        posture = new TestPostureService(proxy.dir.resolve("posture"), proxy.clock);
        proxy.start(proxy.config(posture.settings()));
        dpt = posture.token(posture.healthy("LG-PC-0001"));
    }

    private ProxyFixture.Response records(String user) throws Exception {
        return proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token(user, "shimin-ka"),
                "X-Sekisho-Device-Posture", dpt);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().managementPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String action(String kind, String id) {
        return new JsonObject().put("kind", kind).put("id", id).put("reason", "EDR アラート #4711")
                .put("operator", "joho-admin").encode();
    }

    @Test
    void quarantinedDeviceIsRefusedOnItsNextRequestAndReleaseRestoresIt() throws Exception {
        assertEquals(200, records("sato").status());

        assertEquals(200, post("/quarantine", action("device", "LG-PC-0001")).statusCode());
        ProxyFixture.Response held = records("sato");
        assertEquals(403, held.status());
        assertEquals("device-quarantined", new JsonObject(held.body()).getString("error"));
        assertEquals(200, proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka")).status(), "other devices are not affected");

        assertEquals(200, post("/quarantine/release", action("device", "LG-PC-0001")).statusCode());
        assertEquals(200, records("sato").status());
        assertEquals(404, post("/quarantine/release", action("device", "LG-PC-0001")).statusCode(),
                "releasing what is not held says so");
    }

    @Test
    void idsAreMatchedAsTheSocSpellsThemCaseAndSpacesAside() throws Exception {
        assertEquals(200, post("/quarantine", action("device", " lg-pc-0001 ")).statusCode());
        assertEquals("device-quarantined", new JsonObject(records("sato").body()).getString("error"));
        assertEquals(200, post("/quarantine", action("user", "SATO")).statusCode());
        assertEquals("user-quarantined", new JsonObject(proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka")).body()).getString("error"));
        assertEquals(200, post("/quarantine/release", action("device", "LG-PC-0001")).statusCode());
    }

    @Test
    void quarantinedUserIsRefusedOnEveryDevice() throws Exception {
        assertEquals(200, post("/quarantine", action("user", "sato")).statusCode());
        ProxyFixture.Response held = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));
        assertEquals("user-quarantined", new JsonObject(held.body()).getString("error"));
        assertEquals(200, records("tanaka").status(), "another user on the same device passes");
    }

    @Test
    void quarantineClosesTheDevicesOpenWebSocketAtOnce() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + proxy.idp.token("sato", "shimin-ka") + "\r\n"
                    + "X-Sekisho-Device-Posture: " + dpt + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);

            HttpResponse<String> held = post("/quarantine", action("device", "LG-PC-0001"));
            assertEquals(1, new JsonObject(held.body()).getInteger("closedConnections"), held.body());
            assertEquals(-1, readUntilClosed(in), "the proxy closed the WebSocket");
        }
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_quarantine_closed_tunnels_total 1.0"), metrics);
    }

    @Test
    void holdsSurviveARestartAndEveryActionIsAudited() throws Exception {
        post("/quarantine", action("device", "LG-PC-0001"));
        List<String> firstRun = proxy.stopAndReadAudit();
        proxy.start(java.nio.file.Files.readString(proxy.dir.resolve("sekisho.yaml")));
        assertEquals("device-quarantined", new JsonObject(records("sato").body()).getString("error"));
        JsonObject list = new JsonObject(proxy.management("/quarantine").body());
        assertEquals("LG-PC-0001", list.getJsonArray("holds").getJsonObject(0).getString("id"));
        assertEquals("joho-admin", list.getJsonArray("holds").getJsonObject(0).getString("operator"));

        JsonObject admin = firstRun.stream().map(JsonObject::new).filter(r -> "admin".equals(r.getString("kind")))
                .findFirst().orElseThrow();
        assertEquals("quarantine", admin.getString("action"));
        assertEquals("joho-admin", admin.getString("operator"));
        assertEquals("EDR アラート #4711", admin.getString("reason"));
        assertEquals(new JsonObject().put("kind", "device").put("id", "LG-PC-0001"), admin.getJsonObject("target"));
    }

    @Test
    void badActionsAreRefusedWithWhatIsWrong() throws Exception {
        HttpResponse<String> noReason = post("/quarantine", new JsonObject().put("kind", "device")
                .put("id", "LG-PC-0001").put("operator", "joho-admin").encode());
        assertEquals(400, noReason.statusCode());
        assertTrue(noReason.body().contains("reason is required"), noReason.body());
        HttpResponse<String> badKind = post("/quarantine", action("printer", "LG-PC-0001"));
        assertEquals(400, badKind.statusCode());
        HttpResponse<String> injected = post("/quarantine", action("device", "LG-PC-0001\r\nX-Evil: 1"));
        assertTrue(injected.body().contains("control characters"), injected.body());
        assertEquals(400, post("/quarantine", "not json").statusCode());
        assertEquals(200, records("sato").status(), "nothing was held");
    }


    /** Reads until the peer closes; -1 then, or fails on the socket timeout. */
    private static int readUntilClosed(InputStream in) throws IOException {
        try {
            int b;
            do {
                b = in.read();
            } while (b >= 0);
            return b;
        } catch (SocketTimeoutException e) {
            return -2;
        }
    }
}
