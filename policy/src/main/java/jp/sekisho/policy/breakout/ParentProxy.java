package jp.sekisho.policy.breakout;

import java.util.Objects;
import java.util.Set;

/**
 * An upstream forward proxy (the prefecture's security cloud) that destinations not on the
 * allowlist are chained to, for requests from its segments.
 *
 * @param id       stable id, named in audit records
 * @param host     its host name or address
 * @param port     its port
 * @param segments the network segments whose unlisted destinations go to it; empty for every segment
 */
public record ParentProxy(String id, String host, int port, Set<String> segments) {

    public ParentProxy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        segments = Set.copyOf(segments);
    }
}
