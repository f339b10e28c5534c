package jp.sekisho.audit.replay;

import static jp.sekisho.audit.replay.JsonValues.nextField;
import static jp.sekisho.audit.replay.JsonValues.stringSet;
import static jp.sekisho.audit.replay.JsonValues.strings;
import static jp.sekisho.audit.replay.JsonValues.text;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.replay.NotReplayable;

/** The record's {@code user} object, read back into the {@link Identity} the decision saw. */
final class UserJson {

    private UserJson() {
    }

    /**
     * The identity; null, with the gap noted, when the record was written before it carried
     * groups and the token's expiry.
     */
    static Identity read(JsonParser p, Gaps gaps) throws IOException {
        JsonValues.expectObject(p);
        String issuer = "";
        String subject = "";
        String username = "";
        Set<String> groups = null;
        List<String> amr = List.of();
        Set<String> methods = Set.of();
        Optional<String> acr = Optional.empty();
        Optional<Instant> authTime = Optional.empty();
        Instant expiresAt = null;
        Map<String, List<String>> claims = Map.of();
        while (nextField(p)) {
            switch (p.currentName()) {
                case "issuer" -> issuer = text(p);
                case "subject" -> subject = text(p);
                case "username" -> username = text(p);
                case "groups" -> groups = stringSet(p);
                case "amr" -> amr = strings(p);
                case "methods" -> methods = stringSet(p);
                case "acr" -> acr = Optional.of(text(p));
                case "authTime" -> authTime = Optional.of(AuditTime.parse(text(p)));
                case "expiresAt" -> expiresAt = AuditTime.parse(text(p));
                case "claims" -> claims = claims(p);
                default -> p.skipChildren();
            }
        }
        if (groups == null || expiresAt == null) {
            gaps.note(NotReplayable.FACTS_NOT_RECORDED);
            return null;
        }
        return new Identity(issuer, subject, username, groups, amr, methods, acr, authTime, expiresAt, claims);
    }

    private static Map<String, List<String>> claims(JsonParser p) throws IOException {
        JsonValues.expectObject(p);
        List<Map.Entry<String, List<String>>> claims = new ArrayList<>(2);
        while (nextField(p)) {
            claims.add(Map.entry(p.currentName(), List.copyOf(strings(p))));
        }
        return JsonValues.immutableMap(claims);
    }
}
