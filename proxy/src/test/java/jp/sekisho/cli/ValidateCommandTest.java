package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void capture() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private int validate(String yaml) throws Exception {
        Path file = dir.resolve("sekisho.yaml");
        Files.writeString(file, yaml);
        return new CommandLine(new SekishoCli()).execute("validate", "--config", file.toString());
    }

    private static final String VALID = """
            issuers:
              - id: entra
                issuer: https://login.microsoftonline.com/tenant/v2.0
                audiences: [api://sekisho]
            apps:
              - id: records
                hosts: [records.example.lg.jp]
                upstream: http://10.0.0.5:8080
                allow:
                  - id: clerks
                    groups: [shimin-ka]
            """;

    @Test
    void validFileExitsZero() throws Exception {
        assertEquals(0, validate(VALID));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("valid (policy "), out.toString());
    }

    @Test
    void twoListenersOnOnePortAreRefused() throws Exception {
        int exit = validate(VALID + "management: {port: 9443}\nadmin: {listen: {port: 9443}, audiences: [sekisho-admin]}\n");
        assertEquals(2, exit);
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("admin.listen.port: port 9443 is already management.port"), report);
    }

    @Test
    void misspeltKeyIsReportedWithItsLineAndColumn() throws Exception {
        int exit = validate(VALID.replace("    upstream:", "    upstrem:"));

        assertEquals(2, exit);
        String report = err.toString(StandardCharsets.UTF_8);
        Path file = dir.resolve("sekisho.yaml");
        assertTrue(report.contains(file + ":8:5: apps[0].upstrem: unknown field 'upstrem'; did you mean 'upstream'?"),
                report);
        assertTrue(report.contains(file + ":5:5: apps[0]: required property 'upstream' not found")
                || report.contains("apps[0]: ") && report.contains("upstream"), report);
    }

    @Test
    void everyMistakeIsReportedAtOnce() throws Exception {
        int exit = validate(VALID
                .replace("id: records", "id: Records_App")
                .replace("http://10.0.0.5:8080", "ftp://10.0.0.5")
                .replace("audiences: [api://sekisho]", "audiences: []")
                + "trustedProxies: [proxy.example.lg.jp]\n");

        assertEquals(2, exit);
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains(":4:5: issuers[0].audiences:"), report);
        assertTrue(report.contains(":6:5: apps[0].id:"), report);
        assertTrue(report.contains("2 error(s)"), "semantic checks wait until the schema passes: " + report);
    }

    @Test
    void semanticErrorsAreReportedToo() throws Exception {
        int exit = validate(VALID.replace("http://10.0.0.5:8080", "ftp://10.0.0.5")
                + "trustedProxies: [proxy.example.lg.jp]\n");

        assertEquals(2, exit);
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains(":8:5: apps[0].upstream: upstream must be an http:// or https:// URL"), report);
        assertTrue(report.contains(":12:18: trustedProxies[0]: 'proxy.example.lg.jp' is not an IP address"), report);
    }

    @Test
    void browserSignInNeedsAnIssuerFoundByDiscovery() throws Exception {
        int exit = validate(VALID.replace("    audiences: [api://sekisho]", """
                    audiences: [api://sekisho]
                    jwksUri: https://login.microsoftonline.com/tenant/discovery/v2.0/keys""".stripLeading()
                .replace("\n", "\n    ").replaceFirst("^", "    ")) + """
                browserLogin:
                  issuer: entra
                  clientId: sekisho
                """);
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("browserLogin.issuer: browser sign-in finds the IdP's"
                + " endpoints by discovery"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void postureMistakesAreFoundBeforeTheFirstUserMeetsThem() throws Exception {
        String yaml = VALID + """
                    posture:
                      managed: true
                      certificate: true
                      edr: {maxRisk: severe}
                      minOsVersion: {windows: "10.0.x"}
                """;
        assertEquals(2, validate(yaml));
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("apps[0].posture.edr.maxRisk"), report);

        err.reset();
        assertEquals(2, validate(yaml.replace("maxRisk: severe", "maxRisk: low")));
        report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("apps[0].posture.minOsVersion.windows: '10.0.x' is not a version"), report);
        assertTrue(report.contains("apps[0].posture.certificate: no device could present a certificate"), report);
        assertTrue(report.contains("apps[0].posture: no device could prove these facts"), report);
    }

    @Test
    void postureFilesAreReadAtValidation() throws Exception {
        Files.writeString(dir.resolve("private.json"), new com.nimbusds.jose.jwk.JWKSet(
                new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k1").generate())
                .toString(false));
        String yaml = VALID.replace("apps:", """
                devicePosture:
                  issuers:
                    - {id: mdm, issuer: https://posture.example, jwksFile: missing.json}
                    - {id: edr, issuer: https://edr.example, jwksFile: private.json}
                  certificates: {trustAnchors: [device-ca.pem]}
                apps:""");
        assertEquals(2, validate(yaml));
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("devicePosture.issuers[0].jwksFile: cannot read"), report);
        assertTrue(report.contains("devicePosture.issuers[1].jwksFile:") && report.contains("holds a private key"),
                report);
        assertTrue(report.contains("devicePosture.certificates: device certificates travel over TLS"), report);
        assertTrue(report.contains("devicePosture.certificates.trustAnchors[0]: cannot read"), report);
    }

    @Test
    void tlsMistakesAreFoundAtValidation() throws Exception {
        jp.sekisho.testing.DeviceCa ca = jp.sekisho.testing.DeviceCa.create("city", dir.resolve("pki"));
        jp.sekisho.testing.DeviceCa.Issued one = ca.serverCertificate("records.example.lg.jp");
        jp.sekisho.testing.DeviceCa.Issued other = ca.serverCertificate("portal.example.lg.jp");
        String yaml = VALID.replace("issuers:", """
                listen:
                  port: 8443
                  tls: {certificateFile: %s, keyFile: %s}
                management:
                  redirectHttpPort: 8080
                upstreams:
                  tls: {trustedCaFiles: [missing-ca.pem]}
                issuers:""".formatted(one.certificatePath(), other.privateKeyPath()));
        assertEquals(2, validate(yaml));
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("listen.tls.certificateFile: ") && report.contains("is not the private key of"), report);
        assertTrue(report.contains("upstreams.tls.trustedCaFiles: "), report);
        assertTrue(report.contains("management.redirectHttpPort: only the staff listener"), report);

        err.reset();
        assertEquals(0, validate(yaml.replace(other.privateKeyPath().toString(), one.privateKeyPath().toString())
                .replace("  tls: {trustedCaFiles: [missing-ca.pem]}", "  tls: {trustedCaFiles: [" + ca.caCertificatePath()
                        + "]}").replace("management:\n  redirectHttpPort: 8080\n", "")), err.toString(StandardCharsets.UTF_8));
    }

    /** Five mistakes administrators make, each reported where it is, with what would be right. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            a misspelt rule key    | '        groups: [shimin-ka]'  | '        gruops: [shimin-ka]'  | :14:9: apps[0].allow[0].gruops: unknown field 'gruops'; did you mean 'groups'?
            a segment never named  | '        groups: [shimin-ka]'  | '        groups: [shimin-ka]\n        segments: [lgwn]' | :15:20: apps[0].allow[0].segments[0]: no segment has the id 'lgwn'; defined: lgwan
            a range that is not IP | 'cidrs: [10.20.0.0/16]'        | 'cidrs: [10.20.0.0/33]'        | :4:13: segments[0].cidrs[0]: '10.20.0.0/33' is not an IP address or CIDR range
            hours without a zero   | 'hours: 08:30-17:15'           | 'hours: 8:30-17:15'            | :7:5: timeWindows[0].hours: '8:30-17:15' is not a span of hours; write it as 08:30-17:15
            a model misspelt       | 'model: alpha'                 | 'model: alfa'                  | :15:5: apps[0].model: does not have a value in the enumeration
            """)
    void typicalMistakesAreReportedWithTheirPositionAndWhatIsAllowed(String mistake, String right, String wrong,
                                                                      String expected) throws Exception {
        String yaml = """
                segments:
                  - id: lgwan
                    kind: lgwan
                    cidrs: [10.20.0.0/16]
                timeWindows:
                  - id: business-hours
                    hours: 08:30-17:15
                issuers:
                  - {id: entra, issuer: https://login.microsoftonline.com/tenant/v2.0, audiences: [api://sekisho]}
                apps:
                  - id: records
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                    model: alpha
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                """;
        assertEquals(0, validate(yaml), err.toString(StandardCharsets.UTF_8));
        String broken = yaml.replace(right, wrong.replace("\\n", "\n"));
        assertTrue(!broken.equals(yaml), "the mistake was written in: " + mistake);
        assertEquals(2, validate(broken), mistake);
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains(dir.resolve("sekisho.yaml") + expected.strip()), mistake + ": " + report);
    }
}
