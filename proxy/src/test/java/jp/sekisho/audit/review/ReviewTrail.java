package jp.sekisho.audit.review;

import static jp.sekisho.audit.TestTrail.request;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.TestTrail;
import jp.sekisho.cli.SekishoCli;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.testing.MutableClock;
import picocli.CommandLine;

/**
 * A November 2026 trail (JST) with something for every section of the review.
 *
 * <pre>
 * 10-31 (Sat) 22:00  before the period: alice juminhyo allow                      (must not count)
 * 11-03 (Tue) 10:00  dave  juminhyo allow  -- a holiday in the test configuration
 * 11-04 (Wed) 07:00  alice juminhyo allow  -- early
 *             10:00  alice juminhyo allow  -- business hours
 *             22:00  bob   juminhyo allow  -- late
 * 11-05 (Thu) 09:00… heavy juminhyo allow × 500 (one each 30 s, 09:00–13:09:30)
 * 11-06 (Fri) 11:00… alice, bob, dave, eve, frank: 5 × juminhyo allow each
 *             23:00  &lt;script&gt;alert(1)&lt;/script&gt; juminhyo allow
 * 11-07 (Sat) 10:00  carol zeimu allow
 * 11-09 (Mon) 10:00… 20 unauthenticated (no user), 10 eve zeimu deny           -- the denial spike
 * 11-10 (Tue) 10:00  eve zeimu deny
 * 11-11 (Wed) 10:00  eve zeimu deny × 2
 * 11-12 (Thu) 10:00  frank zeimu step-up mfa-too-old × 2; frank juminhyo deny mfa-method-missing
 * 11-13 (Fri) 09:00  soc-tanaka quarantines device dev-9;  11-14 (Sat) 09:00 releases it
 * 11-16 (Mon) 09:00  file sekisho.yaml applies v43 over v42; 11-17 09:00 refuses v44 (keeps v43)
 * 11-20 (Fri) 12:00  a restart after a crash cuts a torn record: recovery
 * </pre>
 */
final class ReviewTrail {

    static final String HOSTILE = "<script>alert(1)</script>";
    static final String CONFIG = """
            timeZone: Asia/Tokyo
            holidays: [2026-11-03]
            timeWindows:
              - id: business-hours
                days: [mon, tue, wed, thu, fri]
                hours: 08:30-17:15
              - id: night-batch
                hours: 22:00-06:00
            """;

    final Path dir;

    private ReviewTrail(Path dir) {
        this.dir = dir;
    }

