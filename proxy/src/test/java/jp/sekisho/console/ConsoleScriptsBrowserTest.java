package jp.sekisho.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import jp.sekisho.testing.ConsoleBrowser;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's pure functions as tables, run in the browser on the modules as served: the
 * plain-language summary made from an app's YAML, the edit form writing into the parsed app, CSV
 * cells, and ISMAP expiry.
 */
@Tag("browser")
class ConsoleScriptsBrowserTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private ConsoleBrowser browser;

    @BeforeEach
    void start() throws Exception {
        proxy.start(proxy.config("""
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                  console: {clientId: sekisho-console}
                """));
        browser = ConsoleBrowser.start();
        browser.driver.get("http://127.0.0.1:" + proxy.server().adminPort() + "/console/");
        browser.visible("sign-in");
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
    }

    /** Runs {@code body} (which sees the imported modules and returns a value) in the page. */
    private Object run(String modules, String body) {
        Object answer = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                Promise.all(%s.map(m => import('/console/' + m)))
                  .then(mods => { const m = Object.assign({}, ...mods); return (async () => { %s })(); })
                  .then(done, e => done('ERROR ' + e + ' ' + e.stack));""".formatted(modules, body));
        return answer;
    }

    @Test
    void summariesSayWhereFromWhichSignInAndWhichDevicesInPlainWords() {
        Object out = run("['summary.js', 'yaml.js']", """
                const lgwan = m.documentContext({segments: [{id: 'lgwan', name: 'LGWAN接続系', kind: 'lgwan'},
                  {id: 'honcho', name: '本庁舎'}], defaults: {mfa: {anyOf: ['face'], maxAgeSeconds: 28800}}});
                const cases = [
                  [`model: alpha
                allow: [{id: a, groups: [shimin-ka], segments: [lgwan]}]
                mfa: {anyOf: [face, otp], maxAgeSeconds: 900}
                posture: {managed: true}`, lgwan, 'ja'],
                  [`allow: [{id: a, groups: [shimin-ka], segments: [lgwan]}]
                mfa: {anyOf: [face, otp], maxAgeSeconds: 900, maxAgeSecondsByMethod: {otp: 300}}`, {}, 'ja'],
                  [`model: alpha-prime-1
                allow: [{id: a, groups: [all-staff]}]`, {}, 'ja'],
                  [`model: beta-prime
                allow: [{id: a, users: [tanaka]}]
                mfa: {anyOf: [hwk]}`, {}, 'ja'],
                  [`allow: [{id: a}]`, {}, 'ja'],
                  [`allow: [{id: a, groups: [g], segments: [honcho]}]`, lgwan, 'ja'],
                  [`model: alpha
                allow: [{id: a, groups: [shimin-ka], segments: [lgwan]}]
                mfa: {anyOf: [face, otp], maxAgeSeconds: 900}
                posture: {managed: true}`, lgwan, 'en'],
                ];
                return cases.map(([yaml, context, lang]) => m.summarize(m.parse(yaml), context, lang));""");
        assertEquals(List.of(
                "LGWAN系から、顔認証またはOTP(15分以内)、管理端末のみ、対象: shimin-ka",
                "LGWAN系から、顔認証(15分以内)またはOTP(5分以内)、端末の条件なし、対象: shimin-ka",
                "LGWAN系から、多要素認証(2要素)、管理端末のみ、対象: all-staff",
                "インターネット系・テレワークから、ハードウェアキー、管理端末のみ(準拠・EDR稼働・暗号化)、対象: tanaka",
                "どのネットワークからでも、多要素認証なし、端末の条件なし、対象: サインインした全員",
                "本庁舎から、顔認証(8時間以内)、端末の条件なし、対象: g",
                "from the LGWAN side; face or OTP (within 15 min); managed devices only; for shimin-ka"), out);
    }

    @Test
    void theFormWritesOnlyWhatItShowsAndKeepsEveryOtherKey() {
        Object out = run("['yaml.js', 'pages/edit-form.js']", """
                const app = m.parse(`id: records
                name: 住民記録
                hosts: [127.0.0.1]
                fileControls: {uploads: {refuseMyNumber: true}}
                allow:
                  - id: clerks
                    groups: [shimin-ka]
                    times: [office-hours]
                mfa: {anyOf: [sms, face], maxAgeSeconds: 900, acrValues: gold}
                posture: {managed: true, edr: {running: true}}`);
                const form = m.appForm({onChange: () => {}});
                document.body.appendChild(form.el);
                const byId = id => form.el.querySelector('[data-testid="' + id + '"]');
                form.fill(app);
                const untouched = m.write(form.applyTo(app)) === m.write(app);
                byId('mfa-anyof-face').checked = false;
                byId('mfa-anyof-hwk').checked = true;
                byId('mfa-max-age').value = '';
                byId('app-owner').value = '市民課';
                byId('rule-groups-clerks').value = 'shimin-ka, koseki-ka';
                byId('posture-managed').checked = false;
                const changed = form.applyTo(app);
                form.el.remove();
                return {untouched, keys: Object.keys(changed), mfa: changed.mfa, rule: changed.allow[0],
                  posture: changed.posture, original: app.mfa.anyOf};""");
        assertEquals(Map.of(
                "untouched", true,
                "keys", List.of("id", "name", "owner", "hosts", "fileControls", "allow", "mfa", "posture"),
                "mfa", Map.of("anyOf", List.of("sms", "hwk"), "acrValues", "gold"),
                "rule", Map.of("id", "clerks", "groups", List.of("shimin-ka", "koseki-ka"), "times", List.of("office-hours")),
                "posture", Map.of("edr", Map.of("running", true)),
                "original", List.of("sms", "face")), out);
    }

    @Test
    void csvCellsAreQuotedAndGuardedAgainstFormulas() {
        Object out = run("['csv.js']", """
                return [m.cell('=1+1'), m.cell('+81-3'), m.cell('-5'), m.cell('@SUM(A1)'), m.cell('a,b'),
                  m.cell('say "hi"'), m.cell('two\\nlines'), m.cell(['x', 'y']), m.cell(null), m.cell(42),
                  m.csv([{title: 'a', value: r => r.a}, {title: 'b', value: r => r.b}], [{a: 1, b: '=x'}])];""");
        assertEquals(List.of("'=1+1", "'+81-3", "'-5", "'@SUM(A1)", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"",
                "x y", "", "42", "\uFEFFa,b\r\n1,'=x\r\n"), out);
    }

    @Test
    void ismapRegistrationsEndingWithinSixtyDaysAreExpiringAndPastOnesExpired() {
        Object out = run("['pages/breakout.js']", """
                const today = '2026-11-24';
                const at = until => m.ismapState({ismap: {id: 'C1', validUntil: until}}, today);
                return [m.ismapState({}, today), at('2027-03-31'), at('2027-01-23'), at('2027-01-24'), at('2026-11-24'),
                  at('2026-11-23'), m.ismapState({ismap: {validFrom: '2026-12-01', validUntil: '2027-12-01'}}, today),
                  m.ismapState({ismap: {id: 'C2'}}, today)];""");
        assertEquals(List.of(Map.of("state", "none"), Map.of("state", "valid", "days", 127L),
                Map.of("state", "expiring", "days", 60L), Map.of("state", "valid", "days", 61L),
                Map.of("state", "expiring", "days", 0L), Map.of("state", "expired", "days", -1L),
                Map.of("state", "not-yet-valid", "days", 7L), Map.of("state", "valid")), out);
    }

    @Test
    void refusedDestinationsAreThoseNotOnTheAllowlistMostRefusedFirst() {
        Object out = run("['pages/breakout.js']", """
                const refused = (host, port, user, segment, reason) => ({kind: 'breakout', decision: 'deny',
                  reasons: [reason || 'destination-not-allowed'], destination: {host, port}, user: {username: user}, segment});
                return m.refusedDestinations([
                  refused('www.dropbox.com', 443, 'sato', 'lgwan'), refused('WWW.Dropbox.com', 443, 'suzuki', 'telework'),
                  refused('www.dropbox.com', 443, 'sato', 'lgwan'), refused('203.0.113.7', 80, 'sato', 'lgwan',
                  'destination-ip-literal'), refused('outlook.office.com', 443, 'sato', 'lgwan', 'ismap-expired'),
                  {kind: 'access', decision: 'deny', reasons: ['user-not-allowed']},
                  {kind: 'breakout', decision: 'allow', reasons: ['breakout-allowed'], destination: {host: 'x'}}]);""");
        assertEquals(List.of(
                Map.of("destination", "www.dropbox.com", "refusals", 3L, "users", 2L, "segments", "lgwan (2), telework (1)"),
                Map.of("destination", "203.0.113.7:80", "refusals", 1L, "users", 1L, "segments", "lgwan (1)")), out);
    }

    @Test
    void theFormSetsTheModelPresetAndFileControlsAndEmptiedOnesLeaveTheDefaultsInCharge() {
        Object out = run("['yaml.js', 'pages/edit-form.js']", """
                const app = m.parse(`id: zeimu
                hosts: [zeimu.localhost]
                model: alpha
                allow:
                  - {id: staff, groups: [zeimu-ka]}`);
                const form = m.appForm({onChange: () => {}});
                document.body.appendChild(form.el);
                const byId = id => form.el.querySelector('[data-testid="' + id + '"]');
                form.fill(app);
                const shown = byId('model-preset').value;
                byId('model-preset').value = 'beta-prime';
                byId('files-block-from').value = 'internet, telework';
                byId('files-refuse-mynumber').checked = true;
                const set = form.applyTo(app);
                form.fill(set);
                byId('model-preset').value = '';
                byId('files-block-from').value = '';
                byId('files-refuse-mynumber').checked = false;
                const cleared = form.applyTo(set);
                form.el.remove();
                return {shown, model: set.model, files: set.fileControls, clearedModel: cleared.model === undefined,
                  clearedFiles: cleared.fileControls};""");
        assertEquals(Map.of("shown", "alpha", "model", "beta-prime",
                "files", Map.of("downloads", Map.of("blockFrom", List.of("internet", "telework")),
                        "uploads", Map.of("refuseMyNumber", true)),
                "clearedModel", true,
                "clearedFiles", Map.of("uploads", Map.of("refuseMyNumber", false))), out);
    }
}
