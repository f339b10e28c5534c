package jp.sekisho.cli;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sekisho posture quarantine | release | quarantined}: operator holds, through the management API. */
final class QuarantineCommands {

    private QuarantineCommands() {
    }

    /** Where the running proxy's management listener is. */
    static class Target {
        @Option(names = "--management", description = "management URL of the running proxy (default ${DEFAULT-VALUE})")
        String management = "http://127.0.0.1:9090";
    }

    /** Exactly one of a device or a user. */
    static class Subject {
        @Option(names = "--device", required = true, description = "the device id") String device;
        @Option(names = "--user", required = true, description = "the user's username (staff id) or subject") String user;

        String kind() {
            return device != null ? "device" : "user";
        }

        String id() {
            return device != null ? device : user;
        }
    }

    /** The common parts of an action. */
    abstract static class Action implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Option(names = "--reason", required = true, description = "why (kept in the audit trail)")
        String reason;

        @Option(names = "--operator", description = "who is acting (default: the OS user, ${DEFAULT-VALUE})")
        String operator = System.getProperty("user.name");

        @picocli.CommandLine.Mixin
        Target target = new Target();

        abstract String path();

        @Override
        public Integer call() throws Exception {
            String body = new JsonObject().put("kind", subject.kind()).put("id", subject.id()).put("reason", reason)
                    .put("operator", operator).encode();
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(target.management + path()))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            System.out.println(response.body());
            return response.statusCode() == 200 ? 0 : 1;
        }
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true,
            description = "Cut a device or user off now: every next request is refused and open WebSockets close.")
    static final class Hold extends Action {
        @Override
        String path() {
            return "/quarantine";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Lift a quarantine.")
    static final class Release extends Action {
        @Override
        String path() {
            return "/quarantine/release";
        }
    }

    @Command(name = "quarantined", mixinStandardHelpOptions = true, description = "List the devices and users held.")
    static final class List implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(target.management + "/quarantine")));
            System.out.println(response.body());
            return response.statusCode() == 200 ? 0 : 1;
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CliHttp.send(CliHttp.client(null), request);
    }
}
