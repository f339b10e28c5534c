package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sekisho admin} as an administrator uses it: the CLI in-process against a real proxy
 * with its admin listener, real tokens in files, and the proxy enforcing what the CLI changed.
 */
class AdminCommandTest {

    static final String CHIYODA = "131016";
    static final String HACHIOJI = "132012";

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @TempDir
    Path dir;

    /** What the administrator saw. */
    record Run(int exit, String out, String err) {
    }

    String config(boolean twoPersonRule, String adminTls) {
        return """
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                reloadCheckSeconds: 3600
                admin:
                  listen: {host: 127.0.0.1, port: 0%s}
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
                    name: 住民記録
                    tenant: "131016"
                    owner: shimin-ka@city.example.lg.jp
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
                """.formatted(adminTls, twoPersonRule, proxy.idp.issuer(), proxy.upstream.url(), proxy.upstream.url());
    }

    @BeforeEach
    void start() throws Exception {
        proxy.start(config(false, ""));
    }

    /** A file holding an administrator's token, as the CLI reads it. */
    Path token(String user, String tenant, String... roles) throws Exception {
        Path file = dir.resolve(user + ".token");
        Files.writeString(file, proxy.idp.adminToken(user, tenant, roles) + "\n");
        return file;
    }

    /** {@code sekisho admin ARGS --url … --token-file TOKEN}, in-process. */
    Run admin(Path token, Object... args) throws Exception {
        return sekisho(token, "http://127.0.0.1:" + proxy.server().adminPort(), args);
    }

