package jp.sekisho.audit.breakout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.sekisho.audit.review.ReviewPeriod;

/**
 * The shadow-IT report of a period: which destinations staff terminals tried to reach through
 * the forward proxy that the allowlist does not name, how often, by whom, from which network
 * segments and groups; and, apart, the breakout refusals for any other reason.
 *
 * @param trail         the audit directory read
 * @param period        the period counted
 * @param segment       the only network segment counted, when one was asked for
 * @param top           how many rows each ranked table keeps
 * @param generated     when the report was made
 * @param totals        the period's breakout records by outcome
 * @param destinations  the most-refused destinations, most first (at most {@code top})
 * @param segments      refusals by network segment, most first (at most {@code top})
 * @param groups        refusals by group, most first (at most {@code top})
 * @param otherRefusals the other denials, by their first reason, most first
 * @param reading       what the trail held that could not be read
 */
public record ShadowIt(String trail, ReviewPeriod period, Optional<String> segment, int top, Instant generated,
                       Totals totals, List<Destination> destinations, List<Slice> segments, List<Slice> groups,
                       List<ReasonCount> otherRefusals, Reading reading) {

    public ShadowIt {
        destinations = List.copyOf(destinations);
        segments = List.copyOf(segments);
        groups = List.copyOf(groups);
        otherRefusals = List.copyOf(otherRefusals);
    }

    /**
     * The period's breakout records: all, allowed, refused as not on the allowlist, refused for
     * another reason, sent to log in, asked to step up; and how many destinations, segments and
     * groups the not-on-the-allowlist refusals spread over (before {@code top} cut them).
     */
    public record Totals(long records, long allowed, long notListed, long otherRefusals, long unauthenticated,
                         long stepUp, int destinations, int segments, int groups) {
    }

    /**
     * One destination not on the allowlist.
     *
     * @param host      the destination host, lower case
     * @param port      its port (0 when the request's could not be read)
     * @param refusals  how many requests to it were refused
     * @param users     distinct users among them (username, else subject; requests with no user not counted)
     * @param devices   distinct device ids among them
     * @param firstSeen the first refusal in the period
     * @param lastSeen  the last one
     * @param segments  the segments most refused from, most first (at most {@link ShadowItTally#SHARES})
     * @param groups    the groups most refused, most first (at most {@link ShadowItTally#SHARES})
     */
    public record Destination(String host, int port, long refusals, int users, int devices, Instant firstSeen,
                              Instant lastSeen, List<Share> segments, List<Share> groups) {

        public Destination {
            segments = List.copyOf(segments);
            groups = List.copyOf(groups);
        }

        /** The host, with the port when it is not 443 ({@code [2001:db8::1]:8443} for an IPv6 literal). */
        public String label() {
            if (port == 443) {
                return host;
            }
            boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
            return (ipv6 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A segment's or group's part of one destination's refusals; a null segment is "none". */
    public record Share(String name, long refusals) {
    }

    /** Refusals from one segment or of one group, over how many destinations and users. */
    public record Slice(String name, long refusals, int destinations, int users) {
    }

    /** Other refusals with this first reason. */
    public record ReasonCount(String reason, long count) {
    }

    /** Lines read (the whole trail, outside the period too) and lines that could not be read. */
    public record Reading(long linesRead, long unreadable) {
    }
}
