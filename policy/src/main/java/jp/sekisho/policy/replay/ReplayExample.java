package jp.sekisho.policy.replay;

import java.time.Instant;

/**
 * One recorded request the draft would treat differently, to look up in the trail.
 *
 * @param requestId the request's id ({@code sekisho audit export} finds it)
 * @param time      when it arrived
 * @param user      who sent it: username, subject, or that nobody signed in
 * @param method    its method
 * @param host      its host
 * @param path      its path, in routing form
 * @param before    the recorded verdict (the policy's part of it)
 * @param after     the draft's verdict
 */
public record ReplayExample(String requestId, Instant time, String user, String method, String host, String path,
                            Verdict before, Verdict after) {
}
