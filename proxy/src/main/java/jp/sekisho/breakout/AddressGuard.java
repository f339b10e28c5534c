package jp.sekisho.breakout;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import jp.sekisho.policy.network.CidrSet;

/**
 * Which resolved addresses a tunnel may connect to. An allowlisted name is only as trustworthy
 * as whoever answers for it in DNS: a name that resolves into the municipality's own network
 * (loopback, link-local, private, carrier-grade NAT, unique-local) would turn the forward proxy
 * into a door to the inside (DNS rebinding). Such answers are dropped unless the entry says
 * the service is on-premises ({@code allowPrivate}); addresses that are never a host (unspecified,
 * multicast, reserved) are dropped always. The tunnel then connects to an address checked here,
 * never to the name again.
 */
final class AddressGuard {

    private static final CidrSet NEVER = CidrSet.of(List.of("0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "::/128",
            "ff00::/8"));

    private static final CidrSet INTERNAL = CidrSet.of(List.of("10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "::1/128",
            "fc00::/7", "fe80::/10"));

    private AddressGuard() {
    }

    /** The addresses, in the resolver's order, that a tunnel may connect to. */
    static List<InetAddress> permitted(List<InetAddress> addresses, boolean allowPrivate) {
        List<InetAddress> permitted = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            byte[] bytes = embeddedIpv4(address.getAddress());
            if (NEVER.contains(bytes)) {
                continue;
            }
            if (!allowPrivate && INTERNAL.contains(bytes)) {
                continue;
            }
            permitted.add(address);
        }
        return permitted;
    }

    /** True when the address is one a tunnel to a public service must not reach. */
    static boolean internal(InetAddress address) {
        byte[] bytes = embeddedIpv4(address.getAddress());
        return NEVER.contains(bytes) || INTERNAL.contains(bytes);
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible or NAT64
     * ({@code 64:ff9b::a.b.c.d}) IPv6 address, which reach that IPv4 address; otherwise the bytes.
     */
    private static byte[] embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= bytes[i] == 0;
        }
        boolean ffff = mapped && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = mapped && bytes[10] == 0 && bytes[11] == 0 && !(bytes[12] == 0 && bytes[13] == 0
                && bytes[14] == 0 && (bytes[15] == 0 || bytes[15] == 1));
        boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = bytes[i] == 0;
        }
        if (ffff || compatible || nat64) {
            return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        }
        return bytes;
    }

    /** Formats an address for records: without the scope of a link-local IPv6 address. */
    static String text(InetAddress address) {
        String text = address.getHostAddress();
        int scope = address instanceof Inet6Address ? text.indexOf('%') : -1;
        return scope < 0 ? text : text.substring(0, scope);
    }
}
