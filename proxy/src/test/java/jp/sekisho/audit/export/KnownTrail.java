package jp.sekisho.audit.export;

import static jp.sekisho.audit.TestTrail.request;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.audit.AuditEntry;
import jp.sekisho.audit.DecisionRecord;
import jp.sekisho.audit.TestTrail;
import jp.sekisho.cli.SekishoCli;
import jp.sekisho.policy.Outcome;
import jp.sekisho.testing.MutableClock;
import picocli.CommandLine;

/**
 * A trail with known records over three days (JST), and a way to export it with the command line.
 *
 * <pre>
 * r1  11-23 09:00  佐藤  juminhyo  /住民記録/検索       allow 200  (managed device, downloaded 住民票.pdf)
 * r2  11-23 10:30  鈴木  zeimu     /税務/課税台帳       deny  403
 * a1  11-23 11:00  管理者 quarantines device dev-7 (operator action)
 * r3  11-24 08:00  佐藤  zeimu     /税務/申告〜         allow 200
 * r4  11-24 09:30  佐藤  juminhyo  /住民記録/照会       decision only: the process stopped during it
 * r5  11-24 10:00  鈴木  juminhyo  /住民記録/一覧       decision, then access, allow 200
 * r6  11-25 00:00  =cmd|' /C calc'!A0  juminhyo  a path with CR LF, U+2028, U+2029, a comma and quotes; deny 403
 * r7  11-25 01:00  (nobody) juminhyo /𠮷              unauthenticated 401
 * </pre>
 * Checkpoints fall between them (one a minute of the trail's clock; each write moves it 30 s).
 */
final class KnownTrail {

    static final String INJECTION_USER = "=cmd|' /C calc'!A0";
    static final String HOSTILE_PATH = "/a\r\nb\u2028c\u2029d,\"e\"";
    static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    final Path dir;

    private KnownTrail(Path dir) {
        this.dir = dir;
    }

    static KnownTrail write(Path root) throws IOException {
        Path dir = root.resolve("audit");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
        try (TestTrail trail = TestTrail.open(dir, Files.createDirectories(root.resolve("keys")), clock)) {
            List<AuditEntry> entries = List.of(
                    TestTrail.withDeviceAndFile(request("r1", jst("2026-11-23T09:00"), "佐藤", "juminhyo",
                            "/住民記録/検索", Outcome.ALLOW, 200), "dev-1", "住民票.pdf", SHA256),
                    request("r2", jst("2026-11-23T10:30"), "鈴木", "zeimu", "/税務/課税台帳", Outcome.DENY, 403),
                    new AdminRecord("a1", jst("2026-11-23T11:00"), "管理者", "10.0.0.5", "quarantine", "device",
                            "dev-7", "紛失届"),
                    request("r3", jst("2026-11-24T08:00"), "佐藤", "zeimu", "/税務/申告\u301C", Outcome.ALLOW, 200),
                    new DecisionRecord(request("r4", jst("2026-11-24T09:30"), "佐藤", "juminhyo", "/住民記録/照会",
                            Outcome.ALLOW, 0)),
                    new DecisionRecord(request("r5", jst("2026-11-24T10:00"), "鈴木", "juminhyo", "/住民記録/一覧",
                            Outcome.ALLOW, 0)),
                    request("r5", jst("2026-11-24T10:00"), "鈴木", "juminhyo", "/住民記録/一覧", Outcome.ALLOW, 200),
                    request("r6", jst("2026-11-25T00:00"), INJECTION_USER, "juminhyo", HOSTILE_PATH, Outcome.DENY, 403),
                    request("r7", jst("2026-11-25T01:00"), null, "juminhyo", "/\uD842\uDFB7", Outcome.UNAUTHENTICATED,
                            401));
            for (AuditEntry entry : entries) {
                trail.write(entry);
                clock.advance(Duration.ofSeconds(30));
            }
        }
        return new KnownTrail(dir);
    }

    /** Another trail in {@code dir}, to export the same way. */
    static KnownTrail at(Path dir) {
        return new KnownTrail(dir);
    }

    static Instant jst(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + ":00+09:00").toInstant();
    }

    /** What one run of {@code sekisho audit export} left: its exit code, the file it wrote, and its stderr. */
    record Export(int exitCode, byte[] bytes, String err) {

        String text(Charset charset) {
            return new String(bytes, charset);
        }

        /** The output as UTF-8 lines, split at LF only (a CR or U+2028 would stay inside a line). */
        List<String> lines() {
            return List.of(text(StandardCharsets.UTF_8).split("\n"));
        }

        /** The CSV rows (without the BOM and the header), each cut into its cells per RFC 4180. */
        List<List<String>> rows(Charset charset) {
            String text = text(charset);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            List<List<String>> rows = new ArrayList<>();
            for (String line : text.split("\r\n")) {
                rows.add(cells(line));
            }
            return rows.subList(1, rows.size());
        }
    }

    /** Runs the export (to a file beside the trail unless the options name one). */
    Export export(String... options) throws IOException {
        Path out = dir.resolveSibling("export-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("audit", "export", dir.toString()));
        args.addAll(List.of(options));
        if (!args.contains("--output")) {
            args.addAll(List.of("--output", out.toString()));
        }
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SekishoCli()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new Export(code, Files.exists(out) ? Files.readAllBytes(out) : new byte[0], err.toString());
    }

    /** One CSV line's cells: quoted cells unquoted, doubled quotes halved. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
