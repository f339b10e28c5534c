package jp.sekisho.policy;

import java.util.List;
import java.util.Set;

/**
 * What a rule asks of the request itself, beside who sent it: the network segment it came
 * from, its method and its path. An empty list asks nothing.
 *
 * @param segments network segment ids
 * @param methods  HTTP methods, upper case
 * @param paths    path patterns; the request's path must match one
 */
public record RequestMatch(Set<String> segments, Set<String> methods, List<PathGlob> paths) {

    public static final RequestMatch ANY = new RequestMatch(Set.of(), Set.of(), List.of());

    public RequestMatch {
        segments = Set.copyOf(segments);
        methods = Set.copyOf(methods);
        paths = List.copyOf(paths);
    }

    boolean segmentMatches(RequestFacts facts) {
        return segments.isEmpty() || facts.segment().isPresent() && segments.contains(facts.segment().get());
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

    boolean matches(RequestFacts facts) {
        return segmentMatches(facts) && requestMatches(facts);
    }
}
