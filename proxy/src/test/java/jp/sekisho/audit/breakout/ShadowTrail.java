package jp.sekisho.audit.breakout;

import static jp.sekisho.audit.TestTrail.breakout;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditEntry;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.TestTrail;
import jp.sekisho.audit.review.ReviewPeriod;
import jp.sekisho.cli.SekishoCli;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.testing.MutableClock;
import picocli.CommandLine;

/**
 * A November 2026 trail (JST) of forward-proxy records, with an app request among them and a
 * torn line at the end.
 *
 * <pre>
 * id   time         user    groups               segment   device  destination                  decision, first reason
 * b0   10-31 23:59  sato    shimin-ka            lgwan     dev-1   www.dropbox.com              deny not-allowed (before)
 * b1   11-02 09:00  sato    shimin-ka            lgwan     dev-1   www.dropbox.com              deny not-allowed
 * b2   11-02 10:00  suzuki  shimin-ka zeimu-ka   lgwan     dev-2   www.dropbox.com              deny not-allowed
 * b3   11-03 11:00  sato    shimin-ka            internet  dev-1   WWW.DROPBOX.COM              deny not-allowed
 * b4   11-04 09:00  tanaka  kikaku-ka            telework  dev-3   www.dropbox.com              deny not-allowed
 * b5   11-05 09:00  tanaka  kikaku-ka            telework  dev-3   drive.google.com             deny not-allowed
 * b6   11-05 09:30  tanaka  kikaku-ka            telework  dev-3   drive.google.com             deny not-allowed
 * b7   11-06 10:00  sato    shimin-ka            lgwan     dev-1   files.example.com:8443       deny port-not-allowed
 * b8   11-06 11:00  (none)                       lgwan     -       203.0.113.7                  deny ip-literal
 * b9   11-07 09:00  sato    shimin-ka            lgwan     dev-1   login.microsoftonline.com    allow
 * b10  11-07 10:00  sato    shimin-ka            lgwan     dev-1   app.box.com                  deny device-posture-missing
 * b11  11-08 10:00  suzuki  shimin-ka zeimu-ka   lgwan     dev-2   app.box.com                  deny ismap-expired
 * b12  11-08 11:00  suzuki  shimin-ka zeimu-ka   lgwan     dev-2   app.box.com                  deny ismap-expired
 * b13  11-09 09:00  (none)                       internet  -       www.dropbox.com              unauthenticated
 * b14  11-09 09:10  sato    shimin-ka            lgwan     dev-1   tenant.sharepoint.com        step-up mfa-too-old
 * r1   11-10 10:00  an app request, denied: not a breakout record
 * b15  12-01 00:00  sato    shimin-ka            lgwan     dev-1   www.dropbox.com              deny not-allowed (the end)
 * then a torn line
 * </pre>
 * Ports are 443 unless shown.
 */
final class ShadowTrail {

    static final Set<String> SHIMIN = Set.of("shimin-ka");
    static final Set<String> SHIMIN_ZEIMU = Set.of("shimin-ka", "zeimu-ka");
    static final Set<String> KIKAKU = Set.of("kikaku-ka");
    static final ReviewPeriod NOVEMBER = ReviewPeriod.parse("2026-11-01", "2026-12-01");
    static final Instant GENERATED = Instant.parse("2026-12-01T00:00:00Z");

    final Path dir;

    private ShadowTrail(Path dir) {
        this.dir = dir;
    }

