package jp.sekisho.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.policy.mfa.AuthMethods;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/** Semantic checks of the settings that a schema cannot express. */
final class SettingsCheck {

    private SettingsCheck() {
    }

    static List<ConfigError> check(SekishoConfig settings, SourceDocument document) {
        List<ConfigError> errors = new ArrayList<>();
        for (int i = 0; i < settings.trustedProxies().size(); i++) {
            String cidr = settings.trustedProxies().get(i);
            if (!CidrSet.isValid(cidr)) {
                errors.add(document.error("/trustedProxies/" + i, "'" + cidr
                        + "' is not an IP address or CIDR range such as 10.0.0.0/8"));
            }
        }
        if (settings.policyStore().shared() && settings.policyStore().url() == null) {
            errors.add(document.error("/policyStore", "policyStore.type postgresql needs a url"
                    + " (postgresql://user@host:5432/database)"));
        }
        if (settings.admin() != null) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            settings.issuers().forEach(issuer -> ids.add(issuer.id()));
            for (int i = 0; i < settings.admin().issuers().size(); i++) {
                if (!ids.contains(settings.admin().issuers().get(i))) {
                    errors.add(document.error("/admin/issuers/" + i, "no issuer has the id '"
                            + settings.admin().issuers().get(i) + "'"));
                }
            }
        }
        try {
            ZoneId.of(settings.audit().zone());
        } catch (DateTimeException e) {
            errors.add(document.error("/audit/zone", "unknown time zone '" + settings.audit().zone()
                    + "' (for example Asia/Tokyo)"));
        }
        String tenant = settings.audit().tenant();
        if (!tenant.isEmpty() && tenant.matches("[0-9]{6}") && !TenantCode.isValid(tenant)) {
            errors.add(document.error("/audit/tenant", "'" + tenant + "' is not a 団体コード: its check digit should be "
                    + TenantCode.checkDigit(tenant) + " (" + tenant.substring(0, 5) + TenantCode.checkDigit(tenant) + ")"));
        }
        Set<String> ids = new HashSet<>();
        Set<String> issuers = new HashSet<>();
        for (int i = 0; i < settings.issuers().size(); i++) {
            SekishoConfig.Issuer issuer = settings.issuers().get(i);
            if (!ids.add(issuer.id())) {
                errors.add(document.error("/issuers/" + i + "/id", "issuer id '" + issuer.id() + "' is used twice"));
            }
            checkMethods(document, errors, "/issuers/" + i + "/mfa/amr", issuer.mfa().amr());
            checkMethods(document, errors, "/issuers/" + i + "/mfa/acr", issuer.mfa().acr());
            checkMethods(document, errors, "/issuers/" + i + "/mfa/acrs", issuer.mfa().acrs());
            if (!issuers.add(issuer.issuer())) {
                errors.add(document.error("/issuers/" + i + "/issuer", "issuer '" + issuer.issuer()
                        + "' is configured twice"));
            }
        }
        if (settings.browserLogin() != null) {
            String loginIssuer = settings.browserLogin().issuer();
            var issuer = settings.issuers().stream().filter(i -> i.id().equals(loginIssuer)).findFirst();
            if (issuer.isEmpty()) {
                errors.add(document.error("/browserLogin/issuer", "no issuer has the id '" + loginIssuer + "'"));
            } else if (issuer.get().jwksUri() != null) {
                errors.add(document.error("/browserLogin/issuer", "browser sign-in finds the IdP's endpoints by"
                        + " discovery: remove jwksUri from issuer '" + loginIssuer + "'"));
            }
        }
        errors.addAll(PostureSettingsCheck.check(settings, document));
        if (settings.listen().port() != 0 && settings.listen().port().equals(settings.management().port())
                && settings.listen().host().equals(settings.management().host())) {
            errors.add(document.error("/management/port", "the management listener must not share the staff"
                    + " listener's address"));
        }
        return errors;
    }

    private static void checkMethods(SourceDocument document, List<ConfigError> errors, String at,
                                     java.util.Map<String, List<String>> mapping) {
        mapping.forEach((value, methods) -> {
            for (String method : methods) {
                if (!AuthMethods.isKnown(method)) {
                    errors.add(document.error(at + "/" + value, "unknown method '" + method + "'; known: "
                            + String.join(", ", AuthMethods.known())));
                }
            }
        });
    }
}
