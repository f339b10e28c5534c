package jp.sekisho.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;
import org.junit.jupiter.api.Test;

/** A browser session keeps, through its cookie, every fact a rule may use, kept claims included. */
class SessionTest {

    @Test
    void keptClaimsSurviveTheCookie() {
        Instant now = Instant.parse("2026-11-24T01:00:00Z");
        Identity identity = new Identity("https://idp.example.lg.jp", "sub-1", "tanaka", Set.of("shimin-ka"),
                List.of("face"), Set.of("face"), Optional.of("c1"), Optional.of(now.minusSeconds(60)),
                now.plusSeconds(3600), Map.of("department", List.of("市民課"), "roles", List.of("a", "b")));
        Session session = new Session("sid-1", identity, now, now.plusSeconds(3600), now, Optional.empty(),
                Optional.empty());
        assertEquals(session, Session.fromBytes(session.toBytes()));
    }
}
