package jp.sekisho.audit.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A review laid out as the report shows it: sections of notes and tables, in the chosen
 * language. HTML and CSV both render these, so the two always say the same.
 */
final class ReviewSections {

    /** A block of the report. */
    record Section(String id, String title, List<String> notes, List<Table> tables) {
    }

    /** A table: caption, column headings, rows; {@code numeric} columns are right-aligned in HTML. */
    record Table(String caption, List<String> headers, Set<Integer> numeric, List<Row> rows) {
    }

    /** A row; a flagged row is highlighted. */
    record Row(List<String> cells, boolean flagged) {
    }

    private ReviewSections() {
    }

    static String title(ReviewText text) {
        return text.t("監査ログ 定期レビュー", "Periodic audit review");
    }

    static List<Section> of(Review review, ReviewText text) {
        return List.of(summary(review, text), outsideHours(review, text), volume(review, text),
                denials(review, text), mfa(review, text), quarantines(review, text), policy(review, text),
                health(review, text));
    }

    private static Section summary(Review r, ReviewText text) {
        Review.Totals t = r.totals();
        List<Row> rows = List.of(
                row(text.t("監査ログ", "Audit trail"), r.trail()),
                row(text.t("対象期間", "Period"), text.period()),
                row(text.t("作成日時", "Generated"), text.time(r.generated())),
                row(text.t("業務時間", "Business hours"), text.hours(r.hours())),
                row(text.t("リクエスト数", "Requests"), Long.toString(t.requests())),
                row(text.t("許可", "Allowed"), Long.toString(t.allowed())),
                row(text.t("拒否・未認証", "Denied or unauthenticated"), Long.toString(t.denied())),
                row(text.t("追加認証要求", "Step-up"), Long.toString(t.stepUp())),
                row(text.t("業務時間外", "Outside business hours"), Long.toString(t.outsideHours())),
                row(text.t("業務時間外のうち許可", "Outside business hours, allowed"),
                        Long.toString(t.outsideHoursAllowed())));
        return new Section("summary", text.t("概要", "Summary"), List.of(text.hoursOrigin(r.hours())),
                List.of(new Table(text.t("期間の概要", "The period at a glance"),
                        List.of(text.t("項目", "Item"), text.t("値", "Value")), Set.of(), rows)));
    }

    private static Section outsideHours(Review r, ReviewText text) {
        List<Row> rows = new ArrayList<>();
        for (Review.OutsideHours o : r.outsideHours()) {
            rows.add(new Row(List.of(text.orNone(o.user()), text.orNone(o.app()), Long.toString(o.requests()),
                    Long.toString(o.allowed()), String.join(" ", o.examples())), o.allowed() > 0));
        }
        return new Section("outside-hours", text.t("1. 業務時間外のアクセス", "1. Access outside business hours"),
                List.of(text.t("業務時間 (" + text.hours(r.hours()) + ") の外に届いたリクエストを、利用者とアプリごとに"
                                + "数えます。許可されたものが多い順です。例は最初の " + r.rules().examples()
                                + " 件のリクエストIDで、audit export で詳しく確認できます。",
                        "Requests that arrived outside business hours (" + text.hours(r.hours()) + "), by user and "
                                + "app, most allowed first. The examples are the first " + r.rules().examples()
                                + " request ids; look them up with audit export."), text.hoursOrigin(r.hours())),
                List.of(new Table(text.t("業務時間外のリクエスト (利用者・アプリ別)",
                        "Requests outside business hours, by user and app"),
                        List.of(text.t("利用者", "User"), text.t("アプリ", "App"), text.t("件数", "Requests"),
                                text.t("うち許可", "Allowed"), text.t("例 (リクエストID)", "Examples (request ids)")),
                        Set.of(2, 3), rows)));
    }