    static ShadowTrail write(Path root) throws IOException {
        Reason notAllowed = Reason.DESTINATION_NOT_ALLOWED;
        List<AuditEntry> entries = List.of(
                breakout("b0", jst("2026-10-31T23:59"), "sato", SHIMIN, "lgwan", "dev-1", "www.dropbox.com", 443,
                        Outcome.DENY, notAllowed),
                breakout("b1", jst("2026-11-02T09:00"), "sato", SHIMIN, "lgwan", "dev-1", "www.dropbox.com", 443,
                        Outcome.DENY, notAllowed),
                breakout("b2", jst("2026-11-02T10:00"), "suzuki", SHIMIN_ZEIMU, "lgwan", "dev-2", "www.dropbox.com",
                        443, Outcome.DENY, notAllowed),
                breakout("b3", jst("2026-11-03T11:00"), "sato", SHIMIN, "internet", "dev-1", "WWW.DROPBOX.COM", 443,
                        Outcome.DENY, notAllowed),
                breakout("b4", jst("2026-11-04T09:00"), "tanaka", KIKAKU, "telework", "dev-3", "www.dropbox.com", 443,
                        Outcome.DENY, notAllowed),
                breakout("b5", jst("2026-11-05T09:00"), "tanaka", KIKAKU, "telework", "dev-3", "drive.google.com",
                        443, Outcome.DENY, notAllowed),
                breakout("b6", jst("2026-11-05T09:30"), "tanaka", KIKAKU, "telework", "dev-3", "drive.google.com",
                        443, Outcome.DENY, notAllowed, Reason.DESTINATION_UNRESOLVED),
                breakout("b7", jst("2026-11-06T10:00"), "sato", SHIMIN, "lgwan", "dev-1", "files.example.com", 8443,
                        Outcome.DENY, Reason.DESTINATION_PORT_NOT_ALLOWED),
                breakout("b8", jst("2026-11-06T11:00"), null, Set.of(), "lgwan", null, "203.0.113.7", 443,
                        Outcome.DENY, Reason.DESTINATION_IP_LITERAL),
                breakout("b9", jst("2026-11-07T09:00"), "sato", SHIMIN, "lgwan", "dev-1", "login.microsoftonline.com",
                        443, Outcome.ALLOW, Reason.BREAKOUT_ALLOWED),
                breakout("b10", jst("2026-11-07T10:00"), "sato", SHIMIN, "lgwan", "dev-1", "app.box.com", 443,
                        Outcome.DENY, Reason.DEVICE_POSTURE_MISSING, notAllowed),
                breakout("b11", jst("2026-11-08T10:00"), "suzuki", SHIMIN_ZEIMU, "lgwan", "dev-2", "app.box.com", 443,
                        Outcome.DENY, Reason.ISMAP_EXPIRED),
                breakout("b12", jst("2026-11-08T11:00"), "suzuki", SHIMIN_ZEIMU, "lgwan", "dev-2", "app.box.com", 443,
                        Outcome.DENY, Reason.ISMAP_EXPIRED),
                breakout("b13", jst("2026-11-09T09:00"), null, Set.of(), "internet", null, "www.dropbox.com", 443,
                        Outcome.UNAUTHENTICATED, Reason.TOKEN_MISSING),
                breakout("b14", jst("2026-11-09T09:10"), "sato", SHIMIN, "lgwan", "dev-1", "tenant.sharepoint.com",
                        443, Outcome.STEP_UP, Reason.MFA_TOO_OLD),
                TestTrail.request("r1", jst("2026-11-10T10:00"), "sato", "juminhyo", "/", Outcome.DENY, 403),
                breakout("b15", jst("2026-12-01T00:00"), "sato", SHIMIN, "lgwan", "dev-1", "www.dropbox.com", 443,
                        Outcome.DENY, notAllowed));
        return write(root, entries, true);
    }

    /** A trail of {@code entries}, with a torn line after them when asked. */
    static ShadowTrail write(Path root, List<AuditEntry> entries, boolean torn) throws IOException {
        Path dir = root.resolve("audit");
        MutableClock clock = new MutableClock(Instant.parse("2026-10-31T00:00:00Z"));
        try (TestTrail trail = TestTrail.open(dir, Files.createDirectories(root.resolve("keys")), clock)) {
            for (AuditEntry entry : entries) {
                trail.write(entry);
            }
        }
        if (torn) { // the process died in the middle of a record, and no start has cut it yet
            List<Path> segments = AuditFiles.files(dir);
            Files.writeString(segments.get(segments.size() - 1), "{\"seq\":99999,\"prev\":\"00\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return new ShadowTrail(dir);
    }

    static Instant jst(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + ":00+09:00").toInstant();
    }

    /** The report of {@code period}, from {@code segment} when given, {@code top} rows. */
    ShadowIt report(ReviewPeriod period, Optional<String> segment, int top) throws IOException {
        try (Stream<String> lines = AuditFiles.lines(dir)) {
            return ShadowItTally.read(lines, dir.toString(), period, segment, top, GENERATED);
        }
    }

    ShadowIt november() throws IOException {
        return report(NOVEMBER, Optional.empty(), 20);
    }

    /** What one run of {@code sekisho audit shadow-it} left. */
    record Run(int exitCode, byte[] bytes, String err) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Runs the command (to a file beside the trail unless the options name one). */
    Run run(String... options) throws IOException {
        Path out = dir.resolveSibling("shadow-" + System.nanoTime());
        List<String> args = new java.util.ArrayList<>(List.of("audit", "shadow-it", dir.toString()));
        args.addAll(List.of(options));
        if (!args.contains("--output")) {
            args.addAll(List.of("--output", out.toString()));
        }
        return execute(out, args.toArray(String[]::new));
    }

    static Run execute(Path output, String... args) throws IOException {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SekishoCli()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute(args);
        return new Run(code, output != null && Files.exists(output) ? Files.readAllBytes(output) : new byte[0],
                err.toString());
    }
}
