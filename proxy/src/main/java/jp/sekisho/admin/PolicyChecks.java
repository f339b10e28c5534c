package jp.sekisho.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.policy.lint.Finding;
import jp.sekisho.policy.lint.PolicyLint;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;

/** Lint findings on a checked policy, as the admin API returns them with a proposal. */
final class PolicyChecks {

    private PolicyChecks() {
    }

    /** @param app only this app's findings, or every app's when null */
    static JsonArray findings(LoadedConfig checked, String text, String app) {
        JsonArray out = new JsonArray();
        SourceDocument source;
        try {
            source = SourceDocument.parse("policy", text);
        } catch (ConfigException e) {
            return out; // it compiled, so it parses; nothing to add
        }
        // the admin endpoints hold no clock; ISMAP expiry is judged on today, as an operator reads it
        for (Finding f : PolicyLint.check(checked.policy(), source, Optional.empty(), Instant.now())) {
            if (app == null || f.app().equals(app)) {
                out.add(new JsonObject().put("id", f.id()).put("severity", f.severity().code()).put("app", f.app())
                        .put("rule", f.rule().orElse(null)).put("message", f.message()));
            }
        }
        return out;
    }
}
