package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.PostgresSink;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.device.QuarantineActions;
import jp.sekisho.identity.BearerAuthenticator;
import jp.sekisho.identity.IssuerKeys;
import jp.sekisho.identity.TokenVerifier;
import jp.sekisho.identity.TrustedIssuer;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.session.Revocations;

/** The admin listener: its own socket, its own token rules, the admin API behind them. */
public final class AdminServer {

    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());
    private static final int MAX_CACHED_TOKENS = 10_000;

    private AdminServer() {
    }

    /**
     * Starts listening.
     *
     * @param keysById   the issuers' key sets, shared with the staff listener
     * @param auditTrail this replica's audit directory, for the audit query API
     * @param tls      makes the listener HTTPS, or does nothing
     */
    public static Future<HttpServer> start(Vertx vertx, SekishoConfig settings, Map<String, IssuerKeys> keysById,
                                           Clock clock, ProxyMetrics metrics, AccessLog audit, PolicyReloader policy,
                                           QuarantineActions quarantine, Revocations revocations, Path auditTrail,
                                           Path configFile, Consumer<HttpServerOptions> tls) throws IOException {
        SekishoConfig.Admin admin = settings.admin();
        AdminAuthenticator authenticator = new AdminAuthenticator(new BearerAuthenticator(vertx,
                verifier(settings, keysById), keysById, clock, metrics, MAX_CACHED_TOKENS), admin, clock);
        AdminApi api = new AdminApi(vertx, authenticator, audit, metrics, clock);
        Duration sessionLifetime = Duration.ofSeconds(settings.browserLogin() == null ? 8 * 3600
                : settings.browserLogin().sessionLifetimeSeconds());
        ChangeApproval approval = new ChangeApproval(admin.twoPersonRule(), metrics, clock);
        PolicyChanges changes = new PolicyChanges(policy, metrics, approval, api, new ParsedVersions(vertx));
        List<Endpoints> groups = new java.util.ArrayList<>(List.of(new AppEndpoints(policy, changes),
                new DocumentEndpoints(policy, changes),
                approval, new OperatorEndpoints(quarantine, revocations, clock, sessionLifetime),
                new AuditEndpoints(auditQuery(vertx, settings, configFile, auditTrail), policy),
                new SimulateEndpoint(policy, clock),
                new ReplayEndpoints(vertx, policy, changes, auditTrail, ZoneId.of(settings.audit().zone()))));
        groups.add(new HealthEndpoint(policy, keysById, replicaName()));
        if (admin.console() != null) {
            groups.add(new ConsoleEndpoints(vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true)
                    .setForceSni(true).setConnectTimeout(5_000)), admin.console(), consoleIssuer(settings)));
        }
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setMaxHeaderSize(32 * 1024).setIdleTimeout(120);
        tls.accept(options);
        SekishoConfig.Listener listen = admin.listen();
        if (listen.tls() == null && !isLoopback(listen.host())) {
            LOG.warning("the admin listener " + listen.host() + ":" + listen.port() + " has no TLS: administrators'"
                    + " tokens cross the network in clear. Configure admin.listen.tls.");
        }
        return vertx.createHttpServer(options).requestHandler(api.router(groups))
                .listen(listen.port(), listen.host());
    }

    /** This replica's name in health answers: the host name (in Kubernetes, the pod's). */
    private static String replicaName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    /** The issuer administrators sign in to the console with: as configured, or the first admin issuer. */
    static String consoleIssuer(SekishoConfig settings) {
        SekishoConfig.Admin admin = settings.admin();
        String id = admin.console().issuer() != null ? admin.console().issuer()
                : !admin.issuers().isEmpty() ? admin.issuers().get(0) : settings.issuers().get(0).id();
        return settings.issuers().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().issuer();
    }

    /** The PostgreSQL sink's table when there is one (every replica's records), else this replica's trail. */
    private static AuditQuery auditQuery(Vertx vertx, SekishoConfig settings, Path configFile, Path trail)
            throws IOException {
        SekishoConfig.Postgresql sink = settings.audit().sinks().postgresql();
        if (sink == null) {
            return new TrailAuditQuery(vertx, trail);
        }
        return new PostgresAuditQuery(vertx, PostgresSink.connectOptions(sink.url(), sink.passwordFile() == null ? null
                : SekishoConfig.resolve(configFile, sink.passwordFile()), "sekisho-audit-query"));
    }

    /** The configured issuers, each accepting the admin audiences only and keeping the roles and tenant claims. */
    private static TokenVerifier verifier(SekishoConfig settings, Map<String, IssuerKeys> keysById) {
        SekishoConfig.Admin admin = settings.admin();
        Map<String, TrustedIssuer> trusted = new LinkedHashMap<>();
        for (SekishoConfig.Issuer issuer : settings.issuers()) {
            if (!admin.issuers().isEmpty() && !admin.issuers().contains(issuer.id())) {
                continue;
            }
            TrustedIssuer staff = TrustedIssuer.of(issuer, keysById.get(issuer.id())::current);
            Set<String> keep = new HashSet<>(staff.keepClaims());
            keep.add(admin.rolesClaim());
            keep.add(admin.tenantClaim());
            trusted.put(issuer.issuer(), new TrustedIssuer(staff.id(), staff.issuer(), Set.copyOf(admin.audiences()),
                    staff.algorithms(), staff.types(), staff.clockSkew(), staff.userClaim(), staff.groupsClaim(),
                    staff.methods(), staff.keys(), keep));
        }
        return new TokenVerifier(trusted);
    }

    private static boolean isLoopback(String host) {
        return List.of("127.0.0.1", "::1", "localhost").contains(host);
    }
}
