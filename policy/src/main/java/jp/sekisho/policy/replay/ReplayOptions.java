package jp.sekisho.policy.replay;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which recorded requests a replay looks at, and how many examples it keeps.
 *
 * @param from     requests at or after this instant, when set
 * @param to       requests before this instant (exclusive), when set
 * @param app      requests to this app, when recorded or under the draft, when set
 * @param examples how many examples to keep of each kind of change
 */
public record ReplayOptions(Optional<Instant> from, Optional<Instant> to, Optional<String> app, int examples) {

    /** Every request, ten examples of each change. */
    public static final ReplayOptions ALL = new ReplayOptions(Optional.empty(), Optional.empty(), Optional.empty(), 10);

    public ReplayOptions {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(app, "app");
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("the period ends (" + to.get() + ") before it starts (" + from.get()
                    + "): nothing could match");
        }
        if (examples < 0) {
            throw new IllegalArgumentException("examples must not be negative");
        }
    }

    public ReplayOptions between(Optional<Instant> newFrom, Optional<Instant> newTo) {
        return new ReplayOptions(newFrom, newTo, app, examples);
    }

    public ReplayOptions forApp(Optional<String> newApp) {
        return new ReplayOptions(from, to, newApp, examples);
    }

    public ReplayOptions withExamples(int newExamples) {
        return new ReplayOptions(from, to, app, newExamples);
    }

    /** True when {@code time} falls in the period. */
    public boolean inPeriod(Instant time) {
        return (from.isEmpty() || !time.isBefore(from.get())) && (to.isEmpty() || time.isBefore(to.get()));
    }
}
