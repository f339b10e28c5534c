package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Compiles {@code timeZone}, {@code holidays} and {@code timeWindows}: named weekly windows
 * such as business hours, in the municipality's time zone (Asia/Tokyo unless configured).
 */
final class TimeWindowCompiler {

    static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Tokyo");
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY,
            "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);

    private TimeWindowCompiler() {
    }

    /** The zone, the holidays and the windows; a mistake is reported and the part left out. */
    static PolicyCompiler.Calendar calendar(SourceDocument document, List<ConfigError> errors) {
        JsonNode root = document.root();
        ZoneId zone = DEFAULT_ZONE;
        if (root.has("timeZone")) {
            try {
                zone = ZoneId.of(root.path("timeZone").asText());
            } catch (DateTimeException e) {
                errors.add(document.error("/timeZone", "'" + root.path("timeZone").asText()
                        + "' is not a time zone; use a name such as Asia/Tokyo"));
            }
        }
        Set<LocalDate> holidays = new HashSet<>();
        JsonNode dates = root.path("holidays");
        for (int i = 0; i < dates.size(); i++) {
            try {
                holidays.add(LocalDate.parse(dates.get(i).asText()));
            } catch (DateTimeParseException e) {
                errors.add(document.error("/holidays/" + i, "'" + dates.get(i).asText()
                        + "' is not a date; write it as 2026-12-29"));
            }
        }
        Map<String, TimeWindow> windows = new LinkedHashMap<>();
        JsonNode list = root.path("timeWindows");
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = "/timeWindows/" + i;
            String id = node.path("id").asText();
            int before = errors.size();
            if (windows.containsKey(id)) {
                errors.add(document.error(at + "/id", "time window id '" + id + "' is used twice"));
            }
            Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
            if (node.has("days")) {
                days = EnumSet.noneOf(DayOfWeek.class);
                for (int j = 0; j < node.path("days").size(); j++) {
                    String name = node.path("days").get(j).asText();
                    DayOfWeek day = DAYS.get(name);
                    if (day == null) {
                        errors.add(document.error(at + "/days/" + j, "'" + name
                                + "' is not a day; use mon, tue, wed, thu, fri, sat or sun"));
                    } else {
                        days.add(day);
                    }
                }
            }
            LocalTime[] hours = hours(node.path("hours").asText("00:00-24:00"));
            if (hours == null) {
                errors.add(document.error(at + "/hours", "'" + node.path("hours").asText()
                        + "' is not a span of hours; write it as 08:30-17:15 (or 22:00-06:00 across midnight)"));
            }
            if (errors.size() == before) {
                windows.put(id, new TimeWindow(id, zone, days, hours[0], hours[1], holidays,
                        node.path("onHolidays").asBoolean(false)));
            }
        }
        return new PolicyCompiler.Calendar(zone, holidays, windows);
    }

    /** "08:30-17:15" as opening and closing times; "24:00" closes at midnight. Null when unreadable. */
    private static LocalTime[] hours(String span) {
        String[] parts = span.split("-", -1);
        if (parts.length != 2) {
            return null;
        }
        try {
            LocalTime start = LocalTime.parse(parts[0].strip());
            LocalTime end = parts[1].strip().equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(parts[1].strip());
            if (start.equals(end) && !parts[1].strip().equals("24:00")) {
                return null; // an empty window is a mistake
            }
            return new LocalTime[] {start, end};
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
