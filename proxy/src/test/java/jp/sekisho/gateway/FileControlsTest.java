package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * File controls from the outside: α′ case 2 blocks downloads to LGWAN terminals, β on
 * telework does not; an upload that carries a 個人番号 never reaches the upstream whole.
 * The test client is 127.0.0.1 (LGWAN); behind the trusted proxy at 127.0.0.1 it may name a
 * telework address instead.
 */
class FileControlsTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private String token;

    @BeforeEach
    void start() throws Exception {
        proxy.start(proxy.configWithApps("""
                trustedProxies: [127.0.0.1]
                segments:
                  - {id: lgwan, kind: lgwan, cidrs: [127.0.0.0/8]}
                  - {id: home, kind: telework, cidrs: [10.99.0.0/16]}
                """, """
                  - id: teams
                    hosts: [teams.localhost]
                    upstream: %1$s
                    model: alpha-prime-2
                    mfa: {anyOf: [face]}
                    presetOverrides: [{control: posture, reason: the test has no posture service}]
                    allow:
                      - {id: staff, groups: [shimin-ka]}
                  - id: groupware
                    hosts: [gw.localhost]
                    upstream: %1$s
                    model: beta
                    mfa: {anyOf: [face]}
                    presetOverrides: [{control: posture, reason: the test has no posture service}]
                    fileControls:
                      uploads: {refuseMyNumber: true, maxBytes: 2000}
                    allow:
                      - {id: staff, groups: [shimin-ka]}
                """.formatted(proxy.upstream.url())));
        token = "Bearer " + proxy.idp.token("sato", "shimin-ka");
    }

    private String get(String host, String path, String from) throws Exception {
        return RawHttp.exchange(proxy.port(), "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: "
                + token + "\r\n" + (from == null ? "" : "X-Forwarded-For: " + from + "\r\n")
                + "Connection: close\r\n\r\n");
    }

    @Test
    void alphaPrime2BlocksDownloadsToLgwanTerminalsAndNamesTheFile() throws Exception {
        String page = get("teams.localhost", "/chat", null);
        assertEquals(200, RawHttp.status(page), "pages still open: " + page);
        String download = get("teams.localhost", "/files/%E8%AD%B0%E4%BA%8B%E9%8C%B2.docx", null); // 議事録.docx
        assertEquals(403, RawHttp.status(download), download);
        assertTrue(download.contains("download-blocked") && !download.contains("hello from upstream"), download);
        List<String> audit = proxy.stopAndReadAudit();
        JsonObject record = new JsonObject(audit.get(1));
        assertEquals("download", record.getJsonObject("file").getString("direction"));
        assertEquals("議事録.docx", record.getJsonObject("file").getString("name"));
        assertTrue(record.getJsonArray("reasons").contains("download-blocked"), record.encode());
        assertEquals("lgwan", record.getString("segment"));
    }

    @Test
    void betaOnTeleworkDownloadsAndTheRecordStillNamesTheFile() throws Exception {
        String download = get("gw.localhost", "/files/report.pdf", "10.99.1.2");
        assertEquals(200, RawHttp.status(download), download);
        assertTrue(download.toLowerCase().contains("content-disposition: attachment"), download);
        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("home", record.getString("segment"));
        assertEquals("report.pdf", record.getJsonObject("file").getString("name"));
    }

    private String upload(String... chunks) throws Exception {
        StringBuilder request = new StringBuilder("POST /upload HTTP/1.1\r\nHost: gw.localhost\r\nAuthorization: "
                + token + "\r\nX-Forwarded-For: 10.99.1.2\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            request.append(Integer.toHexString(bytes.length)).append("\r\n")
                    .append(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return RawHttp.sendUntilClosed(proxy.port(), request.append("0\r\n\r\n").toString(), 2000).text();
    }

    @Test
    void anUploadCarryingAMyNumberNeverReachesTheUpstreamWhole() throws Exception {
        String clean = upload("氏名: 佐藤\n", "電話: 03-1234-5678\n");
        assertEquals(200, RawHttp.status(clean), clean);
        // the number is split between two chunks, as a network would split it
        String carrying = upload("氏名: 佐藤\n個人番号: 1234 56", "78 9018\n備考: なし\n");
        assertEquals(403, RawHttp.status(carrying), carrying);
        assertTrue(carrying.contains("personal-data-detected"), carrying);
        assertEquals(List.of("/upload"), proxy.upstream.received().stream().map(r -> r.uri()).toList(),
                "only the clean upload arrived whole");
        List<String> audit = proxy.stopAndReadAudit();
        JsonObject passed = new JsonObject(audit.get(0)).getJsonObject("file");
        byte[] body = "氏名: 佐藤\n電話: 03-1234-5678\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(body.length, passed.getLong("bytes"));
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body)), passed.getString("sha256"), "auditors can tell which file was sent");
        JsonObject record = new JsonObject(audit.get(1));
        assertEquals("upload", record.getJsonObject("file").getString("direction"));
        assertTrue(!record.getJsonObject("file").containsKey("sha256"), "no hash of a file cut short");
        assertTrue(record.getJsonArray("reasons").contains("personal-data-detected"), record.encode());
    }

    @Test
    void anAppsOwnUploadLimitIsEnforcedOnAnnouncedAndStreamedBodies() throws Exception {
        String announced = RawHttp.sendUntilClosed(proxy.port(), "POST /upload HTTP/1.1\r\nHost: gw.localhost\r\n"
                + "Authorization: " + token + "\r\nContent-Length: 2001\r\n\r\n" + "x".repeat(2001), 2000).text();
        assertEquals(413, RawHttp.status(announced), announced);
        String streamed = upload("y".repeat(1500), "z".repeat(1500));
        assertEquals(413, RawHttp.status(streamed), streamed);
        assertEquals(List.of(), proxy.upstream.received());
    }
}
