package jp.sekisho.policy.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IPv4/IPv6 ranges compiled once, tested per request without allocation beyond the
 * address parse. Only IP literals are accepted: a host name here would mean a DNS lookup.
 */
public final class CidrSet {

    private record Range(byte[] network, int prefixLength) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - remainingBits)) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    /** No ranges: contains nothing; as a rule condition, asks nothing. */
    public static final CidrSet NONE = new CidrSet(List.of(), List.of());

    private final List<Range> ranges;
    private final List<String> written;

    private CidrSet(List<Range> ranges, List<String> written) {
        this.ranges = ranges;
        this.written = written;
    }

    /** The ranges as the administrator wrote them. */
    @Override
    public String toString() {
        return written.toString();
    }

    /** @throws IllegalArgumentException naming the first entry that is not a literal IP or CIDR */
    public static CidrSet of(List<String> cidrs) {
        List<Range> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            Range range = parse(cidr);
            if (range == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + cidr);
            }
            ranges.add(range);
        }
        return new CidrSet(List.copyOf(ranges), List.copyOf(cidrs));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public static boolean isValid(String cidr) {
        return parse(cidr) != null;
    }

    /** True when the literal address lies in one of the ranges; false for anything unparsable. */
    public boolean contains(String address) {
        if (ranges.isEmpty() || address == null) {
            return false;
        }
        return contains(literal(address));
    }

    /** The same for an address already parsed by {@link #literal}. */
    public boolean contains(byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static Range parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > max) {
                return null;
            }
        }
        return new Range(bytes, prefix);
    }

    /** The bytes of an IP literal, or null; never resolves names. */
    public static byte[] literal(String address) {
        if (address.isEmpty()) {
            return null;
        }
        String a = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        boolean colon = a.indexOf(':') >= 0;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (colon && (c == ':'
                    || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return null;
            }
        }
        if (!colon && a.chars().filter(c -> c == '.').count() != 3) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
