package jp.sekisho.audit.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An auditor opens the export in Excel: Japanese survives, every request is one line, nothing runs as a formula. */
class CsvExportTest {

    private static final Charset CP932 = Charset.forName("windows-31j");
    private static final int USER = 2;
    private static final int PATH = 11;
    private static final int STATUS = 15;
    private static final int NOTE = 25;

    @TempDir
    Path root;
    KnownTrail trail;

    @BeforeEach
    void writeTrail() throws IOException {
        trail = KnownTrail.write(root);
    }

    private static List<String> ids(List<List<String>> rows) {
        return rows.stream().map(row -> row.get(1)).toList();
    }

    @Test
    void utf8StartsWithTheBomUsesCrlfAndHasJapaneseHeaders() throws IOException {
        KnownTrail.Export export = trail.export("--format", "csv");

        assertEquals(0, export.exitCode(), export.err());
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(export.bytes(), 3));
        String text = export.text(StandardCharsets.UTF_8).substring(1);
        assertTrue(text.startsWith("日時,リクエストID,利用者,サブジェクト,接続元,ネットワーク区分,端末ID,端末状態,アプリ,"
                + "メソッド,ホスト,パス,判定,理由,ルール,ステータス,"), text);
        assertTrue(text.endsWith("\r\n"));
        assertEquals(text.split("\n").length, text.split("\r\n").length, "every line ends in CRLF, none in LF alone");
        List<String> first = export.rows(StandardCharsets.UTF_8).get(0);
        assertEquals(List.of("2026-11-23T09:00:00+09:00", "r1", "佐藤", "sub-佐藤", "192.0.2.10", "lgwan", "dev-1",
                "passed", "juminhyo", "GET", "records.example.lg.jp", "/住民記録/検索", "allow", "group-allowed",
                "clerks", "200", "120", "2048", "1.5", "4bf92f3577b34da6a3ce929d0e0e4736", "v42", "住民票.pdf",
                KnownTrail.SHA256, "1", "", "", "access", "", "", "", "", "", "", ""), first,
                "an app request leaves the breakout columns at the end empty");
    }

    @Test
    void englishHeadersOnRequest() throws IOException {
        String text = trail.export("--format", "csv", "--headers", "en").text(StandardCharsets.UTF_8);

        assertTrue(text.startsWith("\uFEFFtime,requestId,user,subject,source,segment,deviceId,posture,app,method,"
                + "host,path,decision,reasons,rule,status,bytesIn,bytesOut,durationMs,traceId,policyVersion,fileName,"
                + "fileSha256,seq,tenant,note,kind,destinationPort,destinationAddress,category,entry,parent,"
                + "intercepted,closedBy\r\n"), text);
    }

    @Test
    void cp932DecodesBackToTheSameJapaneseWithoutABomAndCountsWhatItCannotHold() throws IOException {
        KnownTrail.Export export = trail.export("--format", "csv", "--encoding", "cp932");

        assertEquals(0, export.exitCode(), export.err());
        assertFalse(export.text(CP932).startsWith("\uFEFF"), "no BOM in CP932");
        assertFalse(export.bytes()[0] == (byte) 0xEF, "no UTF-8 BOM bytes");
        assertTrue(export.text(CP932).startsWith("日時,リクエストID,利用者,"));
        List<List<String>> rows = export.rows(CP932);
        assertEquals("佐藤", rows.get(0).get(USER));
        assertEquals("/住民記録/検索", rows.get(0).get(PATH));
        assertEquals("/税務/申告\uFF5E", rows.get(2).get(PATH), "WAVE DASH written as the CP932 tilde, not '?'");
        assertEquals("/?", rows.get(5).get(PATH), "𠮷 is not in CP932");
        assertTrue(export.err().contains("warning: 1 character(s) cannot be written in CP932"), export.err());
    }

    @Test
    void hostileValuesStayOnOneLineAndDoNotRunAsFormulas() throws IOException {
        KnownTrail.Export export = trail.export("--format", "csv");

        String text = export.text(StandardCharsets.UTF_8);
        assertFalse(text.contains("\u2028") || text.contains("\u2029"), "no line separators in the file");
        List<List<String>> rows = export.rows(StandardCharsets.UTF_8);
        assertEquals(8, text.split("\r\n").length, "a header and seven requests, one line each");
        List<String> hostile = rows.stream().filter(row -> row.get(1).equals("r6")).findFirst().orElseThrow();
        assertEquals(34, hostile.size(), "the comma and quotes inside the path did not shift the columns");
        assertEquals("'" + KnownTrail.INJECTION_USER, hostile.get(USER));
        assertEquals("/a  b c d,\"e\"", hostile.get(PATH));
        assertTrue(text.contains("\"/a  b c d,\"\"e\"\"\""), "RFC 4180 quoting of the comma and the quotes");
    }

    @Test
    void aDecisionWithoutItsAccessRecordIsAnIncompleteRow() throws IOException {
        List<List<String>> rows = trail.export("--format", "csv").rows(StandardCharsets.UTF_8);

        assertEquals(List.of("r1", "r2", "r3", "r5", "r6", "r7", "r4"), ids(rows),
                "no admin record, r5 once, and the unfinished r4 last");
        List<String> r4 = rows.get(6);
        assertEquals("incomplete", r4.get(NOTE));
        assertEquals("", r4.get(STATUS), "no status: the request never finished");
        assertEquals("allow", r4.get(12));
        assertEquals("", rows.get(3).get(NOTE), "r5's access record came");
    }

    @Test
    void filtersNarrowTheRows() throws IOException {
        assertEquals(List.of("r3", "r5", "r4"),
                ids(trail.export("--format", "csv", "--from", "2026-11-24", "--to", "2026-11-25")
                        .rows(StandardCharsets.UTF_8)), "a bare date is the day's start in JST; to is exclusive");
        assertEquals(List.of("r2", "r3", "r5", "r6", "r7", "r4"),
                ids(trail.export("--format", "csv", "--from", "2026-11-23T01:30:00Z").rows(StandardCharsets.UTF_8)),
                "an offset is taken as given; from is inclusive");
        assertEquals(List.of("r1", "r2"),
                ids(trail.export("--format", "csv", "--to", "2026-11-23T11:00").rows(StandardCharsets.UTF_8)));
        assertEquals(List.of("r1", "r3", "r4"),
                ids(trail.export("--format", "csv", "--user", "佐藤").rows(StandardCharsets.UTF_8)));
        assertEquals(List.of("r2", "r5"),
                ids(trail.export("--format", "csv", "--user", "sub-鈴木").rows(StandardCharsets.UTF_8)),
                "the subject matches too");
        assertEquals(List.of("r2", "r3"),
                ids(trail.export("--format", "csv", "--app", "zeimu").rows(StandardCharsets.UTF_8)));
        assertEquals(List.of("r2", "r6"),
                ids(trail.export("--format", "csv", "--decision", "deny").rows(StandardCharsets.UTF_8)));
        assertEquals(List.of("r3"), ids(trail.export("--format", "csv", "--user", "佐藤", "--app", "zeimu",
                "--from", "2026-11-24").rows(StandardCharsets.UTF_8)), "filters combine");
    }
}
