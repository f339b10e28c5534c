package jp.sekisho.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where the admin listener is and who is calling: the options every {@code sekisho admin}
 * subcommand takes. The token is read from a file or the environment, never from an argument,
 * where {@code ps} would show it to every user of the machine.
 */
@Command(exitCodeListHeading = "%nExit codes:%n", exitCodeList = {AdminExit.HELP_OK, AdminExit.HELP_REFUSED,
        AdminExit.HELP_INVALID, AdminExit.HELP_UNAVAILABLE, AdminExit.HELP_CONFLICT})
final class AdminConnection {

    static final String TOKEN_VARIABLE = "SEKISHO_ADMIN_TOKEN";

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:SEKISHO_ADMIN_URL:-http://127.0.0.1:9443}",
            description = "the admin listener (default: $SEKISHO_ADMIN_URL, else http://127.0.0.1:9443)")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "a file holding the administrator's bearer token (default: the token in $" + TOKEN_VARIABLE
                    + "). There is no option for the token itself: ps would show it.")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "the CA certificate (PEM) of an HTTPS admin listener whose certificate a private CA signed")
    Path caFile;

    /** A client for the admin API, after checking what can be checked here. */
    AdminClient connect(PrintWriter err) {
        URI base = base();
        String token = token();
        if ("http".equals(base.getScheme()) && !List.of("127.0.0.1", "localhost", "[::1]").contains(base.getHost())) {
            err.println("warning: " + base + " is plain HTTP: the token crosses the network unencrypted; use https");
        }
        try {
            return new AdminClient(base, token, CliHttp.client(caFile));
        } catch (IOException e) {
            throw new AdminFailure(AdminExit.INVALID, "--cacert " + caFile + ": " + e.getMessage());
        }
    }

    private URI base() {
        try {
            URI uri = URI.create(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new AdminFailure(AdminExit.INVALID, "--url " + url + " is not an http:// or https:// URL");
    }

    private String token() {
        String token;
        String from;
        if (tokenFile != null) {
            from = "the token file " + tokenFile;
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                throw new AdminFailure(AdminExit.INVALID, "cannot read " + from + ": there is no such file");
            } catch (AccessDeniedException e) {
                throw new AdminFailure(AdminExit.INVALID, "cannot read " + from + ": permission denied");
            } catch (IOException e) {
                throw new AdminFailure(AdminExit.INVALID, "cannot read " + from + ": " + e.getMessage());
            }
        } else {
            from = "$" + TOKEN_VARIABLE;
            token = System.getenv(TOKEN_VARIABLE);
            if (token == null || token.isBlank()) {
                throw new AdminFailure(AdminExit.INVALID, "no token: pass --token-file FILE or set " + TOKEN_VARIABLE
                        + " (a token is never taken as an argument, where ps would show it)");
            }
            token = token.strip();
        }
        if (token.isEmpty()) {
            throw new AdminFailure(AdminExit.INVALID, from + " is empty; it should hold the bearer token");
        }
        if (token.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new AdminFailure(AdminExit.INVALID, from + " should hold the bearer token alone, on one line");
        }
        return token;
    }
}
