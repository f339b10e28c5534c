package jp.sekisho.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the admin API answered, and, when it refused, the one line (and the policy errors) a
 * person needs to read: never the raw JSON.
 */
record AdminResponse(int status, String body, HttpHeaders headers) {

    private static final Pattern DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");

    boolean ok() {
        return status >= 200 && status < 300;
    }

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body as JSON; a body that is not JSON means something other than the admin API answered. */
    JsonObject json() {
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new AdminFailure(AdminExit.UNAVAILABLE, "the answer (HTTP " + status + ") is not the admin API's JSON: "
                    + firstLine(body) + " (is --url the admin listener?)");
        }
    }

    /** This answer when it succeeded; otherwise the failure it stands for. */
    AdminResponse orFail() {
        return orFail(null);
    }

    /** @param onConflict what to tell the person on a 412 (someone else changed it), or null for the server's words */
    AdminResponse orFail(String onConflict) {
        if (ok()) {
            return this;
        }
        throw failure(onConflict);
    }

    private AdminFailure failure(String onConflict) {
        JsonObject error = errorBody();
        String reason = error.getString("error", "http-" + status);
        String message = error.getString("message", "");
        int exit = AdminExit.of(status);
        String where = " (" + status + " " + reason + "): ";
        return switch (exit) {
            case AdminExit.REFUSED -> new AdminFailure(exit, "refused" + where + message + signInHint());
            case AdminExit.CONFLICT -> new AdminFailure(exit, "conflict" + where
                    + (status == 412 && onConflict != null ? onConflict : message));
            case AdminExit.INVALID -> new AdminFailure(exit, "invalid" + where + message, errors(error));
            default -> new AdminFailure(exit, "server error" + where + message);
        };
    }

    /** The JSON error, or one made from the text of an answer that is not JSON (a load balancer's page). */
    private JsonObject errorBody() {
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new JsonObject().put("message", firstLine(body));
        }
    }

    /** How to get a token the admin API accepts, from its RFC 6750 / RFC 9470 challenge. */
    private String signInHint() {
        Matcher m = DESCRIPTION.matcher(header("www-authenticate").orElse(""));
        return m.find() ? "; " + m.group(1) : "";
    }

    /** Each policy error as {@code file:line:col: path: message}, the form editors jump to. */
    static List<String> errors(JsonObject body) {
        List<String> lines = new ArrayList<>();
        JsonArray errors = body.getJsonArray("errors", new JsonArray());
        for (int i = 0; i < errors.size(); i++) {
            JsonObject e = errors.getJsonObject(i);
            String path = e.getString("path", "");
            lines.add(e.getString("file", "?") + ":" + e.getInteger("line", 0) + ":" + e.getInteger("column", 0) + ": "
                    + (path.isEmpty() ? "" : path + ": ") + e.getString("message", e.getString("text", "")));
        }
        return lines;
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line.isEmpty() ? "(empty)" : line;
    }
}