    static ReviewTrail write(Path root) throws IOException {
        Path dir = root.resolve("audit");
        Path keys = Files.createDirectories(root.resolve("keys"));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
        List<jp.sekisho.audit.AuditEntry> entries = new ArrayList<>();
        entries.add(request("before", jst("2026-10-31T22:00"), "alice", "juminhyo", "/", Outcome.ALLOW, 200));
        entries.add(request("holiday", jst("2026-11-03T10:00"), "dave", "juminhyo", "/", Outcome.ALLOW, 200));
        entries.add(request("early", jst("2026-11-04T07:00"), "alice", "juminhyo", "/", Outcome.ALLOW, 200));
        entries.add(request("day", jst("2026-11-04T10:00"), "alice", "juminhyo", "/", Outcome.ALLOW, 200));
        entries.add(request("late", jst("2026-11-04T22:00"), "bob", "juminhyo", "/", Outcome.ALLOW, 200));
        for (int i = 0; i < 500; i++) {
            entries.add(request("heavy-" + i, jst("2026-11-05T09:00").plusSeconds(30L * i), "heavy",
                    "juminhyo", "/住民記録/" + i, Outcome.ALLOW, 200));
        }
        int n = 0;
        for (String user : List.of("alice", "bob", "dave", "eve", "frank")) {
            for (int i = 0; i < 5; i++) {
                entries.add(request("f" + n, jst("2026-11-06T11:00").plusSeconds(60L * n++), user, "juminhyo", "/",
                        Outcome.ALLOW, 200));
            }
        }
        entries.add(request("hostile", jst("2026-11-06T23:00"), HOSTILE, "juminhyo", "/", Outcome.ALLOW, 200));
        entries.add(request("saturday", jst("2026-11-07T10:00"), "carol", "zeimu", "/", Outcome.ALLOW, 200));
        for (int i = 0; i < 20; i++) {
            entries.add(request("u" + i, jst("2026-11-09T10:00").plusSeconds(i), null, "zeimu", "/",
                    Outcome.UNAUTHENTICATED, 401));
        }
        for (int i = 0; i < 10; i++) {
            entries.add(request("d" + i, jst("2026-11-09T11:00").plusSeconds(i), "eve", "zeimu", "/", Outcome.DENY,
                    403));
        }
        entries.add(request("d10", jst("2026-11-10T10:00"), "eve", "zeimu", "/", Outcome.DENY, 403));
        entries.add(request("d11", jst("2026-11-11T10:00"), "eve", "zeimu", "/", Outcome.DENY, 403));
        entries.add(request("d12", jst("2026-11-11T10:01"), "eve", "zeimu", "/", Outcome.DENY, 403));
        entries.add(decided(request("s1", jst("2026-11-12T10:00"), "frank", "zeimu", "/", Outcome.STEP_UP, 401),
                Outcome.STEP_UP, Reason.MFA_TOO_OLD));
        entries.add(decided(request("s2", jst("2026-11-12T10:05"), "frank", "zeimu", "/", Outcome.STEP_UP, 401),
                Outcome.STEP_UP, Reason.MFA_TOO_OLD));
        entries.add(decided(request("m1", jst("2026-11-12T10:10"), "frank", "juminhyo", "/", Outcome.DENY, 403),
                Outcome.DENY, Reason.MFA_METHOD_MISSING));
        entries.add(new AdminRecord("q1", jst("2026-11-13T09:00"), "soc-tanaka", "10.0.0.5", "quarantine", "device",
                "dev-9", "EDR alert"));
        entries.add(new AdminRecord("q2", jst("2026-11-14T09:00"), "soc-tanaka", "10.0.0.5", "release", "device",
                "dev-9", "reimaged"));
        entries.add(new AdminRecord("p1", jst("2026-11-16T09:00"), "file sekisho.yaml", "127.0.0.1", "policy-apply",
                "policy", "v43", "v42"));
        entries.add(new AdminRecord("p2", jst("2026-11-17T09:00"), "file sekisho.yaml", "127.0.0.1",
                "policy-refuse", "policy", "v43", "/apps/0/upstream: not a URL"));
        try (TestTrail trail = TestTrail.open(dir, keys, clock)) {
            for (jp.sekisho.audit.AuditEntry entry : entries) {
                trail.write(entry);
            }
        }
        // the process dies in the middle of a record; the next start cuts it and records the cut
        List<Path> segments = AuditFiles.files(dir);
        Files.writeString(segments.get(segments.size() - 1), "{\"seq\":99999,\"prev\":\"00", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        clock.advance(Duration.between(clock.instant(), jst("2026-11-20T12:00")));
        TestTrail.open(dir, keys, clock).close();
        return new ReviewTrail(dir);
    }

    static Instant jst(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + ":00+09:00").toInstant();
    }

    /** {@code r} with another outcome and reason. */
    static AccessRecord decided(AccessRecord r, Outcome outcome, Reason reason) {
        return new AccessRecord(r.requestId(), r.time(), r.sourceAddress(), r.method(), r.host(), r.path(),
                r.corsPreflight(), r.app(), Optional.empty(), r.user(), outcome, List.of(reason), Optional.empty(), r.policyVersion(),
                r.status(), r.bytesIn(), r.bytesOut(), r.durationNanos(), r.device(), r.segment(), r.file(),
                r.traceId(), r.query());
    }

    /** The review of November 2026 with {@code hours}. */
    Review review(BusinessHours hours) throws IOException {
        try (Stream<String> lines = AuditFiles.lines(dir)) {
            return ReviewCollector.read(lines, dir.toString(), ReviewPeriod.parse("2026-11-01", "2026-12-01"), hours,
                    Review.Rules.DEFAULT, Instant.parse("2026-12-01T00:00:00Z"));
        }
    }

    /** The configuration with holidays, written beside the trail. */
    Path config() throws IOException {
        return Files.writeString(dir.resolveSibling("sekisho.yaml"), CONFIG, StandardCharsets.UTF_8);
    }

    /** What one run of {@code sekisho audit report} left. */
    record Run(int exitCode, byte[] bytes, String err) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static Run run(Path output, String... args) throws IOException {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SekishoCli()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute(args);
        return new Run(code, output != null && Files.exists(output) ? Files.readAllBytes(output) : new byte[0],
                err.toString());
    }
}
