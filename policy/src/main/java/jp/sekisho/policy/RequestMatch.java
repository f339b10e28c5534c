package jp.sekisho.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.network.CidrSet;

/**
 * What a rule asks of the request itself, beside who sent it: the network segment it came
 * from, when it came, its method and its path. An empty list asks nothing.
 *
 * @param segments network segment ids
 * @param methods  HTTP methods, upper case
 * @param paths    path patterns; the request's path must match one
 * @param times    time windows; the request must come inside one
 * @param sources  source address ranges; the request must come from one (empty set: any)
 */
public record RequestMatch(Set<String> segments, Set<String> methods, List<PathGlob> paths, List<TimeWindow> times,
                           CidrSet sources) {

    public static final RequestMatch ANY = new RequestMatch(Set.of(), Set.of(), List.of(), List.of());

    public RequestMatch(Set<String> segments, Set<String> methods, List<PathGlob> paths) {
        this(segments, methods, paths, List.of());
    }

    public RequestMatch(Set<String> segments, Set<String> methods, List<PathGlob> paths, List<TimeWindow> times) {
        this(segments, methods, paths, times, CidrSet.NONE);
    }

    public RequestMatch {
        segments = Set.copyOf(segments);
        methods = Set.copyOf(methods);
        paths = List.copyOf(paths);
        times = List.copyOf(times);
        Objects.requireNonNull(sources, "sources");
    }

    /** True when {@code now} is inside one of the time windows, or none is named. */
    public boolean timeMatches(Instant now) {
        if (times.isEmpty()) {
            return true;
        }
        for (TimeWindow window : times) {
            if (window.contains(now)) {
                return true;
            }
        }
        return false;
    }

    /** Where the request came from: its segment and its source address. */
    boolean segmentMatches(RequestFacts facts) {
        return segmentMatches(facts.segment(), facts.source());
    }

    /**
     * Where a request or tunnel came from: true when the segment is one named (or none is) and
     * the source address lies in the source ranges (or none is given).
     */
    public boolean segmentMatches(Optional<String> segment, Optional<String> source) {
        return (segments.isEmpty() || segment.isPresent() && segments.contains(segment.get()))
                && (sources.isEmpty() || source.isPresent() && sources.contains(source.get()));
    }

    /** The method and path conditions (the segment is judged apart, to name it in refusals). */
    boolean requestMatches(RequestFacts facts) {
        if (!methods.isEmpty() && !methods.contains(facts.method())) {
            return false;
        }
        if (paths.isEmpty()) {
            return true;
        }
        for (PathGlob path : paths) {
            if (path.matches(facts.path())) {
                return true;
            }
        }
        return false;
    }

    boolean matches(RequestFacts facts, Instant now) {
        return segmentMatches(facts) && timeMatches(now) && requestMatches(facts);
    }
}