    Run sekisho(Path token, String url, Object... args) {
        List<String> line = new ArrayList<>(List.of("admin"));
        for (Object arg : args) {
            line.add(String.valueOf(arg));
        }
        line.addAll(List.of("--url", url, "--token-file", String.valueOf(token)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SekishoCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(line.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    int staffRequest(String host, String user, String... groups) throws Exception {
        return proxy.get(host, "/", "Authorization", "Bearer " + proxy.idp.token(user, groups)).status();
    }

    static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static void edit(Path file, String from, String to) throws Exception {
        String text = read(file);
        assertTrue(text.contains(from), text);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    @Test
    void getEditPutIsEnforcedAndACopyReadBeforeThatChangeIsRefused() throws Exception {
        Path suzuki = token("suzuki", CHIYODA, "policy-editor");
        Path takahashi = token("takahashi", CHIYODA, "tenant-admin");
        Path mine = dir.resolve("records.yaml");
        Path theirs = Files.createDirectories(dir.resolve("takahashi")).resolve("records.yaml");
        assertEquals(200, staffRequest("127.0.0.1", "sato", "shimin-ka"));

        Run get = admin(suzuki, "app", "get", "records", "-o", mine);
        assertEquals(0, get.exit(), get.err());
        assertTrue(read(mine).startsWith("id: records\n"), read(mine));
        assertTrue(read(EtagFile.beside(mine)).startsWith("\"app-"), "the ETag is kept beside the file");
        assertEquals(0, admin(takahashi, "app", "get", "records", "-o", theirs).exit());

        edit(mine, "groups: [shimin-ka]", "groups: [koseki-ka]");
        Run put = admin(suzuki, "app", "put", "records", mine, "-m", "窓口の異動");
        assertEquals(0, put.exit(), put.err());
        assertTrue(put.out().contains("applied: app records"), put.out());
        assertEquals(403, staffRequest("127.0.0.1", "sato", "shimin-ka"), "the proxy enforces the change at once");
        assertEquals(200, staffRequest("127.0.0.1", "sato", "koseki-ka"));

        edit(theirs, "groups: [shimin-ka]", "groups: [zeimu-ka]");
        Run stale = admin(takahashi, "app", "put", "records", theirs);
        assertEquals(4, stale.exit(), stale.err());
        assertTrue(stale.err().contains("app records changed since you read it")
                && stale.err().contains("sekisho admin app get records"), stale.err());
        assertEquals(1, stale.err().lines().count(), "one line: " + stale.err());
        assertEquals(403, staffRequest("127.0.0.1", "sato", "zeimu-ka"), "the stale copy is not served");

        edit(mine, "groups: [koseki-ka]", "groups: [koseki-ka, zeimu-ka]");
        assertEquals(0, admin(suzuki, "app", "put", "records", mine).exit(),
                "after a put, FILE.etag follows, so the next edit needs no new get");
        assertEquals(200, staffRequest("127.0.0.1", "sato", "zeimu-ka"));

        Run history = admin(suzuki, "app", "history", "records");
        assertEquals(0, history.exit(), history.err());
        assertTrue(history.out().contains("窓口の異動") && history.out().contains("suzuki"), history.out());
        assertEquals(4, history.out().lines().count(), "a heading and three versions: " + history.out());
        Run diff = admin(suzuki, "app", "diff", "records", "--from", 1, "--to", 2);
        assertTrue(diff.out().contains("-    groups: [shimin-ka]") && diff.out().contains("+    groups: [koseki-ka]"),
                diff.out());

        Run rollback = admin(suzuki, "app", "rollback", "records", "--to", 1, "-m", "戻す");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals(200, staffRequest("127.0.0.1", "sato", "shimin-ka"));
        assertEquals(403, staffRequest("127.0.0.1", "sato", "koseki-ka"));
    }

    @Test
    void anInvalidFileIsRefusedWithTheLinesOfItsErrors() throws Exception {
        Path editor = token("suzuki", CHIYODA, "policy-editor");
        Path file = dir.resolve("records.yaml");
        assertEquals(0, admin(editor, "app", "get", "records", "-o", file).exit());
        String original = read(file);
        edit(file, "groups: [shimin-ka]", "groups: [shimin-ka]\n    mfa: {anyOf: [face]}");
        int line = read(file).lines().toList().indexOf("    mfa: {anyOf: [face]}") + 1;

        Run check = admin(editor, "app", "check", "records", file);
        assertEquals(2, check.exit(), check.err());
        assertTrue(check.err().contains("app records:" + line + ":5: "), check.err());
        assertTrue(check.err().contains("unknown field 'mfa'"), check.err());
        Run put = admin(editor, "app", "put", "records", file);
        assertEquals(2, put.exit(), put.err());
        assertTrue(put.err().contains("app records:" + line + ":5: "), put.err());
        assertFalse(put.err().contains("Exception"), put.err());
        assertEquals(1, proxy.server().policy().serving().version().number(), "nothing was changed");

        Files.writeString(file, original.replace("shimin-ka", "koseki-ka"));
        Run valid = admin(editor, "app", "check", "records", file);
        assertEquals(0, valid.exit(), valid.err());
        assertTrue(valid.out().contains("valid") && valid.out().contains("+    groups: [koseki-ka]"), valid.out());
        assertEquals(1, proxy.server().policy().serving().version().number(), "a check changes nothing");

        Path fresh = dir.resolve("no-etag.yaml");
        Files.writeString(fresh, original);
        Run blind = admin(editor, "app", "put", "records", fresh);
        assertEquals(2, blind.exit());
        assertTrue(blind.err().contains("no ETag") && blind.err().contains("--if-match"), blind.err());
    }

    @Test
    void anAdministratorSeesOnlyTheirTenantsApps() throws Exception {
        Path chiyoda = token("suzuki", CHIYODA, "tenant-admin");
        Run apps = admin(chiyoda, "apps");
        assertEquals(0, apps.exit(), apps.err());
        List<String> rows = apps.out().lines().toList();
        assertEquals(2, rows.size(), apps.out());
        assertTrue(rows.get(0).startsWith("ID") && rows.get(0).contains("TENANT") && rows.get(0).contains("HOSTS"));
        assertTrue(rows.get(1).startsWith("records") && rows.get(1).contains("住民記録") && rows.get(1).contains(CHIYODA)
                && rows.get(1).contains("yes") && rows.get(1).contains("127.0.0.1"), rows.get(1));
        assertFalse(apps.out().contains("portal"), apps.out());
        JsonObject json = new JsonObject(admin(chiyoda, "apps", "--json").out());
        assertEquals(1, json.getJsonArray("apps").size());

        Run whoami = admin(chiyoda, "whoami");
        assertTrue(whoami.out().contains("tenants:  " + CHIYODA) && whoami.out().contains("roles:    tenant-admin"),
                whoami.out());
        Run theirs = admin(chiyoda, "app", "get", "portal");
        assertEquals(1, theirs.exit());
        assertTrue(theirs.err().startsWith("refused (404 not-found): app portal does not exist"), theirs.err());
        assertEquals(1, admin(chiyoda, "policy", "get").exit(), "the whole document holds other tenants' apps");

        Run global = admin(token("root", null, "global-admin"), "apps");
        assertTrue(global.out().contains("records") && global.out().contains("portal"), global.out());
    }

    @Test
    void aHeldUserIsRefusedUntilReleased() throws Exception {
        Path operator = token("yamada", CHIYODA, "security-operator");
        assertEquals(200, staffRequest("127.0.0.1", "sato", "shimin-ka"));

        Run hold = admin(operator, "quarantine", "hold", "--user", "sato", "-r", "不審なサインイン", "--tenant", CHIYODA);
        assertEquals(0, hold.exit(), hold.err());
        assertTrue(hold.out().startsWith("held: user sato"), hold.out());
        ProxyFixture.Response refused = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));
        assertEquals(403, refused.status());
        assertEquals("user-quarantined", new JsonObject(refused.body()).getString("error"));

        Run list = admin(operator, "quarantine", "list");
        assertTrue(list.out().contains("sato") && list.out().contains("不審なサインイン") && list.out().contains(CHIYODA),
                list.out());
        Run viewer = admin(token("kato", CHIYODA, "viewer"), "quarantine", "release", "--user", "sato", "-r", "x");
        assertEquals(1, viewer.exit());
        assertTrue(viewer.err().startsWith("refused (403 role-missing)"), viewer.err());

        assertEquals(0, admin(operator, "quarantine", "release", "--user", "sato", "-r", "本人確認済み").exit());
        assertEquals(200, staffRequest("127.0.0.1", "sato", "shimin-ka"));
        assertEquals(0, admin(operator, "sessions", "revoke", "--issuer", proxy.idp.issuer(), "--subject", "sato").exit());
    }

    @Test
    void whatStopsACommandIsOneClearLineAndAnExitCode() throws Exception {
        Run missing = admin(dir.resolve("nowhere.token"), "whoami");
        assertEquals(2, missing.exit());
        assertEquals("cannot read the token file " + dir.resolve("nowhere.token") + ": there is no such file",
                missing.err().strip());

        Path staff = dir.resolve("staff.token");
        Files.writeString(staff, proxy.idp.token("sato", "shimin-ka"));
        Run notAdmin = admin(staff, "whoami");
        assertEquals(1, notAdmin.exit());
        assertTrue(notAdmin.err().startsWith("refused (401 "), notAdmin.err());
        assertEquals(1, notAdmin.err().lines().count(), notAdmin.err());

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run down = sekisho(token("suzuki", CHIYODA, "viewer"), "http://127.0.0.1:" + closed, "apps");
        assertEquals(3, down.exit());
        assertTrue(down.err().startsWith("cannot connect to the admin API at http://127.0.0.1:" + closed), down.err());
        assertEquals(1, down.err().lines().count(), down.err());
    }

    @Test
    void aChangeToACriticalAppWaitsForASecondAdministrator() throws Exception {
        proxy.server().stop();
        proxy.start(config(true, ""));
        Path author = token("suzuki", CHIYODA, "policy-editor");
        Path second = token("takahashi", CHIYODA, "policy-editor");
        Path file = dir.resolve("records.yaml");
        assertEquals(0, admin(author, "app", "get", "records", "-o", file).exit());
        edit(file, "groups: [shimin-ka]", "groups: [koseki-ka]");

        Run proposed = admin(author, "app", "put", "records", file, "-m", "窓口の異動");
        assertEquals(0, proposed.exit(), proposed.err());
        Matcher id = Pattern.compile("proposal ([0-9a-f-]{36})").matcher(proposed.out());
        assertTrue(id.find(), proposed.out());
        assertEquals(200, staffRequest("127.0.0.1", "sato", "shimin-ka"), "not in force before approval");
        assertTrue(admin(second, "proposals").out().contains(id.group(1)));

        Run self = admin(author, "proposal", "approve", id.group(1));
        assertEquals(1, self.exit());
        assertTrue(self.err().contains("same-administrator"), self.err());
        Run approved = admin(second, "proposal", "approve", id.group(1));
        assertEquals(0, approved.exit(), approved.err());
        assertEquals(403, staffRequest("127.0.0.1", "sato", "shimin-ka"));
        assertEquals(200, staffRequest("127.0.0.1", "sato", "koseki-ka"));
    }

    @Test
    void theWholePolicyRoundTripsThroughAFileAsInGit() throws Exception {
        Path root = token("root", null, "global-admin");
        Path policy = dir.resolve("policy.yaml");
        assertEquals(0, admin(root, "policy", "get", "-o", policy).exit());
        assertTrue(read(policy).contains("# 千代田区の住民記録"), "comments are kept: " + read(policy));
        edit(policy, "groups: [all-staff]", "groups: [all-staff, rinji]");

        Run check = admin(root, "policy", "check", policy);
        assertEquals(0, check.exit(), check.err());
        assertTrue(check.out().contains("+        groups: [all-staff, rinji]"), check.out());
        Run put = admin(root, "policy", "put", policy, "-m", "臨時職員にポータルを開放");
        assertEquals(0, put.exit(), put.err());
        assertEquals(200, staffRequest("localhost", "ito", "rinji"));
        Run versions = admin(root, "policy", "versions");
        assertTrue(versions.out().contains("臨時職員にポータルを開放") && versions.out().contains("root"), versions.out());
        assertTrue(admin(root, "policy", "diff").out().contains("+        groups: [all-staff, rinji]"));

        assertEquals(0, admin(root, "policy", "rollback", "--to", 1).exit());
        assertEquals(403, staffRequest("localhost", "ito", "rinji"));
        Run stale = admin(root, "policy", "put", policy);
        assertEquals(4, stale.exit(), "the rollback came after this copy was read: " + stale.err());
        assertTrue(stale.err().contains("sekisho admin policy get"), stale.err());
    }

    @Test
    void anHttpsListenerOfAPrivateCaIsTrustedWithCacert() throws Exception {
        DeviceCa ca = DeviceCa.create("city-admin", dir.resolve("pki"));
        DeviceCa.Issued certificate = ca.serverCertificate("127.0.0.1");
        proxy.server().stop();
        proxy.start(config(false, ", tls: {certificates: [{certificateFile: %s, keyFile: %s}]}"
                .formatted(certificate.certificatePath(), certificate.privateKeyPath())));
        Path viewer = token("kato", CHIYODA, "viewer");
        String url = "https://127.0.0.1:" + proxy.server().adminPort();

        Run trusted = sekisho(viewer, url, "whoami", "--cacert", ca.caCertificatePath());
        assertEquals(0, trusted.exit(), trusted.err());
        assertTrue(trusted.out().contains("username: kato"), trusted.out());
        Run unknown = sekisho(viewer, url, "whoami");
        assertEquals(3, unknown.exit());
        assertTrue(unknown.err().startsWith("TLS with " + url + " failed") && unknown.err().contains("--cacert"),
                unknown.err());
    }
}
