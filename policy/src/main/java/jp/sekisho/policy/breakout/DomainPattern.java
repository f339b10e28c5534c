package jp.sekisho.policy.breakout;

import java.util.Objects;
import java.util.Optional;

/**
 * One allowlist domain pattern, normalised: an exact host name, or {@code *.example.com} for every
 * name below example.com (at any depth) but not example.com itself. A {@code *} anywhere else
 * ({@code autodiscover.*.example.com}, {@code *blob.example.com}) is not a pattern: such names
 * cannot be matched by suffix, and a regular expression per request is what this avoids.
 *
 * @param name     the normalised name, without the {@code *.} of a wildcard
 * @param wildcard true for {@code *.name}
 */
public record DomainPattern(String name, boolean wildcard) {

    public DomainPattern {
        Objects.requireNonNull(name, "name");
    }

    /**
     * The pattern as written in a policy, normalised like a destination (lower case, ASCII, no
     * trailing dot); empty when it is not a host name or a {@code *.} wildcard of one, when it is
     * an IP address, or when a wildcard would cover a whole top-level domain ({@code *.com}).
     */
    public static Optional<DomainPattern> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        boolean wildcard = trimmed.startsWith("*.");
        String rest = wildcard ? trimmed.substring(2) : trimmed;
        if (rest.indexOf('*') >= 0 || rest.indexOf(':') >= 0 || DestinationNames.isIpv4(rest)) {
            return Optional.empty();
        }
        String name = DestinationNames.name(rest);
        if (name == null || wildcard && name.indexOf('.') < 0) {
            return Optional.empty();
        }
        return Optional.of(new DomainPattern(name, wildcard));
    }

    /** True when the normalised {@code host} is this name, or for a wildcard, a name below it. */
    public boolean matches(String host) {
        if (!wildcard) {
            return host.equals(name);
        }
        return host.length() > name.length() + 1 && host.endsWith(name)
                && host.charAt(host.length() - name.length() - 1) == '.';
    }

    /** The pattern as the policy writes it: {@code outlook.office.com} or {@code *.outlook.office.com}. */
    @Override
    public String toString() {
        return wildcard ? "*." + name : name;
    }
}
