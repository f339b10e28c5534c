package jp.sekisho.policy.simulate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.App;
import jp.sekisho.policy.DenyRule;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.RequestMatch;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.posture.PostureRequirement;

/**
 * One app's compiled policy as an administrator reads it: where it is served, where requests
 * go, and every rule in the order the decision tries them, with each condition spelt out.
 */
public final class AppExplanation {

    private AppExplanation() {
    }

    public static List<String> lines(PolicySnapshot policy, App app) {
        List<String> out = new ArrayList<>();
        out.add("app " + app.id() + " (" + app.name() + "), policy " + policy.version());
        out.add("  served at:  " + app.hosts().stream()
                .flatMap(h -> app.pathPrefixes().stream().map(p -> h + p)).collect(Collectors.joining(", ")));
        out.add("  upstream:   " + app.upstream() + (app.insecureUpstreamTls() ? "  (TLS NOT VERIFIED)" : ""));
        out.add("  issuers:    " + (app.issuers().isEmpty() ? "any configured issuer" : sorted(app.issuers())));
        app.model().preset().ifPresent(preset -> {
            out.add("  model:      " + preset.code() + " (reach: segments of kind " + String.join(", ",
                    preset.reach().stream().map(k -> k.code()).sorted().toList()) + "; MFA "
                    + (preset.mfaRequired() ? "required" : "not required") + "; posture floor: "
                    + posture(preset.postureFloor())
                    + (preset.blocksDownloadsToLgwan() ? "; no downloads to LGWAN terminals" : "")
                    + preset.unenforcedFileControls().map(f -> "; needs " + f).orElse("") + ")");
            app.model().overrides().forEach((control, reason) ->
                    out.add("  OVERRIDE:   " + control + " loosened: " + reason));
        });
        out.add("  mfa:        " + mfa(app.mfa()));
        out.add("  posture:    " + posture(app.posture()));
        out.add("  files:      " + files(app.files()));
        out.add("  preflight:  " + (app.anonymousPreflight() ? "CORS preflights pass without identity"
                : "decided like any request"));
        out.add("  order:      quarantine, sign-in, deny rules, allow rules (first match), posture, MFA");
        if (app.denyRules().isEmpty()) {
            out.add("  deny rules: none");
        }
        for (DenyRule rule : app.denyRules()) {
            out.add("  deny  " + rule.id() + ": " + (rule.users().isEmpty() && rule.groups().isEmpty()
                    && rule.claims().isEmpty() ? "everyone" : who(rule.users(), rule.groups(), rule.claims()))
                    + conditions(rule.where()));
        }
        for (AllowRule rule : app.rules()) {
            out.add("  allow " + rule.id() + ": " + who(rule.users(), rule.groups(), rule.claims())
                    + conditions(rule.where()));
        }
        out.add("  otherwise:  deny (user-not-allowed, or the nearest miss)");
        return out;
    }

    private static String files(FileControls files) {
        List<String> parts = new ArrayList<>();
        if (!files.blockDownloadsFrom().isEmpty()) {
            parts.add("downloads blocked to segments " + sorted(files.blockDownloadsFrom())
                    + (files.downloadContentTypes().isEmpty() ? "" : " (also " + sorted(files.downloadContentTypes())
                    + ")"));
        }
        files.maxUploadBytes().ifPresent(max -> parts.add("uploads up to " + max + " bytes"));
        if (files.refuseMyNumber()) {
            parts.add("uploads carrying a My Number (個人番号) refused");
        }
        return parts.isEmpty() ? "no controls" : String.join(", ", parts);
    }

    private static String mfa(MfaRequirement mfa) {
        if (mfa.equals(MfaRequirement.NONE)) {
            return "none required";
        }
        List<String> parts = new ArrayList<>();
        if (!mfa.anyOf().isEmpty()) {
            parts.add("any of " + sorted(mfa.anyOf()));
        }
        if (mfa.minFactorClasses() > 0) {
            parts.add("at least " + mfa.minFactorClasses() + " factor classes");
        }
        mfa.maxAge().ifPresent(age -> parts.add("within " + age.toSeconds() + " s"));
        mfa.maxAgeByMethod().forEach((method, age) -> parts.add(method + " within " + age.toSeconds() + " s"));
        return String.join(", ", parts);
    }

    private static String posture(PostureRequirement p) {
        if (!p.demandsAnything()) {
            return "none required";
        }
        List<String> parts = new ArrayList<>();
        if (p.certificateRequired()) {
            parts.add("device certificate");
        }
        if (p.managed()) {
            parts.add("managed");
        }
        if (p.compliant()) {
            parts.add("compliant");
        }
        if (p.edrRunning()) {
            parts.add("EDR running" + p.edrMaxRisk().map(r -> " (risk at most " + r.name().toLowerCase(
                    java.util.Locale.ROOT) + ")").orElse(""));
        }
        if (p.diskEncrypted()) {
            parts.add("disk encrypted");
        }
        if (p.screenLock()) {
            parts.add("screen lock");
        }
        p.minOsVersion().forEach((platform, version) -> parts.add(platform + " " + version + " or later"));
        p.maxPatchAgeDays().ifPresent(days -> parts.add("patched within " + days + " days"));
        p.maxObservationAge().ifPresent(age -> parts.add("observed within " + age.toSeconds() + " s"));
        return String.join(", ", parts);
    }

    private static String who(Collection<String> users, Collection<String> groups,
                              java.util.Map<String, java.util.Set<String>> claims) {
        List<String> parts = new ArrayList<>();
        if (!users.isEmpty()) {
            parts.add("users " + sorted(users));
        }
        if (!groups.isEmpty()) {
            parts.add("groups " + sorted(groups));
        }
        if (!claims.isEmpty()) {
            List<String> each = new ArrayList<>();
            new java.util.TreeMap<>(claims).forEach((name, values) -> each.add(name + " in " + sorted(values)));
            parts.add("claims " + String.join(" and ", each));
        }
        return String.join(" or ", parts);
    }

    private static String conditions(RequestMatch where) {
        List<String> parts = new ArrayList<>();
        if (!where.segments().isEmpty()) {
            parts.add("from segments " + sorted(where.segments()));
        }
        if (!where.sources().isEmpty()) {
            parts.add("from addresses " + where.sources());
        }
        for (TimeWindow window : where.times()) {
            parts.add("in " + window.id() + " (" + window.days().stream().sorted().map(d -> d.name().substring(0, 3)
                    .toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(",")) + " " + window.start() + "-"
                    + window.end() + " " + window.zone() + (window.onHolidays() ? ", holidays too" : ", not on holidays")
                    + ")");
        }
        if (!where.methods().isEmpty()) {
            parts.add("methods " + sorted(where.methods()));
        }
        if (!where.paths().isEmpty()) {
            parts.add("paths " + where.paths());
        }
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }

    private static String sorted(Collection<String> values) {
        return new TreeSet<>(values).toString();
    }
}
