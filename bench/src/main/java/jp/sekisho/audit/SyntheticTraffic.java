package jp.sekisho.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.posture.PostureCheck;
import jp.sekisho.posture.PostureFailure;

/**
 * A made-up day of a municipality's traffic, for measuring a policy replay: {@code apps} apps,
 * each for one section of staff (with segments, business hours, an MFA age, posture on every
 * fifth, a deny rule for exports from telework), 2,000 staff who each sign in once an hour from
 * their own terminal, and requests decided under that policy exactly as the gateway decides
 * them, as access records. The draft tightens a few
 * apps, so that some requests change.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar jp.sekisho.audit.SyntheticTraffic DIR RECORDS APPS}
 * writes {@code DIR/sekisho.yaml}, {@code DIR/draft.yaml} and a chained trail in
 * {@code DIR/data/audit}, for {@code sekisho policy replay -c DIR/sekisho.yaml --draft DIR/draft.yaml}.
 */
public final class SyntheticTraffic {

    public static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z"); // a Tuesday, 09:00 JST
    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final int STAFF = 2_000;
    private static final String ISSUER = "https://idp.example.lg.jp/realms/staff";

    private final int apps;
    private final PolicySnapshot current;
    private final Random random;
    private final AccessRecordJson json = new AccessRecordJson(JST);

    public SyntheticTraffic(int apps, long seed) {
        this.apps = apps;
        this.current = compile(config(apps, false), "current");
        this.random = new Random(seed);
    }

    /** The configuration in force ({@code draft} false), or the draft that tightens some apps. */
    public static String config(int apps, boolean draft) {
        StringBuilder yaml = new StringBuilder("""
                listen: {host: 127.0.0.1, port: 8080}
                dataDir: data
                issuers:
                  - id: staff
                    issuer: %s
                    audiences: [sekisho]
                devicePosture:
                  issuers:
                    - {id: mdm, issuer: https://mdm.example.lg.jp, jwksFile: posture-jwks.json}
                segments:
                  - {id: lgwan, name: LGWAN接続系, cidrs: [10.20.0.0/16]}
                  - {id: internet, name: インターネット接続系, cidrs: [10.30.0.0/16]}
                  - {id: telework, name: テレワーク, cidrs: [10.99.0.0/16]}
                timeWindows:
                  - {id: business-hours, days: [mon, tue, wed, thu, fri], hours: 08:00-20:00}
                apps:
                """.formatted(ISSUER));
        for (int a = 0; a < apps; a++) {
            // the draft: every 7th app drops its neighbouring section, every 10th wants fresher sign-ins
            String groups = draft && a % 7 == 3 ? "[section-%d]".formatted(a)
                    : "[section-%d, section-%d]".formatted(a, (a + 1) % apps);
            int maxAge = draft && a % 10 == 5 ? 1800 : 3600;
            yaml.append("""
                      - id: app-%1$d
                        hosts: [app-%1$d.city.example.lg.jp]
                        upstream: http://10.0.%2$d.%3$d:8080
                        mfa: {maxAgeSeconds: %4$d}
                    """.formatted(a, a / 250, a % 250, maxAge));
            if (a % 5 == 0) {
                yaml.append("    posture: {managed: true, diskEncrypted: true, maxObservationAgeSeconds: 86400}\n");
            }
            yaml.append("""
                        allow:
                          - id: section
                            groups: %s
                            segments: [lgwan, telework]
                            times: [business-hours]
                          - id: admins
                            users: [admin-0, admin-1]
                        deny:
                          - id: no-export-from-telework
                            segments: [telework]
                            paths: [/export/**]
                    """.formatted(groups));
        }
        return yaml.toString();
    }

