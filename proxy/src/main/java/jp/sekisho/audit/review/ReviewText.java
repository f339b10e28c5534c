package jp.sekisho.audit.review;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.stream.Collectors;
import jp.sekisho.audit.export.CsvExport;
import jp.sekisho.policy.TimeWindow;

/**
 * The words of a review, in Japanese (the default) or English (the languages of the export's
 * {@code --headers}), and how its values are written.
 */
final class ReviewText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final String[] JA_DAYS = {"月", "火", "水", "木", "金", "土", "日"};

    final CsvExport.Headers language;
    private final ReviewPeriod period;

    ReviewText(CsvExport.Headers language, ReviewPeriod period) {
        this.language = language;
        this.period = period;
    }

    /** The Japanese or the English text. */
    String t(String ja, String en) {
        return language == CsvExport.Headers.JA ? ja : en;
    }

    /** A user or app the trail did not name. */
    String none() {
        return t("(なし)", "(none)");
    }

    String orNone(String value) {
        return value == null ? none() : value;
    }

    /** A time in the period's zone, to the second. */
    String time(OffsetDateTime time) {
        return time.atZoneSameInstant(period.zone()).format(TIME);
    }

    String time(Instant time) {
        return time.atZone(period.zone()).format(TIME);
    }

    String period() {
        return t(period.from().atZone(period.zone()).format(MINUTE) + " から " + period.to().atZone(period.zone())
                        .format(MINUTE) + " まで (終了時刻を含まない、" + period.zone() + ")",
                period.from().atZone(period.zone()).format(MINUTE) + " to " + period.to().atZone(period.zone())
                        .format(MINUTE) + " (end excluded, " + period.zone() + ")");
    }

    /** 5, 2.5: no trailing ".0". */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** "平日 08:30–18:15 (Asia/Tokyo)、祝日 3 日を除く". */
    String hours(BusinessHours hours) {
        TimeWindow w = hours.window();
        String days = w.days().equals(BusinessHours.WEEKDAYS) ? t("平日", "weekdays")
                : w.days().equals(EnumSet.allOf(DayOfWeek.class)) ? t("毎日", "every day")
                : w.days().stream().sorted().map(d -> language == CsvExport.Headers.JA ? JA_DAYS[d.ordinal()]
                : d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).collect(Collectors.joining(
                language == CsvExport.Headers.JA ? "・" : ", "));
        String span = w.start().format(HOUR_MINUTE) + "–" + (w.end().equals(LocalTime.MIDNIGHT) ? "24:00"
                : w.end().format(HOUR_MINUTE));
        String holidays = w.onHolidays() ? t("、祝日も含む", ", holidays included")
                : w.holidays().isEmpty() ? "" : t("、祝日・閉庁日 " + w.holidays().size() + " 日を除く",
                ", except " + w.holidays().size() + " holiday(s)");
        return days + " " + span + " (" + w.zone() + ")" + holidays;
    }

    /** Where the hours came from, and what was assumed. */
    String hoursOrigin(BusinessHours hours) {
        String file = hours.config().orElse("");
        return switch (hours.origin()) {
            case POLICY -> t("設定ファイル " + file + " の時間帯「" + hours.window().id() + "」(ポリシーのタイムゾーンと祝日)"
                    + "を使用しました。", "The time window '" + hours.window().id() + "' of " + file
                    + " was used, with the policy's time zone and holidays.");
            case DEFAULT -> t("設定ファイルの指定 (--config) がないため、官公庁の勤務時間 (平日 08:30–18:15、日本時間) を"
                    + "既定として使用しました。祝日・閉庁日は考慮していません。", "No configuration (--config) was given, so "
                    + "Japanese government office hours (weekdays 08:30–18:15, Asia/Tokyo) were assumed; holidays are "
                    + "not known.");
            case DEFAULT_WITH_POLICY_CALENDAR -> t("設定ファイル " + file + " に時間帯「" + BusinessHours.DEFAULT_WINDOW_ID
                    + "」がないため、官公庁の勤務時間 (平日 08:30–18:15) をポリシーのタイムゾーンと祝日で使用しました。",
                    file + " defines no time window '" + BusinessHours.DEFAULT_WINDOW_ID + "', so Japanese government "
                    + "office hours (weekdays 08:30–18:15) were assumed, with the policy's time zone and holidays.");
        };
    }

    String yesNo(boolean value) {
        return value ? t("該当", "yes") : "";
    }
}
