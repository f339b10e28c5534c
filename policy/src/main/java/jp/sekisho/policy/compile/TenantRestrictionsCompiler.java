package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.TenantRestrictions;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Reads {@code breakout.tenantRestrictions}: the login hosts the forward proxy opens, and the
 * headers it adds there. The headers go onto the wire as written, so a name must be an HTTP
 * token and a value must hold no line break or control character (which would split the request).
 */
final class TenantRestrictionsCompiler {

    private TenantRestrictionsCompiler() {
    }

    static TenantRestrictions compile(SourceDocument document, JsonNode node, String at, List<ConfigError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return TenantRestrictions.NONE;
        }
        int before = errors.size();
        Set<String> hosts = new LinkedHashSet<>();
        JsonNode list = node.path("hosts");
        for (int i = 0; i < list.size(); i++) {
            String host = list.get(i).asText();
            Optional<Destination> name = Destination.of(host, 443).filter(d -> !d.ipLiteral());
            if (name.isEmpty()) {
                errors.add(document.error(at + "/hosts/" + i, "'" + host + "' is not a host name: list login hosts"
                        + " such as login.microsoftonline.com"));
            } else {
                hosts.add(name.get().host());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>(); // lower-case name -> as written
        Iterator<Map.Entry<String, JsonNode>> fields = node.path("headers").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String value = field.getValue().asText();
            String pointer = at + "/headers/" + name.replace("~", "~0").replace("/", "~1");
            if (!isToken(name)) {
                errors.add(document.error(pointer, "'" + name + "' is not a header name: use letters, digits and"
                        + " '-' (such as Restrict-Access-To-Tenants)"));
            }
            String earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null) {
                errors.add(document.error(pointer, "header '" + name + "' is already given as '" + earlier
                        + "' (header names ignore case): keep one"));
            }
            if (!isFieldValue(value)) {
                errors.add(document.error(pointer, "the value of '" + name + "' holds a line break or control"
                        + " character: write it on one line"));
            }
            headers.put(name, value);
        }
        if (!hosts.isEmpty() && headers.isEmpty()) {
            errors.add(document.error(at, "hosts are listed but no headers: add the headers to insert"
                    + " (Restrict-Access-To-Tenants and Restrict-Access-Context) or remove tenantRestrictions"));
        }
        if (hosts.isEmpty() && !headers.isEmpty()) {
            errors.add(document.error(at, "headers are given but no hosts: list the login hosts to add them on"
                    + " (such as login.microsoftonline.com)"));
        }
        return errors.size() > before ? TenantRestrictions.NONE : new TenantRestrictions(hosts, headers);
    }

    /** An RFC 9110 token: one or more tchar. */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** No CR, LF, other control characters (C0, DEL, C1) or Unicode line separators; a tab is allowed. */
    static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029) {
                return false;
            }
        }
        return true;
    }
}