    private static Section volume(Review r, ReviewText text) {
        Review.Rules rules = r.rules();
        List<Row> heavy = new ArrayList<>();
        for (Review.UserVolume u : r.heavyUsers()) {
            heavy.add(new Row(List.of(u.user(), text.orNone(u.app()), Long.toString(u.requests()),
                    ReviewText.number(u.appMedian()), ReviewText.number(u.threshold())), true));
        }
        List<Row> apps = new ArrayList<>();
        for (Review.AppVolume a : r.apps()) {
            apps.add(new Row(List.of(text.orNone(a.app()), Integer.toString(a.users()), Long.toString(a.requests()),
                    ReviewText.number(a.medianPerUser()), ReviewText.number(a.threshold())), false));
        }
        List<String> columns = List.of(text.t("利用者", "User"), text.t("アプリ", "App"), text.t("件数", "Requests"),
                text.t("アプリの利用者中央値", "App's median per user"), text.t("基準", "Threshold"));
        return new Section("volume", text.t("2. 利用件数が特に多い利用者", "2. Unusually many requests per user and app"),
                List.of(text.t("利用者ごとのアプリへのリクエスト数が、そのアプリの利用者の中央値の " + rules.volumeFactor()
                                + " 倍と " + rules.volumeFloor() + " 件の大きい方を超えた場合に挙げます。多数の住民の記録を"
                                + "参照した可能性の目安です。認証前のリクエスト (利用者なし) は数えません。",
                        "A user is listed when their requests to an app exceed the larger of " + rules.volumeFactor()
                                + " × the app's median user count and " + rules.volumeFloor() + ": a sign that many "
                                + "residents' records may have been looked at. Requests with no user are not counted.")),
                List.of(new Table(text.t("基準を超えた利用者", "Users above their app's threshold"), columns,
                                Set.of(2, 3, 4), heavy),
                        new Table(text.t("アプリ別の利用状況", "Requests per app"),
                                List.of(text.t("アプリ", "App"), text.t("利用者数", "Users"),
                                        text.t("件数", "Requests"), text.t("利用者中央値", "Median per user"),
                                        text.t("基準", "Threshold")), Set.of(1, 2, 3, 4), apps)));
    }

    private static Section denials(Review r, ReviewText text) {
        Review.Rules rules = r.rules();
        List<Row> days = new ArrayList<>();
        for (Review.DenialDay d : r.denialDays()) {
            days.add(new Row(List.of(d.day().toString(), Long.toString(d.requests()), Long.toString(d.denied()),
                    Long.toString(d.unauthenticated()), Long.toString(d.denials()), text.yesNo(d.spike())), d.spike()));
        }
        List<Row> reasons = new ArrayList<>();
        for (Review.ReasonCount c : r.denialReasons()) {
            reasons.add(new Row(List.of(c.reason(), Long.toString(c.count())), false));
        }
        String threshold = r.denialDays().isEmpty() ? "-" : ReviewText.number(r.denialDays().get(0).threshold());
        return new Section("denials", text.t("3. 拒否の急増", "3. Denial spikes"),
                List.of(text.t("拒否 (deny) と未認証 (unauthenticated) を日ごと (" + r.period().zone() + ") に数えます。"
                                + "リクエストのあった日の拒否件数の中央値の " + rules.spikeFactor() + " 倍と "
                                + rules.spikeFloor() + " 件の大きい方 (この期間は " + threshold + " 件) を超えた日を"
                                + "急増とします。",
                        "Denials (deny and unauthenticated) per day (" + r.period().zone() + "). A day is a spike "
                                + "when its denials exceed the larger of " + rules.spikeFactor() + " × the median "
                                + "over the days with requests and " + rules.spikeFloor() + " (in this period: "
                                + threshold + ").")),
                List.of(new Table(text.t("日別の拒否件数", "Denials per day"),
                                List.of(text.t("日付", "Day"), text.t("リクエスト数", "Requests"), text.t("拒否", "Denied"),
                                        text.t("未認証", "Unauthenticated"), text.t("拒否計", "Denials"),
                                        text.t("急増", "Spike")), Set.of(1, 2, 3, 4), days),
                        new Table(text.t("理由別の拒否件数", "Denials per reason"),
                                List.of(text.t("理由", "Reason"), text.t("件数", "Count")), Set.of(1), reasons)));
    }

    private static Section mfa(Review r, ReviewText text) {
        List<Row> rows = new ArrayList<>();
        for (Review.MfaCount m : r.mfa()) {
            rows.add(new Row(List.of(text.orNone(m.app()), m.decision(), text.orNone(m.reason()),
                    Long.toString(m.count())), false));
        }
        return new Section("mfa", text.t("4. 追加認証と多要素認証の失敗", "4. Step-up and MFA failures"),
                List.of(text.t("判定が追加認証 (step-up) のリクエストと、理由が mfa- で始まるリクエストを、アプリ・判定・"
                                + "理由ごとに数えます。",
                        "Requests decided step-up, and requests with a reason starting mfa-, by app, decision and "
                                + "reason.")),
                List.of(new Table(text.t("アプリ・理由別の件数", "Counts by app and reason"),
                        List.of(text.t("アプリ", "App"), text.t("判定", "Decision"), text.t("理由", "Reason"),
                                text.t("件数", "Count")), Set.of(3), rows)));
    }

    private static Section quarantines(Review r, ReviewText text) {
        return new Section("quarantine", text.t("5. 隔離と解除", "5. Quarantines and releases"),
                List.of(text.t("運用者による端末・利用者の隔離 (quarantine) と解除 (release) です。",
                        "Operators' quarantines (holds) and releases of devices and users.")),
                List.of(new Table(text.t("隔離と解除の操作", "Quarantine and release actions"),
                        List.of(text.t("日時", "Time"), text.t("操作者", "Operator"), text.t("操作", "Action"),
                                text.t("対象種別", "Target kind"), text.t("対象", "Target"), text.t("理由", "Reason"),
                                text.t("接続元", "Source")), Set.of(), admin(r.quarantines(), text, false))));
    }

