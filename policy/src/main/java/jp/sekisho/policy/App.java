package jp.sekisho.policy;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.posture.PostureRequirement;

/**
 * One protected application: where requests for it arrive, where they go, and who may pass.
 *
 * @param id           stable id, used in audit records, metrics and the assertion's audience
 * @param name         a name people read (may be Japanese)
 * @param hosts        host names (lower case, no port) the app answers on
 * @param pathPrefixes path prefixes within those hosts; {@code /} for the whole host
 * @param upstream     where allowed requests are forwarded
 * @param rules        allow rules, tried in order; nobody is let in unless one admits them
 * @param mfa          how strong and fresh the user's authentication must be
 * @param issuers      the issuers ({@code iss} values) whose users the app accepts; empty for any
 * @param posture      what the device a request comes from must prove
 * @param insecureUpstreamTls the {@code https://} upstream's certificate is not verified (a test
 *                     system's escape hatch, announced at every load)
 * @param anonymousPreflight CORS preflights are forwarded without identity (browsers never send
 *                     credentials with them); off, they are decided like any request
 * @param denyRules    rules that refuse whatever the allow rules say (deny wins)
 * @param model        the network model the app runs under, already expanded into the fields above
 * @param files        what files may do: downloads blocked by segment, upload size and inspection
 * @param tenant       the 団体コード of the municipality that owns the app, in a shared deployment
 */
public record App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
                  List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture,
                  boolean insecureUpstreamTls, boolean anonymousPreflight, List<DenyRule> denyRules,
                  AppModel model, FileControls files, Optional<String> tenant) {

    public App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
               List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture,
               boolean insecureUpstreamTls, boolean anonymousPreflight, List<DenyRule> denyRules, AppModel model,
               FileControls files) {
        this(id, name, hosts, pathPrefixes, upstream, rules, mfa, issuers, posture, insecureUpstreamTls,
                anonymousPreflight, denyRules, model, files, Optional.empty());
    }

    public App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
               List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture,
               boolean insecureUpstreamTls, boolean anonymousPreflight, List<DenyRule> denyRules, AppModel model) {
        this(id, name, hosts, pathPrefixes, upstream, rules, mfa, issuers, posture, insecureUpstreamTls,
                anonymousPreflight, denyRules, model, FileControls.NONE);
    }

    public App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
               List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture,
               boolean insecureUpstreamTls, boolean anonymousPreflight, List<DenyRule> denyRules) {
        this(id, name, hosts, pathPrefixes, upstream, rules, mfa, issuers, posture, insecureUpstreamTls,
                anonymousPreflight, denyRules, AppModel.NONE);
    }

    public App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
               List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture,
               boolean insecureUpstreamTls, boolean anonymousPreflight) {
        this(id, name, hosts, pathPrefixes, upstream, rules, mfa, issuers, posture, insecureUpstreamTls,
                anonymousPreflight, List.of());
    }

    public App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
               List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture,
               boolean insecureUpstreamTls) {
        this(id, name, hosts, pathPrefixes, upstream, rules, mfa, issuers, posture, insecureUpstreamTls, false);
    }

    /** An app whose upstream, if {@code https://}, is verified. */
    public App(String id, String name, List<String> hosts, List<String> pathPrefixes, URI upstream,
               List<AllowRule> rules, MfaRequirement mfa, Set<String> issuers, PostureRequirement posture) {
        this(id, name, hosts, pathPrefixes, upstream, rules, mfa, issuers, posture, false, false);
    }

    public App {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        pathPrefixes = List.copyOf(pathPrefixes);
        Objects.requireNonNull(upstream, "upstream");
        rules = List.copyOf(rules);
        denyRules = List.copyOf(denyRules);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mfa, "mfa");
        issuers = Set.copyOf(issuers);
        Objects.requireNonNull(posture, "posture");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("app " + id + " has no hosts");
        }
        if (pathPrefixes.isEmpty()) {
            throw new IllegalArgumentException("app " + id + " has no path prefixes");
        }
    }
}
