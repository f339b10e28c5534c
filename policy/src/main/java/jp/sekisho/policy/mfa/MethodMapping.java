package jp.sekisho.policy.mfa;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one issuer's claims say which methods a user authenticated with. IdPs differ: Entra ID
 * v1 tokens carry vendor {@code amr} values and v2 tokens carry authentication contexts in
 * {@code acrs}; Keycloak maps levels to {@code acr} and can add an {@code amr} mapper; Okta
 * writes {@code urn:okta:loa:*} in {@code acr}. A profile gives the vendor's meaning, and the
 * administrator's own entries (for example which {@code acrs} context means OTP) add to it.
 *
 * <p>Values nobody mapped prove nothing: an unknown {@code amr} never satisfies a requirement.
 */
public final class MethodMapping {

    /** Built-in meanings of vendor claim values. */
    public enum Profile {
        /** {@code amr} values are RFC 8176 names; nothing else is read. */
        RFC8176,
        /** Microsoft Entra ID: v1 {@code amr} values; {@code acrs} contexts are the administrator's. */
        ENTRA,
        /** Keycloak: {@code amr} from the amr mapper; {@code acr} levels are the administrator's. */
        KEYCLOAK,
        /** Okta: {@code urn:okta:loa:*} values in {@code acr}, RFC 8176 {@code amr}. */
        OKTA;

        public static Profile parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private static final Map<String, List<String>> ENTRA_AMR = Map.of(
            "ngcmfa", List.of(AuthMethods.MFA),      // Windows Hello for Business / passwordless MFA
            "wia", List.of("pwd"),                   // Windows integrated authentication
            "fido", List.of("hwk"),                  // FIDO2 security key
            "wiaormfa", List.of());                  // says neither: proves nothing

    private static final Map<String, List<String>> OKTA_ACR = Map.of(
            "urn:okta:loa:1fa:pwd", List.of("pwd"),
            "urn:okta:loa:1fa:any", List.of(),       // one factor, which one unknown
            "urn:okta:loa:2fa:any", List.of(AuthMethods.MFA),
            "urn:okta:loa:2fa:any:ifpossible", List.of(), // may have been one factor
            "phr", List.of("hwk", AuthMethods.MFA),  // phishing-resistant
            "phrh", List.of("hwk", AuthMethods.MFA));

    private final Map<String, List<String>> amr;
    private final Map<String, List<String>> acr;
    private final Map<String, List<String>> acrs;

    /**
     * @param profile the vendor's built-in meanings
     * @param amr     administrator's {@code amr} entries (added to, and overriding, the profile's)
     * @param acr     administrator's {@code acr} entries
     * @param acrs    administrator's Entra {@code acrs} entries
     */
    public MethodMapping(Profile profile, Map<String, List<String>> amr, Map<String, List<String>> acr,
                         Map<String, List<String>> acrs) {
        Map<String, List<String>> amrAll = new HashMap<>();
        Map<String, List<String>> acrAll = new HashMap<>();
        if (profile == Profile.ENTRA) {
            amrAll.putAll(ENTRA_AMR);
        }
        if (profile == Profile.OKTA) {
            acrAll.putAll(OKTA_ACR);
        }
        amrAll.putAll(amr);
        acrAll.putAll(acr);
        this.amr = Map.copyOf(amrAll);
        this.acr = Map.copyOf(acrAll);
        this.acrs = Map.copyOf(acrs);
    }

    /** A profile's built-in meanings alone, with no administrator entries. */
    public static MethodMapping parseProfileOnly(String profile) {
        return new MethodMapping(Profile.parse(profile), Map.of(), Map.of(), Map.of());
    }

    public static MethodMapping rfc8176() {
        return new MethodMapping(Profile.RFC8176, Map.of(), Map.of(), Map.of());
    }

    /** The canonical methods the claims prove. */
    public Set<String> methods(List<String> amrValues, String acrValue, List<String> acrsValues) {
        Set<String> methods = new TreeSet<>();
        for (String value : amrValues) {
            List<String> mapped = amr.get(value);
            if (mapped != null) {
                methods.addAll(mapped);
            } else if (AuthMethods.isKnown(value)) {
                methods.add(value);
            }
        }
        if (acrValue != null) {
            methods.addAll(acr.getOrDefault(acrValue, List.of()));
        }
        for (String context : acrsValues) {
            methods.addAll(acrs.getOrDefault(context, List.of()));
        }
        return methods;
    }
}
