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

    /** A 団体コード with a wrong check digit is a typo that would file records under nobody's name. */
    private static void tenantCode(SourceDocument document, String at, String code, List<ConfigError> errors) {
        if (!code.isEmpty() && code.matches("[0-9]{6}") && !TenantCode.isValid(code)) {
            errors.add(document.error(at, "'" + code + "' is not a 団体コード: its check digit should be "
                    + TenantCode.checkDigit(code) + " (" + code.substring(0, 5) + TenantCode.checkDigit(code) + ")"));
        }
    }

    /**
     * Two listeners on one port would share it: the server behind them takes turns, so staff
     * requests could reach the admin API's router or the other way round. Port 0 (any) is exempt.
     */
    private static void distinctPorts(SekishoConfig settings, SourceDocument document, List<ConfigError> errors) {
        java.util.Map<Integer, String> taken = new java.util.LinkedHashMap<>();
        List<String[]> listeners = new ArrayList<>();
        listeners.add(new String[] {"/listen/port", String.valueOf(settings.listen().port())});
        if (settings.listen().redirectHttpPort() != null) {
            listeners.add(new String[] {"/listen/redirectHttpPort", String.valueOf(settings.listen().redirectHttpPort())});
        }
        listeners.add(new String[] {"/management/port", String.valueOf(settings.management().port())});
        if (settings.admin() != null) {
            listeners.add(new String[] {"/admin/listen/port", String.valueOf(settings.admin().listen().port())});
        }
        if (settings.forwardProxy() != null) {
            listeners.add(new String[] {"/forwardProxy/listen/port",
                    String.valueOf(settings.forwardProxy().listen().port())});
        }
        for (String[] listener : listeners) {
            int port = Integer.parseInt(listener[1]);
            String earlier = port == 0 ? null : taken.putIfAbsent(port, listener[0]);
            if (earlier != null) {
                errors.add(document.error(listener[0], "port " + port + " is already "
                        + SourceDocument.displayPath(earlier) + ": each listener needs its own port"));
            }
        }
    }

    static List<ConfigError> check(SekishoConfig settings, SourceDocument document) {
        List<ConfigError> errors = new ArrayList<>();
        distinctPorts(settings, document, errors);
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
            SekishoConfig.Console console = settings.admin().console();
            if (console != null && console.issuer() != null && !ids.contains(console.issuer())) {
                errors.add(document.error("/admin/console/issuer", "no issuer has the id '" + console.issuer() + "'"));
            } else if (console != null && console.issuer() != null && !settings.admin().issuers().isEmpty()
                    && !settings.admin().issuers().contains(console.issuer())) {
                errors.add(document.error("/admin/console/issuer", "'" + console.issuer() + "' is not one of"
                        + " admin.issuers, so its administrators could not use the API"));
            } else if (console != null && ids.isEmpty()) {
                errors.add(document.error("/admin/console", "the console signs administrators in with an issuer:"
                        + " configure issuers"));
            }
        }
        try {
            ZoneId.of(settings.audit().zone());
        } catch (DateTimeException e) {
            errors.add(document.error("/audit/zone", "unknown time zone '" + settings.audit().zone()
                    + "' (for example Asia/Tokyo)"));
        }
        tenantCode(document, "/audit/tenant", settings.audit().tenant(), errors);
        settings.audit().tenantRetentionDays().keySet().forEach(code ->
                tenantCode(document, "/audit/tenantRetentionDays/" + code, code, errors));
        com.fasterxml.jackson.databind.JsonNode apps = document.root().path("apps");
        for (int i = 0; i < apps.size(); i++) {
            tenantCode(document, "/apps/" + i + "/tenant", apps.get(i).path("tenant").asText(""), errors);
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
