package jp.sekisho.audit.review;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;

/**
 * The hours a request is expected in, as the policy's rules judge them: the policy's time window
 * (with its time zone and holidays) when the configuration defines one, otherwise Japanese
 * government office hours, weekdays 08:30–18:15 (with the policy's zone and holidays when a
 * configuration without such a window is given).
 *
 * @param window the compiled window that decides
 * @param origin where the window comes from
 * @param config the configuration file read, if any
 */
public record BusinessHours(TimeWindow window, Origin origin, Optional<String> config) {

    /** The window a policy names business hours by default. */
    public static final String DEFAULT_WINDOW_ID = "business-hours";

    /** Where the hours come from; a report says which. */
    public enum Origin {
        /** The policy's own window. */
        POLICY,
        /** No configuration was given: office hours in Asia/Tokyo, no holidays. */
        DEFAULT,
        /** The configuration has no {@value #DEFAULT_WINDOW_ID} window: office hours in its zone, with its holidays. */
        DEFAULT_WITH_POLICY_CALENDAR
    }

    static final LocalTime OFFICE_OPENS = LocalTime.of(8, 30);
    static final LocalTime OFFICE_CLOSES = LocalTime.of(18, 15);
    static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    public BusinessHours {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(config, "config");
    }

    /** Weekdays 08:30–18:15 in Asia/Tokyo: what a review assumes without a configuration. */
    public static BusinessHours officeHours() {
        return new BusinessHours(office(ZoneId.of("Asia/Tokyo"), Set.of()), Origin.DEFAULT, Optional.empty());
    }

    /**
     * The hours from a configuration file: the window {@code windowId} (default
     * {@value #DEFAULT_WINDOW_ID}). Only {@code timeZone}, {@code holidays} and {@code timeWindows}
     * are read, so a copy of the configuration without its key and certificate files will do.
     *
     * @throws ConfigException when the file cannot be read, the calendar has a mistake, or a
     *                         window named with {@code --business-hours} is not there
     */
    public static BusinessHours fromConfig(Path file, Optional<String> windowId) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "",
                    "cannot read the file: " + e.getMessage())));
        }
        PolicyCompiler.Calendar calendar = PolicyCompiler.calendar(SourceDocument.parse(file.toString(), text));
        String id = windowId.orElse(DEFAULT_WINDOW_ID);
        TimeWindow window = calendar.windows().get(id);
        if (window != null) {
            return new BusinessHours(window, Origin.POLICY, Optional.of(file.toString()));
        }
        if (windowId.isPresent()) {
            throw new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "/timeWindows",
                    "no time window has the id '" + id + "'; known: "
                            + (calendar.windows().isEmpty() ? "none" : String.join(", ", calendar.windows().keySet())))));
        }
        return new BusinessHours(office(calendar.zone(), calendar.holidays()), Origin.DEFAULT_WITH_POLICY_CALENDAR,
                Optional.of(file.toString()));
    }

    private static TimeWindow office(ZoneId zone, Set<LocalDate> holidays) {
        return new TimeWindow(DEFAULT_WINDOW_ID, zone, WEEKDAYS, OFFICE_OPENS, OFFICE_CLOSES, holidays, false);
    }

    public boolean contains(Instant time) {
        return window.contains(time);
    }
}
