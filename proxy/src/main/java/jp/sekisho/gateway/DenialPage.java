package jp.sekisho.gateway;

import static jp.sekisho.html.HtmlText.escape;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.TreeSet;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.mfa.MfaRequirement;

/**
 * The page a person sees when Sekisho refuses them: what happened in plain words, what to do,
 * the request id for the helpdesk, and the helpdesk contact. Japanese by default, English by
 * {@code Accept-Language}. No internal detail: the reason code is the only technical term.
 */
public final class DenialPage {

    private static final Locale JA = Locale.JAPANESE;
    private static final Locale EN = Locale.ENGLISH;
    private static final Map<Locale, ResourceBundle> BUNDLES = Map.of(JA, bundle(JA), EN, bundle(EN));

    private DenialPage() {
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("jp.sekisho.gateway.denial", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** A browser navigating (not a script): it gets a page, everything else gets JSON. */
    public static boolean wantsHtml(HttpServerRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/html") && request.getHeader("x-requested-with") == null;
    }

    /** Japanese unless the browser prefers English. */
    public static Locale language(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return JA;
        }
        try {
            String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), List.of("ja", "en"));
            return "en".equals(tag) ? EN : JA;
        } catch (IllegalArgumentException e) {
            return JA;
        }
    }

    /** The message key of a reason: token problems a person cannot tell apart share one text. */
    static String messageKey(Reason reason) {
        return switch (reason) {
            case TOKEN_MALFORMED, TOKEN_TOO_LARGE, TOKEN_ALGORITHM_NOT_ALLOWED, TOKEN_TYPE_NOT_ALLOWED,
                 TOKEN_ISSUER_UNKNOWN, TOKEN_KEY_UNKNOWN, TOKEN_SIGNATURE_INVALID, TOKEN_AUDIENCE_MISMATCH,
                 TOKEN_CLAIMS_INVALID, TOKEN_ISSUED_IN_FUTURE -> "token-invalid";
            case DEVICE_TOKEN_INVALID, DEVICE_TOKEN_LIFETIME_TOO_LONG, DEVICE_TOKEN_AUDIENCE_MISMATCH,
                 DEVICE_TOKEN_ISSUER_UNKNOWN -> "device-token-invalid";
            default -> reason.code();
        };
    }

    public static String render(Reason reason, String requestId, Locale language, String helpdesk,
                                Optional<MfaRequirement> requirement) {
        return render(reason, requestId, language, helpdesk, requirement, Optional.empty(), List.of());
    }

    /**
     * @param reauthenticate a same-host link that starts a fresh sign-in, shown as a button
     * @param failedChecks   every unmet device check (starting with {@code reason}), listed when several
     */
    public static String render(Reason reason, String requestId, Locale language, String helpdesk,
                                Optional<MfaRequirement> requirement, Optional<String> reauthenticate,
                                List<Reason> failedChecks) {
        ResourceBundle text = BUNDLES.get(EN.equals(language) ? EN : JA);
        String key = messageKey(reason);
        StringBuilder html = new StringBuilder(2048);
        html.append("<!doctype html>\n<html lang=\"").append(EN.equals(language) ? "en" : "ja").append("\">\n<head>")
                .append("<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(get(text, key + ".title"))).append(" | Sekisho</title>")
                .append("<style>body{font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;")
                .append("line-height:1.7;color:#1a1a1a}h1{font-size:1.4rem}.box{border:1px solid #ccc;")
                .append("border-radius:6px;padding:1rem;margin:1rem 0}dt{font-weight:bold}code{font-size:1rem}")
                .append(".button{display:inline-block;padding:.6rem 1.2rem;background:#0b5394;color:#fff;")
                .append("border-radius:6px;text-decoration:none}</style>")
                .append("</head>\n<body>\n<main>\n<h1>").append(escape(get(text, key + ".title"))).append("</h1>\n<p>")
                .append(escape(get(text, key + ".body"))).append("</p>\n");
        requirement.filter(r -> !r.isNone()).ifPresent(r -> appendRequirement(html, text, r));
        if (failedChecks.size() > 1) {
            html.append("<div class=\"box\"><dl>\n<dt>").append(escape(get(text, "page.failed-checks")))
                    .append("</dt>\n<dd><ul>\n");
            for (Reason other : failedChecks) {
                html.append("<li>").append(escape(get(text, messageKey(other) + ".title"))).append(" (<code>")
                        .append(escape(other.code())).append("</code>)</li>\n");
            }
            html.append("</ul></dd>\n</dl></div>\n");
        }
        html.append("<h2>").append(escape(get(text, "page.what-to-do"))).append("</h2>\n<p>")
                .append(escape(get(text, key + ".action"))).append("</p>\n");
        reauthenticate.ifPresent(link -> html.append("<p><a class=\"button\" href=\"").append(escape(link))
                .append("\">").append(escape(get(text, "page.reauthenticate"))).append("</a></p>\n"));
        html.append("<div class=\"box\"><dl>\n<dt>")
                .append(escape(get(text, "page.request-id"))).append("</dt><dd><code>").append(escape(requestId))
                .append("</code> (").append(escape(reason.code())).append(")</dd>\n<dt>")
                .append(escape(get(text, "page.helpdesk"))).append("</dt><dd>")
                .append(escape(helpdesk == null || helpdesk.isBlank() ? get(text, "page.helpdesk.default") : helpdesk))
                .append("</dd>\n</dl></div>\n</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void appendRequirement(StringBuilder html, ResourceBundle text, MfaRequirement requirement) {
        html.append("<div class=\"box\"><dl>\n");
        if (!requirement.anyOf().isEmpty()) {
            html.append("<dt>").append(escape(get(text, "page.required"))).append("</dt><dd>");
            String separator = "";
            for (String method : new TreeSet<>(requirement.anyOf())) {
                html.append(separator).append(escape(methodName(text, method)));
                separator = " / ";
            }
            html.append("</dd>\n");
        }
        requirement.strictestAge().ifPresent(age -> html.append("<dt>")
                .append(escape(get(text, "page.required-age"))).append("</dt><dd>")
                .append(escape(MessageFormat.format(get(text, "page.minutes"), Math.max(1, age.toMinutes()))))
                .append("</dd>\n"));
        html.append("</dl></div>\n");
    }

    static String methodName(ResourceBundle text, String method) {
        try {
            return text.getString("method." + method);
        } catch (MissingResourceException e) {
            return method;
        }
    }

    private static String get(ResourceBundle text, String key) {
        return text.getString(key);
    }
}