    public static PolicySnapshot compile(String yaml, String version) {
        try {
            return PolicyCompiler.compile(SourceDocument.parse(version + ".yaml", yaml), version);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.errors().toString(), e);
        }
    }

    public PolicySnapshot current() {
        return current;
    }

    /** {@code count} requests over the day, decided under the current policy, in time order. */
    public List<AccessRecord> records(int count) {
        List<AccessRecord> records = new ArrayList<>(count);
        long spanMillis = Duration.ofHours(12).toMillis();
        for (int i = 0; i < count; i++) {
            records.add(request(i, DAY.plusMillis(spanMillis * i / count)));
        }
        return records;
    }

    private AccessRecord request(int i, Instant time) {
        int staff = random.nextInt(STAFF);
        int section = staff % apps;
        String username = staff < 2 ? "admin-" + staff : "staff-" + staff;
        // most go to their own section's app, some to the next (admitted), a few elsewhere (refused)
        int roll = random.nextInt(100);
        int app = roll < 80 ? section : roll < 95 ? (section + apps - 1) % apps : random.nextInt(apps);
        String host = "app-" + app + ".city.example.lg.jp";
        String path = random.nextInt(20) == 0 ? "/export/all.csv" : "/docs/" + random.nextInt(1000);
        // from their own terminal: most in the office (LGWAN), some at home, a few from the internet side
        int where = random.nextInt(100);
        String terminal = (staff / 256) + "." + (staff % 256);
        String source = where < 85 ? "10.20." + terminal : where < 97 ? "10.99." + terminal : "10.30." + terminal;
        // each member of staff signs in once an hour, at their own minute: one token for many requests
        Instant authTime = time.minusSeconds(Math.floorMod(time.getEpochSecond() + staff * 97L, 3600));
        boolean signedIn = random.nextInt(50) != 0;
        Identity identity = new Identity(ISSUER, "sub-" + staff, username,
                Set.of("section-" + section, "all-staff"), List.of("pwd", "otp"), Set.of("otp", "pwd"),
                Optional.empty(), Optional.of(authTime), authTime.plusSeconds(3600),
                Map.of("department", List.of("課-" + section)));
        DevicePosture device = device(staff, time);
        App routed = current.route(host, path).orElseThrow();
        Optional<String> segment = current.segments().of(source);
        Authentication authentication = signedIn ? Authentication.of(identity)
                : Authentication.failed(Reason.TOKEN_MISSING);
        Decision decision = PolicyEngine.decide(new RequestFacts(routed, authentication, device, "GET", path,
                RequestFacts.Quarantine.NONE, false, segment, Optional.of(source)), current, time);
        List<PostureFailure> failures = PostureCheck.failures(device, routed.posture(), time);
        String posture = !routed.posture().demandsAnything() ? "not-required" : failures.isEmpty() ? "passed" : "failed";
        List<String> evidence = device.facts().isPresent() ? List.of("certificate", "token")
                : device.isKnown() ? List.of("certificate") : List.of();
        return new AccessRecord("%016x%012x".formatted(DAY.getEpochSecond(), i), time, source, "GET", host, path,
                false, Optional.of(routed.id()), Optional.empty(), signedIn ? Optional.of(identity) : Optional.empty(),
                decision.outcome(), decision.reasons(), decision.ruleId(), current.version(),
                decision.outcome() == Outcome.ALLOW ? 200 : 403, 0, 2048, 3_000_000,
                new AccessRecord.Device(device.deviceId(), evidence, posture,
                        failures.stream().map(PostureFailure::code).toList(), device.facts(), Optional.empty()),
                segment, Optional.empty(), "%032x".formatted(i), "");
    }

    /** Seven in ten terminals present a posture token (one in ten of those unencrypted), the rest a certificate. */
    private DevicePosture device(int staff, Instant time) {
        String id = "LG-PC-" + staff;
        if (staff % 10 >= 7) {
            return DevicePosture.certificate(id);
        }
        DeviceFacts facts = new DeviceFacts(id, Optional.of(true), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("Defender", true, DeviceFacts.Risk.LOW)), Optional.of(staff % 70 != 0),
                Optional.of(true), Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.22631.4460").orElseThrow(), Optional.of(12))),
                Map.of("mdm", hourBefore(time, 3600), "edr", hourBefore(time, 0)));
        return DevicePosture.token(facts, true);
    }

    /** The start of the hour {@code time} falls in, less {@code seconds}: posture services report hourly. */
    private static Instant hourBefore(Instant time, long seconds) {
        return Instant.ofEpochSecond(time.getEpochSecond() - Math.floorMod(time.getEpochSecond(), 3600) - seconds);
    }

    /** The record's line as the trail writes it, without the chain's {@code seq} and {@code prev}. */
    public String line(AccessRecord record) {
        return new String(body(record), StandardCharsets.UTF_8);
    }

    private byte[] body(AccessRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
                json.write(record, out);
            }
            byte[] line = bytes.toByteArray();
            return Arrays.copyOf(line, line.length - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the records as a chained, checkpointed trail in {@code dir}, as the writer thread does. */
    public void writeTrail(Path dir, Path keys, List<AccessRecord> records) throws IOException {
        AuditKey key = AuditKey.loadOrCreate(Files.createDirectories(keys));
        Clock clock = Clock.fixed(records.isEmpty() ? DAY : records.get(records.size() - 1).time(), ZoneOffset.UTC);
        try (ChainedSegments trail = ChainedSegments.open(dir, key, clock, JST,
                new ChainedSegments.Limits(64L * 1024 * 1024, Duration.ofDays(1), Duration.ofMinutes(5)))) {
            int pending = 0;
            for (AccessRecord record : records) {
                trail.append(body(record));
                if (++pending == 512) {
                    trail.flush(false);
                    pending = 0;
                }
            }
            trail.flush(false);
        }
    }

    /** A posture service's public keys, so that the configuration's posture requirements load. */
    private static String postureKeys() {
        try {
            return new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("mdm-1").generate().toPublicJWK()).toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SyntheticTraffic DIR RECORDS APPS");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        int apps = Integer.parseInt(args[2]);
        Files.writeString(dir.resolve("posture-jwks.json"), postureKeys());
        Files.writeString(dir.resolve("sekisho.yaml"), config(apps, false));
        Files.writeString(dir.resolve("draft.yaml"), config(apps, true));
        SyntheticTraffic traffic = new SyntheticTraffic(apps, 42);
        traffic.writeTrail(dir.resolve("data/audit"), dir.resolve("data/keys"), traffic.records(count));
        System.err.println("wrote " + count + " records for " + apps + " apps to " + dir.resolve("data/audit"));
    }
}
