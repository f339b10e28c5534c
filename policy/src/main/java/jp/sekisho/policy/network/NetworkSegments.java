package jp.sekisho.policy.network;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The administrator's named network segments (LGWAN接続系, テレワーク, インターネット接続系, …),
 * each a set of source address ranges. A request's segment is the first whose ranges hold the
 * address the connection came from (or, behind a trusted proxy, the address that proxy saw):
 * never a header the client wrote.
 */
public final class NetworkSegments {

    /** One named segment, and what it is in the guideline's terms when the administrator said so. */
    public record Segment(String id, String name, CidrSet ranges, Optional<SegmentKind> kind) {
        public Segment(String id, String name, CidrSet ranges) {
            this(id, name, ranges, Optional.empty());
        }

        public Segment {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ranges, "ranges");
            Objects.requireNonNull(kind, "kind");
        }
    }

    public static final NetworkSegments NONE = new NetworkSegments(List.of());

    private final List<Segment> segments;

    public NetworkSegments(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** The id of the first segment holding {@code address} (an IP literal); empty when none does. */
    public Optional<String> of(String address) {
        byte[] bytes = address == null ? null : CidrSet.literal(address);
        if (bytes == null) {
            return Optional.empty();
        }
        for (Segment segment : segments) {
            if (segment.ranges().contains(bytes)) {
                return Optional.of(segment.id());
            }
        }
        return Optional.empty();
    }

    public List<Segment> all() {
        return segments;
    }
}