    private static Section policy(Review r, ReviewText text) {
        return new Section("policy", text.t("6. ポリシーの変更", "6. Policy changes"),
                List.of(text.t("反映 (policy-apply: 対象は新しい版、備考は置き換えた版) と拒否 (policy-refuse: 対象は引き続き"
                                + "使われる版、備考は最初の誤り) です。操作者が file で始まるものは設定ファイルの編集です。",
                        "Versions applied (policy-apply: the target is the new version, the note the version it "
                                + "replaces) and refused (policy-refuse: the target is the version that keeps serving, "
                                + "the note the first error). An operator 'file …' is an edit of the configuration "
                                + "file.")),
                List.of(new Table(text.t("ポリシー変更の記録", "Policy change records"),
                        List.of(text.t("日時", "Time"), text.t("操作者", "Operator"), text.t("操作", "Action"),
                                text.t("版", "Version"), text.t("備考", "Note")), Set.of(),
                        admin(r.policyChanges(), text, true))));
    }

    private static List<Row> admin(List<Review.AdminAction> actions, ReviewText text, boolean policy) {
        List<Row> rows = new ArrayList<>();
        for (Review.AdminAction a : actions) {
            rows.add(new Row(policy
                    ? List.of(text.time(a.time()), text.orNone(a.operator()), a.action(), text.orNone(a.target()),
                    text.orNone(a.reason()))
                    : List.of(text.time(a.time()), text.orNone(a.operator()), a.action(), text.orNone(a.targetKind()),
                    text.orNone(a.target()), text.orNone(a.reason()), text.orNone(a.source())),
                    "policy-refuse".equals(a.action())));
        }
        return rows;
    }

    private static Section health(Review r, ReviewText text) {
        Review.Health h = r.health();
        List<Row> recoveries = new ArrayList<>();
        for (Review.Recovery c : h.recoveries()) {
            recoveries.add(new Row(List.of(text.time(c.time()), Long.toString(c.seq()), text.orNone(c.segment()),
                    Long.toString(c.cutBytes()), text.orNone(c.reason())), true));
        }
        List<Row> purges = new ArrayList<>();
        for (Review.Purge p : h.purges()) {
            purges.add(new Row(List.of(text.time(p.time()), Long.toString(p.seq()), String.join(" ", p.segments()),
                    Long.toString(p.throughSeq()), Long.toString(p.retentionDays())), false));
        }
        List<Row> counts = List.of(
                row(text.t("読んだ行数 (期間外を含む)", "Lines read (whole trail)"), Long.toString(h.linesRead())),
                row(text.t("読めなかった行", "Unreadable lines"), Long.toString(h.unreadable())),
                row(text.t("完了しなかったリクエスト", "Requests that never finished"), Long.toString(h.incomplete())));
        return new Section("health", text.t("7. 監査ログの健全性", "7. Trail health"),
                List.of(text.t("recovery はクラッシュ後の起動で途中まで書かれた最後の記録を切り詰めたこと、purge は保存期間を"
                                + "過ぎたセグメントの削除を示します。このレビューは改ざん検査をしません。証拠として使う前に "
                                + "sekisho audit verify " + r.trail() + " --public-key (保管している公開鍵) を実行してください。",
                        "recovery: a torn last record cut at a start after a crash; purge: segments deleted after "
                                + "their retention. This review does not check the chain: before using it as evidence, "
                                + "run sekisho audit verify " + r.trail() + " --public-key (the public key you keep).")),
                List.of(new Table(text.t("読み取りの状況", "Reading"),
                                List.of(text.t("項目", "Item"), text.t("値", "Value")), Set.of(1), counts),
                        new Table(text.t("クラッシュ後の切り詰め (recovery)", "Torn records cut after a crash (recovery)"),
                                List.of(text.t("日時", "Time"), text.t("連番", "Seq"), text.t("セグメント", "Segment"),
                                        text.t("切り詰めたバイト数", "Bytes cut"), text.t("理由", "Reason")),
                                Set.of(1, 3), recoveries),
                        new Table(text.t("保存期間による削除 (purge)", "Segments purged for retention (purge)"),
                                List.of(text.t("日時", "Time"), text.t("連番", "Seq"), text.t("セグメント", "Segments"),
                                        text.t("削除した最後の連番", "Through seq"),
                                        text.t("保存日数", "Retention days")), Set.of(1, 3, 4), purges)));
    }

    private static Row row(String item, String value) {
        return new Row(List.of(item, value), false);
    }
}
