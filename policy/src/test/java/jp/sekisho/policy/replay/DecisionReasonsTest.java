package jp.sekisho.policy.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import org.junit.jupiter.api.Test;

/** The replay tells the policy's reasons from the gateway's, for every reason there is. */
class DecisionReasonsTest {

    @Test
    void everyReasonIsThePolicysOrTheGatewaysNeverBoth() {
        // Loading the class checks the partition; a reason added to neither set fails here.
        long policy = 0;
        for (Reason reason : Reason.values()) {
            policy += DecisionReasons.givenByPolicy(reason) ? 1 : 0;
        }
        assertTrue(policy > 0 && policy < Reason.values().length);
        assertTrue(DecisionReasons.givenByPolicy(Reason.MFA_TOO_OLD));
        assertTrue(DecisionReasons.givenByPolicy(Reason.SESSION_EXPIRED), "an authentication failure decide passes on");
        assertFalse(DecisionReasons.givenByPolicy(Reason.UPSTREAM_TIMEOUT));
        assertFalse(DecisionReasons.givenByPolicy(Reason.APP_UNKNOWN), "routing, before any policy");
    }

    @Test
    void theDecisionPartDropsWhatTheGatewayAddedAfterIt() {
        Verdict clean = new Verdict(Optional.of("records"), Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED),
                Optional.of("clerks"));
        assertSame(clean, DecisionReasons.decisionPart(clean));
        Verdict blocked = new Verdict(Optional.of("records"), Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED,
                Reason.DOWNLOAD_BLOCKED), Optional.of("clerks"));
        assertEquals(clean, DecisionReasons.decisionPart(blocked));
    }
}
