package jp.sekisho.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jp.sekisho.policy.edit.PolicyText;
import jp.sekisho.store.PolicyVersion;

/**
 * Stored versions read as documents, once each: a version never changes, so its parse is kept
 * (by content hash), and a prefecture's thousand-app document is parsed on a worker thread, not
 * on the event loop that also carries staff requests.
 */
final class ParsedVersions {

    private final Vertx vertx;
    private final Cache<String, PolicyText> parsed = Caffeine.newBuilder().maximumSize(256).build();

    ParsedVersions(Vertx vertx) {
        this.vertx = vertx;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The version's document; fails when the stored text cannot be read (it passed every check once). */
    Future<PolicyText> of(PolicyVersion version) {
        PolicyText known = parsed.getIfPresent(version.sha256());
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return vertx.executeBlocking(() -> {
            PolicyText text = PolicyText.parse("policy " + version.label(), version.text());
            parsed.put(version.sha256(), text);
            return text;
        }, false);
    }

    /** The app's YAML in a version, or null when the version has no such app. */
    Future<String> appYaml(PolicyVersion version, String id) {
        return of(version).map(doc -> doc.app(id).map(PolicyText.AppEntry::yaml).orElse(null));
    }
}
