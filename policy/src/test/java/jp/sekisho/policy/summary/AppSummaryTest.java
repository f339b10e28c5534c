package jp.sekisho.policy.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;

/** The one-line summary says what the compiled app enforces, in the administrators' words. */
class AppSummaryTest {

    private static final String POLICY = """
            segments:
              - {id: lgwan, name: LGWAN接続系, kind: lgwan, cidrs: [10.20.0.0/16]}
              - {id: telework, name: テレワーク, kind: telework, cidrs: [10.99.0.0/16]}
            apps:
              - id: records
                hosts: [records.example.lg.jp]
                upstream: http://10.0.0.1
                allow:
                  - {id: clerks, groups: [shimin-ka], segments: [lgwan]}
                mfa: {anyOf: [otp, face], maxAgeSeconds: 900}
                posture: {managed: true}
              - id: portal
                hosts: [portal.example.lg.jp]
                upstream: http://10.0.0.2
                allow:
                  - {id: staff, groups: [all-staff]}
              - id: mail
                hosts: [mail.example.lg.jp]
                upstream: http://10.0.0.3
                allow:
                  - {id: office, groups: [all-staff], segments: [lgwan]}
                  - {id: home, groups: [all-staff], segments: [telework]}
                mfa: {anyOf: [hwk], maxAgeSeconds: 28800}
                posture: {certificate: true}
            """;

    private static AppSummary summary(String app) throws Exception {
        PolicySnapshot policy = PolicyCompiler.compile(SourceDocument.parse("p.yaml", POLICY), "v1");
        return AppSummary.of(policy.app(app).orElseThrow(), policy.segments());
    }

    @Test
    void saysFromWhereHowStronglyAndOnWhatDevice() throws Exception {
        AppSummary records = summary("records");
        assertEquals("LGWAN接続系から、顔認証またはOTP(15分以内)、管理端末のみ", records.ja());
        assertEquals("From LGWAN接続系; face recognition or OTP (within 15 min); managed devices only", records.en());
        assertEquals(Set.of("lgwan"), records.segments());
    }

    @Test
    void aMethodWithItsOwnWindowIsSaidWithIt() throws Exception {
        PolicySnapshot policy = PolicyCompiler.compile(SourceDocument.parse("p.yaml", POLICY.replace(
                "mfa: {anyOf: [otp, face], maxAgeSeconds: 900}",
                "mfa: {anyOf: [otp, face], maxAgeSeconds: 900, maxAgeSecondsByMethod: {otp: 300}}")), "v1");
        AppSummary records = AppSummary.of(policy.app("records").orElseThrow(), policy.segments());
        assertEquals("LGWAN接続系から、顔認証(15分以内)またはOTP(5分以内)、管理端末のみ", records.ja());
        assertEquals("From LGWAN接続系; face recognition (within 15 min) or OTP (within 5 min); managed devices only",
                records.en());
    }

    @Test
    void anAppOpenFromAnywhereWithoutMfaSaysSo() throws Exception {
        assertEquals("どのネットワークからでも、多要素認証なし、端末の条件なし", summary("portal").ja());
    }

    @Test
    void severalSegmentsHoursAndCertificates() throws Exception {
        assertEquals("LGWAN接続系・テレワークから、ハードウェアキー(8時間以内)、端末証明書", summary("mail").ja());
    }
}
