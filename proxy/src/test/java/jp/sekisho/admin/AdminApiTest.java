package jp.sekisho.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jp.sekisho.testing.Eventually;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API from the outside: real tokens, a real listener, and the proxy enforcing what it stores. */
class AdminApiTest {

    static final String CHIYODA = "131016";
    static final String HACHIOJI = "132012";

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private final HttpClient http = HttpClient.newHttpClient();

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    String config(boolean twoPersonRule) {
        return """
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                reloadCheckSeconds: 3600
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                  twoPersonRule: %s
                issuers:
                  - id: test
                    issuer: %s
                    audiences: [sekisho]
                    userClaim: preferred_username
                apps:
                  # 千代田区の住民記録
                  - id: records
                    tenant: "131016"
                    hosts: [127.0.0.1]
                    upstream: %s
                    critical: true
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                  - id: portal
                    tenant: "132012"
                    hosts: [localhost]
                    upstream: %s
                    allow:
                      - id: staff
                        groups: [all-staff]
                """.formatted(twoPersonRule, proxy.idp.issuer(), proxy.upstream.url(), proxy.upstream.url());
    }

    @BeforeEach
    void start() throws Exception {
        proxy.start(config(false));
    }

    String admin(String user, String tenant, String... roles) {
        return proxy.idp.adminToken(user, tenant, roles);
    }

