package jp.sekisho.audit.export;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;

/**
 * Requests as CSV for Excel: UTF-8 with a byte order mark (so Excel reads it as UTF-8) or CP932,
 * CRLF line endings, RFC 4180 quoting, one request per line ({@link CsvCell}), and a header row
 * in Japanese or English. Operator actions are not in it (see the JSON formats).
 *
 * <p>Forward-proxy (breakout) records share the request's columns where they mean the same thing
 * (the destination host in {@code host}, bytes up and down in {@code bytesIn} and {@code bytesOut})
 * and leave app, path, trace id and file empty. The columns only a breakout fills come after
 * {@code note}, so that the position of every earlier column stays as it was.
 */
public final class CsvExport implements ExportFormat {

    public enum Encoding { UTF_8, CP932 }

    public enum Headers { JA, EN }

    /** A column: its Japanese and English heading, and its value in a request. */
    private record Column(String ja, String en, Function<ExportRecord, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("日時", "time", ExportRecord::timeText),
            new Column("リクエストID", "requestId", ExportRecord::id),
            new Column("利用者", "user", r -> r.request().username()),
            new Column("サブジェクト", "subject", r -> r.request().subject()),
            new Column("接続元", "source", ExportRecord::source),
            new Column("ネットワーク区分", "segment", r -> r.request().segment()),
            new Column("端末ID", "deviceId", r -> r.request().deviceId()),
            new Column("端末状態", "posture", r -> r.request().posture()),
            new Column("アプリ", "app", r -> r.request().app()),
            new Column("メソッド", "method", r -> r.request().method()),
            new Column("ホスト", "host", r -> r.request().host()),
            new Column("パス", "path", r -> r.request().path()),
            new Column("判定", "decision", r -> r.request().decision()),
            new Column("理由", "reasons", r -> String.join(" ", r.request().reasons())),
            new Column("ルール", "rule", r -> r.request().rule()),
            new Column("ステータス", "status", r -> r.request().status()),
            new Column("受信バイト数", "bytesIn", r -> r.request().bytesIn()),
            new Column("送信バイト数", "bytesOut", r -> r.request().bytesOut()),
            new Column("処理時間(ミリ秒)", "durationMs", r -> plain(r.request().durationMs())),
            new Column("トレースID", "traceId", r -> r.request().traceId()),
            new Column("ポリシー版", "policyVersion", r -> r.request().policyVersion()),
            new Column("ファイル名", "fileName", r -> r.request().fileName()),
            new Column("ファイルSHA-256", "fileSha256", r -> r.request().fileSha256()),
            new Column("連番", "seq", ExportRecord::seq),
            new Column("団体コード", "tenant", ExportRecord::tenant),
            new Column("備考", "note", r -> r.incomplete() ? "incomplete" : null),
            new Column("種別", "kind", ExportRecord::filterKind),
            new Column("宛先ポート", "destinationPort", r -> breakout(r, ExportRecord.Breakout::port)),
            new Column("接続先アドレス", "destinationAddress", r -> breakout(r, ExportRecord.Breakout::address)),
            new Column("宛先分類", "category", r -> breakout(r, ExportRecord.Breakout::category)),
            new Column("許可リスト項目", "entry", r -> breakout(r, ExportRecord.Breakout::entry)),
            new Column("上位プロキシ", "parent", r -> breakout(r, ExportRecord.Breakout::parent)),
            new Column("TLS復号", "intercepted", r -> breakout(r, b -> b.intercepted() ? "true" : null)),
            new Column("終了理由", "closedBy", r -> breakout(r, ExportRecord.Breakout::closedBy)));

    private final CsvRows out;

    public CsvExport(OutputStream out, Encoding encoding, Headers headers) throws IOException {
        this.out = new CsvRows(out, encoding);
        this.out.row(COLUMNS.stream().map(c -> headers == Headers.JA ? c.ja() : c.en()).toList());
    }

    @Override
    public boolean takesAdminRecords() {
        return false;
    }

    @Override
    public void write(ExportRecord record) throws IOException {
        if (record.request() == null) {
            return;
        }
        out.row(COLUMNS.stream().map(c -> c.value().apply(record)).toList());
    }

    private static Object breakout(ExportRecord record, Function<ExportRecord.Breakout, Object> field) {
        return record.breakout() == null ? null : field.apply(record.breakout());
    }

    /** 0.0004 rather than 4.0E-4. */
    private static String plain(Double number) {
        return number == null ? null : BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    /** Characters CP932 could not hold, written as '?' (0 for UTF-8). */
    public long replacedCharacters() {
        return out.replacedCharacters();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
