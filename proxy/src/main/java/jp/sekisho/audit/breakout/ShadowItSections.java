package jp.sekisho.audit.breakout;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import jp.sekisho.audit.export.CsvExport;

/**
 * A shadow-IT report laid out as a person reads it: sections of notes and tables, in Japanese
 * (the default) or English. The text and CSV forms both render these, so the two always say the
 * same; the JSON form writes the {@link ShadowIt} itself.
 */
public final class ShadowItSections {

    /** A block of the report. */
    public record Section(String title, List<String> notes, List<Table> tables) {
    }

    /** A table: caption, column headings, rows of cells; {@code numeric} columns are counts. */
    public record Table(String caption, List<String> headers, Set<Integer> numeric, List<List<String>> rows) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);

    private final ShadowIt report;
    private final CsvExport.Headers language;

    private ShadowItSections(ShadowIt report, CsvExport.Headers language) {
        this.report = report;
        this.language = language;
    }

    /** The report's title. */
    public static String title(CsvExport.Headers language) {
        return language == CsvExport.Headers.JA ? "シャドーIT レポート (許可リストにない宛先への接続)"
                : "Shadow IT report (connections to destinations not on the allowlist)";
    }

    public static List<Section> of(ShadowIt report, CsvExport.Headers language) {
        ShadowItSections s = new ShadowItSections(report, language);
        return List.of(s.summary(), s.destinations(), s.segments(), s.groups(), s.other());
    }

    /** The Japanese or the English text. */
    private String t(String ja, String en) {
        return language == CsvExport.Headers.JA ? ja : en;
    }

    private String none(String value) {
        return value == null || value.isEmpty() ? t("(なし)", "(none)") : value;
    }

    private String time(Instant time) {
        return time.atZone(report.period().zone()).format(TIME);
    }

    private Section summary() {
        ShadowIt.Totals t = report.totals();
        String from = report.period().from().atZone(report.period().zone()).format(MINUTE);
        String to = report.period().to().atZone(report.period().zone()).format(MINUTE);
        List<List<String>> rows = List.of(
                List.of(t("監査ログ", "Audit trail"), report.trail()),
                List.of(t("対象期間", "Period"), t(from + " から " + to + " まで (終了時刻を含まない、"
                        + report.period().zone() + ")", from + " to " + to + " (end excluded, "
                        + report.period().zone() + ")")),
                List.of(t("ネットワーク区分", "Network segment"), report.segment().orElse(t("すべて", "all"))),
                List.of(t("作成日時", "Generated"), time(report.generated())),
                List.of(t("ローカルブレイクアウトの記録", "Breakout records"), Long.toString(t.records())),
                List.of(t("許可", "Allowed"), Long.toString(t.allowed())),
                List.of(t("許可リストにない宛先として拒否", "Refused: not on the allowlist"), Long.toString(t.notListed())),
                List.of(t("その他の理由で拒否", "Refused for another reason"), Long.toString(t.otherRefusals())),
                List.of(t("未認証", "Unauthenticated"), Long.toString(t.unauthenticated())),
                List.of(t("追加認証要求", "Step-up"), Long.toString(t.stepUp())),
                List.of(t("許可リストにない宛先の数", "Destinations not on the allowlist"),
                        Integer.toString(t.destinations())),
                List.of(t("読めなかった行", "Unreadable lines"), Long.toString(report.reading().unreadable())));
        return new Section(t("概要", "Summary"), List.of(t("この集計は改ざん検査をしません。証拠として使う前に sekisho "
                        + "audit verify " + report.trail() + " --public-key (保管している公開鍵) を実行してください。",
                "This report does not check the chain: before using it as evidence, run sekisho audit verify "
                        + report.trail() + " --public-key (the public key you keep).")),
                List.of(new Table(t("期間の概要", "The period at a glance"), List.of(t("項目", "Item"), t("値", "Value")),
                        Set.of(), rows)));
    }

    private Section destinations() {
        List<List<String>> rows = new ArrayList<>();
        for (ShadowIt.Destination d : report.destinations()) {
            rows.add(List.of(d.label(), Long.toString(d.refusals()), Integer.toString(d.users()),
                    Integer.toString(d.devices()), time(d.firstSeen()), time(d.lastSeen()), shares(d.segments()),
                    shares(d.groups())));
        }
        int shown = report.destinations().size();
        int all = report.totals().destinations();
        return new Section(t("1. 拒否の多い宛先", "1. Most-refused destinations"),
                List.of(t("許可リストにない宛先 (最初の理由が " + reasons() + ") への拒否を宛先ごとに数え、多い順に "
                                + shown + " 件 (全 " + all + " 件中) を示します。ポートは 443 以外のとき表示します。利用者数と"
                                + "端末数は重複を除いた数です。区分とグループは多い順に " + ShadowItTally.SHARES + " つまでです。",
                        "Refusals of destinations the allowlist does not name (first reason " + reasons() + "), per "
                                + "destination, most first: " + shown + " of " + all + ". The port is shown when it "
                                + "is not 443. Users and devices are distinct. Up to " + ShadowItTally.SHARES
                                + " segments and groups each, most first.")),
                List.of(new Table(t("宛先別の拒否件数", "Refusals per destination"),
                        List.of(t("宛先", "Destination"), t("拒否件数", "Refusals"), t("利用者数", "Users"),
                                t("端末数", "Devices"), t("初回", "First seen"), t("最終", "Last seen"),
                                t("主なネットワーク区分", "Top segments"), t("主なグループ", "Top groups")),
                        Set.of(1, 2, 3), rows)));
    }

    private Section segments() {
        return new Section(t("2. ネットワーク区分別", "2. By network segment"),
                List.of(t("許可リストにない宛先への拒否を、接続元のネットワーク区分ごとに数えます (上位 " + report.top()
                                + " 件、全 " + report.totals().segments() + " 件中)。",
                        "Refusals of destinations not on the allowlist, per the client's network segment (top "
                                + report.top() + " of " + report.totals().segments() + ").")),
                List.of(slices(t("区分別の拒否件数", "Refusals per segment"), t("ネットワーク区分", "Segment"),
                        report.segments())));
    }

    private Section groups() {
        return new Section(t("3. グループ別", "3. By group"),
                List.of(t("許可リストにない宛先への拒否を、利用者のグループごとに数えます (上位 " + report.top() + " 件、全 "
                                + report.totals().groups() + " 件中)。複数のグループに属する利用者はそれぞれのグループに数え、"
                                + "利用者のわからない拒否は数えません。",
                        "Refusals of destinations not on the allowlist, per the user's group (top " + report.top()
                                + " of " + report.totals().groups() + "). A user in several groups counts for each; "
                                + "refusals with no user are not counted.")),
                List.of(slices(t("グループ別の拒否件数", "Refusals per group"), t("グループ", "Group"),
                        report.groups())));
    }

    private Section other() {
        List<List<String>> rows = new ArrayList<>();
        for (ShadowIt.ReasonCount c : report.otherRefusals()) {
            rows.add(List.of(none(c.reason()), Long.toString(c.count())));
        }
        return new Section(t("4. その他の拒否", "4. Other refusals"),
                List.of(t("許可リスト以外の理由 (端末の状態、ISMAP 登録の期限、隔離など) による拒否を、最初の理由ごとに"
                                + "数えます。宛先は集計しません。",
                        "Refusals for reasons other than the allowlist (device posture, ISMAP registration dates, "
                                + "quarantine…), per first reason. Destinations are not counted here.")),
                List.of(new Table(t("理由別の拒否件数", "Refusals per reason"),
                        List.of(t("理由", "Reason"), t("件数", "Count")), Set.of(1), rows)));
    }

    private Table slices(String caption, String heading, List<ShadowIt.Slice> slices) {
        List<List<String>> rows = new ArrayList<>();
        for (ShadowIt.Slice s : slices) {
            rows.add(List.of(none(s.name()), Long.toString(s.refusals()), Integer.toString(s.destinations()),
                    Integer.toString(s.users())));
        }
        return new Table(caption, List.of(heading, t("拒否件数", "Refusals"), t("宛先数", "Destinations"),
                t("利用者数", "Users")), Set.of(1, 2, 3), rows);
    }

    /** "lgwan (12), internet (3)". */
    private String shares(List<ShadowIt.Share> shares) {
        return shares.stream().map(s -> none(s.name()) + " (" + s.refusals() + ")").collect(Collectors.joining(", "));
    }

    private static String reasons() {
        return ShadowItTally.NOT_LISTED.stream().sorted().collect(Collectors.joining(", "));
    }
}