    Reply call(String method, String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers());
    }

    int recordCount(String token) {
        try {
            return call("GET", "/api/v1/audit/records", token, null).json().getJsonArray("records").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    int staffRequest(String host, String... groups) throws Exception {
        return proxy.get(host, "/", "Authorization", "Bearer " + proxy.idp.token("sato", groups)).status();
    }

    @Test
    void anEditIsStoredAsAVersionEnforcedAtOnceAndRolledBack() throws Exception {
        String editor = admin("suzuki", CHIYODA, "policy-editor");
        assertEquals(200, staffRequest("127.0.0.1", "shimin-ka"));

        Reply app = call("GET", "/api/v1/apps/records", editor, null);
        assertEquals(200, app.status());
        String yaml = app.json().getString("yaml");
        assertTrue(yaml.startsWith("id: records\n"), yaml);
        Reply put = call("PUT", "/api/v1/apps/records", editor, yaml.replace("shimin-ka", "koseki-ka"),
                "If-Match", app.header("etag"), "X-Sekisho-Comment", "%E7%AA%93%E5%8F%A3%E3%81%AE%E7%95%B0%E5%8B%95");
        assertEquals(200, put.status(), put.body());
        assertEquals(2, put.json().getLong("number"));
        assertEquals(403, staffRequest("127.0.0.1", "shimin-ka"), "the old group is refused on the next request");
        assertEquals(200, staffRequest("127.0.0.1", "koseki-ka"));

        Reply versions = call("GET", "/api/v1/apps/records/history", editor, null);
        JsonArray list = versions.json().getJsonArray("versions");
        assertEquals(2, list.size(), versions.body());
        assertEquals("窓口の異動", list.getJsonObject(0).getString("comment"));
        assertEquals("suzuki", list.getJsonObject(0).getString("author"));

        Reply diff = call("GET", "/api/v1/apps/records/diff?from=1&to=2", editor, null);
        assertTrue(diff.body().contains("-    groups: [shimin-ka]") && diff.body().contains("+    groups: [koseki-ka]"),
                diff.body());

        Reply current = call("GET", "/api/v1/apps/records", editor, null);
        Reply rollback = call("POST", "/api/v1/apps/records/rollback", editor, "{\"to\": 1, \"comment\": \"戻す\"}",
                "If-Match", current.header("etag"));
        assertEquals(200, rollback.status(), rollback.body());
        assertEquals(3, rollback.json().getLong("number"));
        assertEquals(200, staffRequest("127.0.0.1", "shimin-ka"));
        assertEquals(yaml, call("GET", "/api/v1/apps/records", editor, null).json().getString("yaml"));
        assertEquals(3, proxy.server().policy().serving().version().number());
    }

    @Test
    void ofTwoEditsFromTheSameVersionOneWinsAndTheOtherGets412() throws Exception {
        String a = admin("suzuki", CHIYODA, "policy-editor");
        String b = admin("takahashi", CHIYODA, "tenant-admin");
        Reply read = call("GET", "/api/v1/apps/records", a, null);
        String yaml = read.json().getString("yaml");
        Reply first = call("PUT", "/api/v1/apps/records", a, yaml.replace("shimin-ka", "koseki-ka"),
                "If-Match", read.header("etag"));
        Reply second = call("PUT", "/api/v1/apps/records", b, yaml.replace("shimin-ka", "zeimu-ka"),
                "If-Match", read.header("etag"));
        assertEquals(200, first.status());
        assertEquals(412, second.status(), second.body());
        assertEquals("version-conflict", second.json().getString("error"));
        assertEquals(403, staffRequest("127.0.0.1", "zeimu-ka"), "the loser's change is not served");
        assertEquals(428, call("PUT", "/api/v1/apps/records", a, yaml, new String[0]).status(), "If-Match is required");
    }

    @Test
    void aCommentThatIsNotPercentEncodedIsRefusedNotLeftUnanswered() throws Exception {
        String editor = admin("suzuki", CHIYODA, "policy-editor");
        Reply read = call("GET", "/api/v1/apps/records", editor, null);
        Reply put = call("PUT", "/api/v1/apps/records", editor, read.json().getString("yaml"),
                "If-Match", read.header("etag"), "X-Sekisho-Comment", "50% off");
        assertEquals(400, put.status(), put.body());
        assertEquals("bad-comment", put.json().getString("error"));
        assertEquals(1, proxy.server().policy().serving().version().number());
    }

    @Test
    void anInvalidChangeIsRefusedWithItsLineAndTheServingPolicyStays() throws Exception {
        String editor = admin("suzuki", CHIYODA, "policy-editor");
        Reply read = call("GET", "/api/v1/apps/records", editor, null);
        String broken = read.json().getString("yaml").replace("groups: [shimin-ka]",
                "groups: [shimin-ka]\n    mfa: {anyOf: [face]}");
        Reply put = call("PUT", "/api/v1/apps/records", editor, broken, "If-Match", read.header("etag"));
        assertEquals(422, put.status(), put.body());
        JsonObject error = put.json().getJsonArray("errors").getJsonObject(0);
        assertEquals("app records", error.getString("file"), put.body());
        assertEquals(broken.lines().toList().indexOf("    mfa: {anyOf: [face]}") + 1, error.getInteger("line"),
                "the line in the text the administrator sent");
        assertEquals(5, error.getInteger("column"));
        assertTrue(error.getString("message").contains("unknown field 'mfa'"), put.body());

        String unknownSegment = read.json().getString("yaml").replace("id: clerks", "id: clerks\n    segments: [nowhere]");
        Reply semantic = call("PUT", "/api/v1/apps/records", editor, unknownSegment, "If-Match", read.header("etag"));
        assertEquals(422, semantic.status(), semantic.body());
        assertTrue(semantic.body().contains("nowhere"), semantic.body());
        assertEquals(1, proxy.server().policy().serving().version().number());
        assertEquals(200, staffRequest("127.0.0.1", "shimin-ka"));
    }

    @Test
    void aTenantsAdministratorCannotReadListChangeOrDetectAnotherTenantsApps() throws Exception {
        String chiyoda = admin("suzuki", CHIYODA, "tenant-admin");
        JsonArray apps = call("GET", "/api/v1/apps", chiyoda, null).json().getJsonArray("apps");
        assertEquals(List.of("records"), apps.stream().map(o -> ((JsonObject) o).getString("id")).toList());
        assertEquals("どのネットワークからでも、多要素認証なし、端末の条件なし",
                apps.getJsonObject(0).getJsonObject("summary").getString("ja"), "what the app asks, in plain words");

        Reply theirs = call("GET", "/api/v1/apps/portal", chiyoda, null);
        Reply nothing = call("GET", "/api/v1/apps/no-such-app", chiyoda, null);
        assertEquals(404, theirs.status());
        assertEquals(nothing.status(), theirs.status());
        assertEquals(nothing.json().getString("error"), theirs.json().getString("error"));
        assertEquals(404, call("PUT", "/api/v1/apps/portal", chiyoda, "id: portal\n", "If-Match", "*").status());
        assertEquals(404, call("GET", "/api/v1/apps/portal/history", chiyoda, null).status());
        assertEquals(404, call("GET", "/api/v1/policy", chiyoda, null).status(), "the whole document holds others' apps");
        Reply create = call("POST", "/api/v1/apps", chiyoda, "id: portal\ntenant: \"131016\"\nhosts: [x.example]\n"
                + "upstream: http://127.0.0.1:1\nallow: []\n");
        assertEquals(409, create.status());
        assertFalse(create.body().contains("exists"), "does not say another tenant has it: " + create.body());
        Reply moveAway = call("PUT", "/api/v1/apps/records", chiyoda, call("GET", "/api/v1/apps/records", chiyoda, null)
                .json().getString("yaml").replace(CHIYODA, HACHIOJI), "If-Match", "*");
        assertEquals(422, moveAway.status(), "an app cannot be handed to another tenant");

        String hachioji = admin("yamada", HACHIOJI, "security-operator");
        assertEquals(200, call("POST", "/api/v1/quarantine", hachioji,
                "{\"kind\": \"device\", \"id\": \"HJ-PC-0001\", \"reason\": \"EDR\"}").status());
        assertEquals(List.of(), call("GET", "/api/v1/quarantine", chiyoda, null).json().getJsonArray("holds").getList());
        assertEquals(404, call("POST", "/api/v1/quarantine/release", chiyoda,
                "{\"kind\": \"device\", \"id\": \"HJ-PC-0001\", \"reason\": \"mine now\"}").status());
        assertEquals(1, call("GET", "/api/v1/quarantine", hachioji, null).json().getJsonArray("holds").size());

        List<String> audit = proxy.stopAndReadAudit();
        List<String> denied = audit.stream().filter(l -> l.contains("denied-out-of-tenant")).collect(Collectors.toList());
        assertTrue(denied.size() >= 4, "each cross-tenant attempt is audited: " + denied);
        assertTrue(denied.stream().anyMatch(l -> l.contains("suzuki") && l.contains("portal")));
    }

    @Test
    void anOperatorOfTwoTenantsSaysWhichOneAHoldBelongsToAndCanReleaseIt() throws Exception {
        String both = proxy.idp.rs256(proxy.idp.claims("watanabe").audience("sekisho-admin")
                .claim("sekisho_roles", List.of("security-operator")).claim("amr", List.of("face"))
                .claim("sekisho_tenant", List.of(CHIYODA, HACHIOJI)).build());
        Reply unsaid = call("POST", "/api/v1/quarantine", both, "{\"kind\": \"device\", \"id\": \"PC-1\", \"reason\": \"EDR\"}");
        assertEquals(400, unsaid.status(), "a hold of no tenant would be out of its own author's reach");
        assertTrue(unsaid.json().getString("message").contains(CHIYODA + ", " + HACHIOJI), unsaid.body());
        assertEquals(400, call("POST", "/api/v1/quarantine", both,
                "{\"kind\": \"device\", \"id\": \"PC-1\", \"reason\": \"EDR\", \"tenant\": \"999999\"}").status());

        Reply held = call("POST", "/api/v1/quarantine", both,
                "{\"kind\": \"device\", \"id\": \"PC-1\", \"reason\": \"EDR\", \"tenant\": \"" + HACHIOJI + "\"}");
        assertEquals(200, held.status(), held.body());
        assertEquals(HACHIOJI, held.json().getString("tenant"));
        assertEquals(1, call("GET", "/api/v1/quarantine", both, null).json().getJsonArray("holds").size());
        assertEquals(1, call("GET", "/api/v1/quarantine", admin("yamada", HACHIOJI, "security-operator"), null)
                .json().getJsonArray("holds").size());
        assertEquals(200, call("POST", "/api/v1/quarantine/release", both,
                "{\"kind\": \"device\", \"id\": \"PC-1\", \"reason\": \"reimaged\"}").status());
    }

    @Test
    void aViewerSeesButCannotChange() throws Exception {
        String viewer = admin("kato", CHIYODA, "viewer");
        Reply read = call("GET", "/api/v1/apps/records", viewer, null);
        assertEquals(200, read.status());
        Reply put = call("PUT", "/api/v1/apps/records", viewer, read.json().getString("yaml"), "If-Match", read.header("etag"));
        assertEquals(403, put.status());
        assertEquals("role-missing", put.json().getString("error"));
        assertEquals(403, call("POST", "/api/v1/quarantine", viewer,
                "{\"kind\": \"user\", \"id\": \"sato\", \"reason\": \"x\"}").status());
        assertEquals(1, proxy.server().policy().serving().version().number());
    }

    @Test
    void onlyAStrongFreshAdminTokenForTheAdminAudienceGetsIn() throws Exception {
        assertEquals(401, call("GET", "/api/v1/apps", null, null).status());
        Reply staff = call("GET", "/api/v1/apps", proxy.idp.token("sato", "shimin-ka"), null);
        assertEquals(401, staff.status(), "a staff token for the apps is not an admin token");
        String noRole = proxy.idp.rs256(proxy.idp.claims("sato").audience("sekisho-admin").build());
        Reply refused = call("GET", "/api/v1/apps", noRole, null);
        assertEquals(403, refused.status());
        assertEquals("not-an-administrator", refused.json().getString("error"));
        String passwordOnly = proxy.idp.rs256(proxy.idp.claims("suzuki").audience("sekisho-admin")
                .claim("sekisho_roles", List.of("global-admin")).claim("amr", List.of("pwd")).build());
        Reply weak = call("GET", "/api/v1/apps", passwordOnly, null);
        assertEquals(401, weak.status());
        assertTrue(weak.header("www-authenticate").contains("insufficient_user_authentication"), weak.header("www-authenticate"));
        assertEquals("DENY", weak.header("x-frame-options"));
        Reply global = call("GET", "/api/v1/apps", admin("root", null, "global-admin"), null);
        assertEquals(2, global.json().getJsonArray("apps").size());
    }

    @Test
    void aChangeToACriticalAppWaitsForASecondAdministrator() throws Exception {
        proxy.server().stop();
        proxy.start(config(true));
        String author = admin("suzuki", CHIYODA, "policy-editor");
        String second = admin("takahashi", CHIYODA, "policy-editor");
        Reply read = call("GET", "/api/v1/apps/records", author, null);
        Reply proposed = call("PUT", "/api/v1/apps/records", author, read.json().getString("yaml")
                .replace("shimin-ka", "koseki-ka"), "If-Match", read.header("etag"));
        assertEquals(202, proposed.status(), proposed.body());
        assertEquals(200, staffRequest("127.0.0.1", "shimin-ka"), "not in force before approval");
        String id = proposed.json().getString("id");
        Reply self = call("POST", "/api/v1/proposals/" + id + "/approve", author, null);
        assertEquals(403, self.status());
        assertEquals("same-administrator", self.json().getString("error"));
        Reply approved = call("POST", "/api/v1/proposals/" + id + "/approve", second, null);
        assertEquals(200, approved.status(), approved.body());
        assertEquals(403, staffRequest("127.0.0.1", "shimin-ka"));
        assertNotEquals(1, proxy.server().policy().serving().version().number());
    }

    @Test
    void anAuditReaderFindsTheirTenantsRequestsOnly() throws Exception {
        assertEquals(200, staffRequest("127.0.0.1", "shimin-ka"));
        assertEquals(200, staffRequest("localhost", "all-staff"));
        String reader = admin("kansa", CHIYODA, "audit-reader");
        String global = admin("root", null, "global-admin");
        Eventually.await("both requests are in the trail", () -> recordCount(global) >= 2);

        JsonArray mine = call("GET", "/api/v1/audit/records?user=sato", reader, null).json().getJsonArray("records");
        assertEquals(List.of("records"), mine.stream().map(r -> ((JsonObject) r).getString("app")).toList());
        assertEquals("sato", mine.getJsonObject(0).getJsonObject("user").getString("username"));
        assertEquals(0, call("GET", "/api/v1/audit/records?app=portal", reader, null).json().getJsonArray("records").size(),
                "another tenant's app has no records, as far as this reader can tell");
        assertEquals(400, call("GET", "/api/v1/audit/records?decision=maybe", reader, null).status());
        assertEquals(403, call("GET", "/api/v1/audit/records", admin("kato", CHIYODA, "viewer"), null).status());
        assertEquals(200, call("GET", "/api/v1/apps/records", reader, null).status(), "every role may view apps");
        assertTrue(proxy.stopAndReadAudit().stream().anyMatch(l -> l.contains("audit-query") && l.contains("kansa")),
                "the auditors' own queries are recorded");
    }

    @Test
    void aRestartWithAnUntouchedFileKeepsAdministratorsChanges() throws Exception {
        String editor = admin("suzuki", CHIYODA, "policy-editor");
        Reply read = call("GET", "/api/v1/apps/records", editor, null);
        assertEquals(200, call("PUT", "/api/v1/apps/records", editor, read.json().getString("yaml")
                .replace("shimin-ka", "koseki-ka"), "If-Match", read.header("etag")).status());
        proxy.server().stop();
        proxy.start(java.nio.file.Files.readString(proxy.dir.resolve("sekisho.yaml")));
        assertEquals(2, proxy.server().policy().serving().version().number());
        assertEquals(200, staffRequest("127.0.0.1", "koseki-ka"), "the file did not undo the change");
    }

    @Test
    void simulateSaysWhatTheServingPolicyOrADraftWouldDecide() throws Exception {
        String viewer = admin("kato", CHIYODA, "viewer");
        JsonObject now = call("POST", "/api/v1/simulate", viewer,
                "{\"host\": \"127.0.0.1\", \"user\": \"sato\", \"groups\": [\"shimin-ka\"], \"methods\": [\"face\"]}").json();
        assertEquals("allow", now.getString("decision"));
        assertEquals("clerks", now.getString("rule"));
        String draft = proxy.server().policy().serving().version().text().replace("shimin-ka", "koseki-ka");
        JsonObject drafted = call("POST", "/api/v1/simulate", viewer, new JsonObject().put("host", "127.0.0.1")
                .put("user", "sato").put("groups", new JsonArray().add("shimin-ka")).put("draft", draft).encode()).json();
        assertEquals("deny", drafted.getString("decision"), drafted.encode());
        JsonObject theirs = call("POST", "/api/v1/simulate", viewer,
                "{\"host\": \"localhost\", \"user\": \"sato\", \"groups\": [\"all-staff\"]}").json();
        assertEquals(null, theirs.getString("app"), "another tenant's app is not revealed");
        assertEquals(List.of("app-unknown"), theirs.getJsonArray("reasons").getList());
    }

    @Test
    void replayShowsExactlyTheRecordedRequestsADraftWouldFlip() throws Exception {
        assertEquals(200, staffRequest("127.0.0.1", "shimin-ka"));
        assertEquals(403, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token("tanaka", "koseki-ka")).status());
        assertEquals(403, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token("kato", "zeimu-ka")).status());
        assertEquals(200, staffRequest("localhost", "all-staff"));
        String global = admin("root", null, "global-admin");
        Eventually.await("the four requests are in the trail", () -> recordCount(global) >= 4);

        String editor = admin("suzuki", CHIYODA, "policy-editor");
        String draft = call("GET", "/api/v1/apps/records", editor, null).json().getString("yaml")
                .replace("shimin-ka", "koseki-ka");
        Reply replay = call("POST", "/api/v1/apps/records/replay", editor, new JsonObject().put("yaml", draft).encode());
        assertEquals(200, replay.status(), replay.body());
        JsonObject report = replay.json();
        assertEquals(3, report.getLong("replayed"), "the records app's three requests, not the portal's: " + replay.body());
        assertEquals(2, report.getLong("outcomesChanged"), replay.body());
        assertTrue(replay.body().contains("sato") && replay.body().contains("tanaka"), replay.body());
        assertFalse(replay.body().contains("kato"), "an unchanged request is not among the examples: " + replay.body());
        assertEquals(1, proxy.server().policy().serving().version().number(), "a replay stores nothing");
        assertEquals(404, call("POST", "/api/v1/apps/portal/replay", editor, new JsonObject().put("yaml", "id: portal\n")
                .encode()).status());
    }
}
