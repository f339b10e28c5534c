package jp.sekisho.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import jp.sekisho.policy.App;
import jp.sekisho.policy.PolicyEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import jp.sekisho.assertion.AssertionKey;
import jp.sekisho.breakout.DestinationResolver;
import jp.sekisho.breakout.ForwardProxyHandler;
import jp.sekisho.breakout.ForwardProxyServer;
import jp.sekisho.breakout.Interception;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor;
import jp.sekisho.assertion.AssertionSigner;
import jp.sekisho.audit.AuditKey;
import jp.sekisho.audit.AuditLog;
import jp.sekisho.audit.ChainedSegments;
import jp.sekisho.audit.PostgresSink;
import jp.sekisho.audit.SyslogReceiver;
import jp.sekisho.audit.SyslogSink;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.admin.AdminServer;
import jp.sekisho.store.PolicyStore;
import jp.sekisho.store.PolicyStores;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.device.DeviceCertificates;
import jp.sekisho.device.DeviceEvidence;
import jp.sekisho.device.OpenTunnels;
import jp.sekisho.device.PostureKeys;
import jp.sekisho.device.PostureTokenVerifier;
import jp.sekisho.device.Quarantine;
import jp.sekisho.device.QuarantineActions;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.gateway.ConnectionGuard;
import jp.sekisho.gateway.HttpsRedirect;
import jp.sekisho.gateway.ForwardedHeaders;
import jp.sekisho.gateway.GatewayHandler;
import jp.sekisho.gateway.GatewayStages;
import jp.sekisho.gateway.HeaderHygiene;
import jp.sekisho.gateway.Refusals;
import jp.sekisho.gateway.RequestIds;
import jp.sekisho.gateway.Upstreams;
import jp.sekisho.identity.BearerAuthenticator;
import jp.sekisho.identity.IssuerKeys;
import jp.sekisho.identity.TokenVerifier;
import jp.sekisho.identity.TrustedIssuer;
import jp.sekisho.management.ManagementServer;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.session.BrowserLogin;
import jp.sekisho.session.BrowserSessions;
import jp.sekisho.session.Revocations;
import jp.sekisho.session.SessionKeys;
import jp.sekisho.tls.CertificateExpiry;
import jp.sekisho.tls.CertificateReloader;
import jp.sekisho.tls.LoadedCertificate;
import jp.sekisho.tls.UpstreamTrust;
import jp.sekisho.tls.ListenerTls;

/**
 * Assembles one running Sekisho from a checked configuration: the staff listener with its
 * pipeline, the management listener, issuer keys, the audit writer and the policy reloader.
 */
public final class SekishoServer {

    private static final Logger LOG = Logger.getLogger(SekishoServer.class.getName());
    private static final int MAX_CACHED_TOKENS = 200_000;

    private final Vertx vertx;
    private final ProxyMetrics metrics;
    private final PolicyReloader reloader;
    private final List<IssuerKeys> issuerKeys;
    private final AuditLog audit;
    private final SyslogSink syslog; // null when no syslog sink is configured
    private final PostgresSink postgresql; // null when no PostgreSQL sink is configured
    private final Upstreams upstreams;
    private final HttpClient idpClient;
    private final List<HttpServer> gatewayServers;
    private final List<HttpServer> redirectServers;
    private final HttpServer managementServer;
    private final Future<Void> issuersLoaded;
    private final DeviceEvidence devices;
    private final CertificateReloader certificates;
    private final ConnectionGuard guard;
    private final HttpServer adminServer; // null when the admin API is off
    private final PolicyStore store;
    private final ForwardProxyServer forwardProxy; // null when local breakout is off
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SekishoServer(Vertx vertx, ProxyMetrics metrics, PolicyReloader reloader, List<IssuerKeys> issuerKeys,
                          AuditLog audit, SyslogSink syslog, PostgresSink postgresql, Upstreams upstreams, HttpClient idpClient, List<HttpServer> gatewayServers,
                          List<HttpServer> redirectServers, HttpServer managementServer, Future<Void> issuersLoaded,
                          DeviceEvidence devices, CertificateReloader certificates, ConnectionGuard guard,
                          HttpServer adminServer, PolicyStore store, ForwardProxyServer forwardProxy) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.reloader = reloader;
        this.issuerKeys = issuerKeys;
        this.audit = audit;
        this.syslog = syslog;
        this.postgresql = postgresql;
        this.upstreams = upstreams;
        this.idpClient = idpClient;
        this.gatewayServers = gatewayServers;
        this.redirectServers = redirectServers;
        this.managementServer = managementServer;
        this.issuersLoaded = issuersLoaded;
        this.devices = devices;
        this.certificates = certificates;
        this.guard = guard;
        this.adminServer = adminServer;
        this.store = store;
        this.forwardProxy = forwardProxy;
    }

    /**
     * Starts everything. Blocking (reads keys, opens files): call from a plain thread, such as
     * main or a test.
     *
     * @param gatewayInstances how many event loops accept staff connections (1 when port is 0)
     */
    public static SekishoServer start(Vertx vertx, LoadedConfig config, Clock clock, int gatewayInstances)
            throws IOException, JOSEException {
        return start(vertx, new ProxyMetrics(), config, clock, gatewayInstances, UnaryOperator.identity());
    }

    /** Starts everything, reporting into {@code metrics} (whose {@link ProxyMetrics#createVertx()} made {@code vertx}). */
    public static SekishoServer start(Vertx vertx, ProxyMetrics metrics, LoadedConfig config, Clock clock,
                                      int gatewayInstances) throws IOException, JOSEException {
        return start(vertx, metrics, config, clock, gatewayInstances, UnaryOperator.identity());
    }

    /**
     * Starts everything, with the request stages passed through {@code stages} first: the seam
     * where tests put a failing stage to prove the gateway fails closed.
     */
    public static SekishoServer start(Vertx vertx, ProxyMetrics metrics, LoadedConfig config, Clock clock,
                                      int gatewayInstances, UnaryOperator<GatewayStages> stages)
            throws IOException, JOSEException {
        return start(vertx, metrics, config, clock, gatewayInstances, stages, null);
    }

    /**
     * Starts everything, the forward proxy resolving destinations with {@code resolver} (null: the
     * system's): the seam where tests make allowlisted names point at local servers.
     */
    public static SekishoServer start(Vertx vertx, ProxyMetrics metrics, LoadedConfig config, Clock clock,
                                      int gatewayInstances, UnaryOperator<GatewayStages> stages,
                                      DestinationResolver resolver) throws IOException, JOSEException {
        SekishoConfig settings = config.settings();
        Path dataDir = settings.dataPath(config.file());

        ECKey assertionKey = AssertionKey.loadOrCreate(dataDir.resolve("keys"));
        String jwks = AssertionKey.publicJwks(assertionKey);
        AuditLog audit = auditLog(settings.audit(), dataDir, clock, metrics);
        SyslogSink syslog = syslogSink(settings.audit(), config, dataDir, audit, metrics);
        PostgresSink postgresql = postgresqlSink(vertx, settings.audit(), config, dataDir, audit, metrics);

        HttpClient idpClient = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true).setForceSni(true)
                .setConnectTimeout(5_000));
        List<IssuerKeys> issuerKeys = new ArrayList<>();
        Map<String, IssuerKeys> keysById = new HashMap<>();
        Map<String, TrustedIssuer> trusted = new LinkedHashMap<>();
        Map<String, String> issuerIds = new HashMap<>();
        for (SekishoConfig.Issuer issuer : settings.issuers()) {
            IssuerKeys keys = new IssuerKeys(vertx, idpClient, issuer, clock, metrics);
            issuerKeys.add(keys);
            keysById.put(issuer.id(), keys);
            trusted.put(issuer.issuer(), TrustedIssuer.of(issuer, keys::current));
            issuerIds.put(issuer.issuer(), issuer.id());
        }
        metrics.issuers(issuerIds);
        BearerAuthenticator authenticator = new BearerAuthenticator(vertx, new TokenVerifier(trusted), keysById,
                clock, metrics, MAX_CACHED_TOKENS);
        AssertionSigner signer = new AssertionSigner(vertx, assertionKey, settings.assertion(), clock, metrics);
        Upstreams upstreams = upstreams(vertx, config, metrics);
        PolicyStore store = PolicyStores.open(vertx, settings.policyStore(), config.file(), dataDir, clock).await();
        PolicyReloader reloader = PolicyReloader.start(vertx, new ConfigLoader(false), config, clock, metrics, audit,
                store).await();
        PolicyReloader.warnLoosenedApps(config.policy());
        metrics.upstreamInsecure(() -> reloader.get().apps().stream()
                .filter(app -> app.insecureUpstreamTls() && app.upstream().getScheme().equalsIgnoreCase("https")).count());

        Revocations revocations = new Revocations(store);
        revocations.follow().await();
        BrowserLogin login = settings.browserLogin() == null ? null
                : browserLogin(vertx, settings, idpClient, keysById, dataDir, clock, revocations);
        Quarantine quarantine = new Quarantine();
        OpenTunnels tunnels = new OpenTunnels(quarantine);
        metrics.gauge("sekisho_websockets_open", "WebSocket connections open through the proxy", tunnels::size);
        QuarantineActions quarantineActions = new QuarantineActions(store, quarantine, tunnels, audit, metrics, clock);
        quarantineActions.follow().await();
        DeviceEvidence devices = deviceEvidence(vertx, config, clock, metrics);
        devices.watchKeys(Duration.ofSeconds(30));
        ConnectionGuard guard = new ConnectionGuard(vertx, settings.listen().limits(), metrics);
        GatewayStages production = new GatewayStages(authenticator::authenticate, devices::of, PolicyEngine::decide,
                signer::assertionFor, upstreams::open);
        List<String> neverForwarded = new ArrayList<>(settings.identityHeaders());
        neverForwarded.add(devices.header()); // the device's evidence was for Sekisho, not the app
        GatewayHandler gateway = new GatewayHandler(reloader, stages.apply(production),
                new HeaderHygiene(settings.assertion().header(), neverForwarded),
                new ForwardedHeaders(CidrSet.of(settings.trustedProxies())), new RequestIds(),
                new Refusals(settings.helpdesk()), audit, metrics, clock,
                settings.assertion().header(), jwks, login, quarantine, tunnels, hsts(settings.listen()), guard);

        int instances = settings.listen().port() == 0 ? 1 : Math.max(1, gatewayInstances);
        HttpServerOptions serverOptions = new HttpServerOptions()
                // No cleartext HTTP/2 upgrade: "Upgrade: h2c" through a proxy is a known way to
                // smuggle requests past it, and this pipeline is proven for HTTP/1.1 only.
                .setHttp2ClearTextEnabled(false)
                .setTcpNoDelay(true)
                // Every response is written on its connection's event loop (the stages answer
                // there), so Vert.x may write straight to the channel instead of queueing.
                .setStrictThreadMode(true)
                .setIdleTimeout(settings.listen().limits().idleTimeoutSeconds())
                .setMaxHeaderSize(settings.listen().limits().maxHeaderSectionBytes())
                .setMaxInitialLineLength(settings.listen().limits().maxRequestLineBytes());
        CertificateReloader certificates = new CertificateReloader(vertx, metrics, clock);
        SekishoConfig.Listener listen = settings.listen();
        if (listen.tls() != null) {
            ListenerTls staffTls = new ListenerTls(listen.tls(), settings.devicePosture().certificates(), config.file());
            staffTls.applyTo(serverOptions, certificates.register(STAFF, staffTls));
        }
        List<HttpServer> gatewayServers = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            gatewayServers.add(vertx.createHttpServer(serverOptions).requestHandler(gateway)
                    .connectionHandler(guard.onConnection()).invalidRequestHandler(guard.onInvalidRequest())
                    .listen(listen.port(), listen.host()).await());
        }
        List<HttpServer> redirectServers = new ArrayList<>();
        if (listen.tls() != null && listen.redirectHttpPort() != null) {
            redirectServers.add(vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
                            .setIdleTimeout(10).setMaxHeaderSize(16 * 1024).setMaxInitialLineLength(8 * 1024))
                    .requestHandler(new HttpsRedirect(reloader, gatewayServers.get(0).actualPort(), metrics))
                    .listen(listen.redirectHttpPort(), listen.host()).await());
        }
        SekishoConfig.Listener manage = settings.management();
        ListenerTls managementTls = manage.tls() == null ? null
                : new ListenerTls(manage.tls().withoutHttp2(), null, config.file());
        ServerSSLOptions managementSsl = managementTls == null ? null
                : certificates.register(MANAGEMENT, managementTls);
        HttpServer management = new ManagementServer(vertx, metrics, reloader, issuerKeys, jwks,
                login == null ? null : login.sessions().revocations(), clock, quarantineActions, certificates::status, guard::draining)
                .listen(manage.host(), manage.port(), options -> {
                    if (managementTls != null) {
                        managementTls.applyTo(options, managementSsl);
                    }
                }).await();
        HttpServer adminServer = null;
        if (settings.admin() != null) {
            SekishoConfig.Listener adminListen = settings.admin().listen();
            ListenerTls adminTls = adminListen.tls() == null ? null
                    : new ListenerTls(adminListen.tls().withoutHttp2(), null, config.file());
            ServerSSLOptions adminSsl = adminTls == null ? null : certificates.register(ADMIN, adminTls);
            adminServer = AdminServer.start(vertx, settings, keysById, clock, metrics, audit, reloader,
                    quarantineActions, revocations, dataDir.resolve(settings.audit().directory()), config.file(),
                    options -> {
                        if (adminTls != null) {
                            adminTls.applyTo(options, adminSsl);
                        }
                    }).await();
            if (adminSsl != null) {
                certificates.attach(ADMIN, List.of(adminServer));
            }
        }
        if (listen.tls() != null) {
            certificates.attach(STAFF, gatewayServers);
        }
        if (managementSsl != null) {
            certificates.attach(MANAGEMENT, List.of(management));
        }
        ForwardProxyServer forwardProxy = null;
        if (settings.forwardProxy() != null) {
            SekishoConfig.ForwardProxy breakout = settings.forwardProxy();
            HttpServerOptions forwardOptions = ForwardProxyServer.serverOptions(breakout);
            ListenerTls forwardTls = breakout.listen().tls() == null ? null : new ListenerTls(
                    breakout.listen().tls().withoutHttp2(), settings.devicePosture().certificates(), config.file());
            if (forwardTls != null) {
                forwardTls.applyTo(forwardOptions, certificates.register(FORWARD_PROXY, forwardTls));
            }
            TenantRestrictionInterceptor interceptor = breakout.interceptionCa() == null ? null
                    : Interception.start(vertx, breakout, config.file(), settings.upstreams().tls().trustedCaFiles()
                    .stream().map(f -> SekishoConfig.resolve(config.file(), f)).toList(), clock, metrics);
            forwardProxy = ForwardProxyServer.start(vertx, breakout, forwardOptions, new ForwardProxyServer.Parts(
                    reloader, new ForwardProxyHandler.Checks(authenticator::authenticate, devices::of, devices.header(),
                    quarantine, tunnels, settings.helpdesk()), audit, metrics, clock,
                    resolver != null ? resolver : DestinationResolver.system(vertx),
                    Optional.ofNullable(interceptor).map(i -> Interception.adapter(i, metrics)))).await();
            if (interceptor != null) {
                forwardProxy.onClose(interceptor::close);
            }
            if (forwardTls != null) {
                certificates.attach(FORWARD_PROXY, List.of(forwardProxy.server()));
            }
        }
        certificates.start(settings.reloadCheckSeconds());

        List<Future<?>> loading = new ArrayList<>();
        issuerKeys.forEach(keys -> loading.add(keys.start()));
        reloader.start(settings.reloadCheckSeconds());
        LOG.info("Sekisho is listening on " + settings.listen().host() + ":" + gatewayServers.get(0).actualPort()
                + " (management " + settings.management().host() + ":" + management.actualPort() + ", policy "
                + config.policy().version() + ", " + config.policy().apps().size() + " apps, "
                + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + " transport)");
        return new SekishoServer(vertx, metrics, reloader, issuerKeys, audit, syslog, postgresql, upstreams, idpClient, gatewayServers,
                redirectServers, management, Future.all(loading).<Void>mapEmpty(), devices, certificates, guard,
                adminServer, store, forwardProxy);
    }

    private static Map<String, Duration> tenantRetention(SekishoConfig.Audit settings) {
        Map<String, Duration> retention = new HashMap<>();
        settings.tenantRetentionDays().forEach((tenant, days) -> retention.put(tenant, Duration.ofDays(days)));
        return retention;
    }

    /** The audit trail, recovered if the last run stopped mid-record. Blocking. */
    private static AuditLog auditLog(SekishoConfig.Audit settings, Path dataDir, Clock clock, ProxyMetrics metrics)
            throws IOException {
        AuditKey key = AuditKey.loadOrCreate(dataDir.resolve("keys"));
        return new AuditLog(dataDir.resolve(settings.directory()), key, new AuditLog.Settings(
                AuditLog.Mode.valueOf(settings.mode().toUpperCase(java.util.Locale.ROOT)), settings.queueCapacity(),
                ZoneId.of(settings.zone()), new ChainedSegments.Limits(settings.segmentMaxBytes(),
                        Duration.ofSeconds(settings.segmentMaxSeconds()), Duration.ofSeconds(settings.checkpointSeconds()),
                        Duration.ofDays(settings.retentionDays()), tenantRetention(settings)),
                settings.queryString().equals("names"),
                settings.tenant()),
                clock, metrics);
    }

    /** The live syslog copy of the audit trail, started; null when not configured. Blocking. */
    private static SyslogSink syslogSink(SekishoConfig.Audit settings, LoadedConfig config, Path dataDir, AuditLog audit,
                                         ProxyMetrics metrics) throws IOException {
        SekishoConfig.Syslog syslog = settings.sinks().syslog();
        if (syslog == null) {
            return null;
        }
        SyslogReceiver receiver = new SyslogReceiver(syslog.host(), syslog.port(), !syslog.tls().enabled() ? null
                : SyslogReceiver.trusting(syslog.tls().caFile() == null ? null
                        : SekishoConfig.resolve(config.file(), syslog.tls().caFile())));
        String hostname = syslog.hostname() != null ? syslog.hostname() : localHostName();
        return new SyslogSink(dataDir.resolve(settings.directory()), audit::writtenSeq, new SyslogSink.Settings(receiver,
                SyslogSink.facility(syslog.facility()), hostname, !"now".equals(syslog.startAt())),
                metrics.syslogSink()).start();
    }

    /** The live PostgreSQL copy of the audit trail, started; null when not configured. Blocking. */
    private static PostgresSink postgresqlSink(Vertx vertx, SekishoConfig.Audit settings, LoadedConfig config,
                                               Path dataDir, AuditLog audit, ProxyMetrics metrics) throws IOException {
        SekishoConfig.Postgresql postgresql = settings.sinks().postgresql();
        if (postgresql == null) {
            return null;
        }
        String instance = postgresql.instance() != null ? postgresql.instance() : localHostName();
        return new PostgresSink(vertx, dataDir.resolve(settings.directory()), audit::writtenSeq,
                new PostgresSink.Settings(PostgresSink.connectOptions(postgresql.url(), postgresql.passwordFile() == null
                        ? null : SekishoConfig.resolve(config.file(), postgresql.passwordFile())),
                        instance, !"now".equals(postgresql.startAt())),
                metrics.postgresqlSink()).start();
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    /** Upstream connections: verified against the system trust store plus the administrator's CAs. */
    private static Upstreams upstreams(Vertx vertx, LoadedConfig config, ProxyMetrics metrics) throws IOException {
        SekishoConfig.UpstreamTls tls = config.settings().upstreams().tls();
        List<Path> caFiles = tls.trustedCaFiles().stream().map(f -> SekishoConfig.resolve(config.file(), f)).toList();
        CertificateExpiry.register(metrics, "upstream-ca", caFiles);
        PemKeyCertOptions clientKeyCert = null;
        if (tls.clientCertificate() != null) {
            LoadedCertificate client = LoadedCertificate.load(
                    SekishoConfig.resolve(config.file(), tls.clientCertificate().certificateFile()),
                    SekishoConfig.resolve(config.file(), tls.clientCertificate().keyFile()));
            metrics.certificateExpiry("upstream-client", "0", () -> client.notAfter().getEpochSecond());
            clientKeyCert = new PemKeyCertOptions().addCertValue(client.chainPem()).addKeyValue(client.keyPem());
        }
        return new Upstreams(vertx, config.settings().upstreams(), UpstreamTrust.of(caFiles), clientKeyCert);
    }

    private static final String STAFF = "staff";
    private static final String MANAGEMENT = "management";
    private static final String ADMIN = "admin";
    private static final String FORWARD_PROXY = "forward-proxy";

    /** The HSTS value for the staff listener: only over HTTPS, and not when turned off. */
    private static String hsts(SekishoConfig.Listener listen) {
        return listen.tls() == null || listen.tls().hsts().maxAgeSeconds() == 0 ? null : listen.tls().hsts().header();
    }

    private static DeviceEvidence deviceEvidence(Vertx vertx, LoadedConfig config, Clock clock, ProxyMetrics metrics)
            throws IOException {
        SekishoConfig.DevicePosture settings = config.settings().devicePosture();
        Map<String, PostureTokenVerifier.TrustedPostureIssuer> trusted = new HashMap<>();
        Map<String, PostureKeys> keysById = new HashMap<>();
        for (SekishoConfig.PostureIssuer issuer : settings.issuers()) {
            PostureKeys keys = PostureKeys.load(issuer.id(), SekishoConfig.resolve(config.file(), issuer.jwksFile()),
                    clock);
            keysById.put(issuer.id(), keys);
            trusted.put(issuer.issuer(), new PostureTokenVerifier.TrustedPostureIssuer(issuer.id(), issuer.issuer(),
                    keys));
        }
        PostureTokenVerifier verifier = new PostureTokenVerifier(trusted, Set.copyOf(settings.audiences()),
                Duration.ofSeconds(settings.maxLifetimeSeconds()), Duration.ofSeconds(settings.clockSkewSeconds()));
        SekishoConfig.ClientCertificates certificates = settings.certificates();
        if (certificates != null) {
            CertificateExpiry.register(metrics, "device-ca", certificates.trustAnchors().stream()
                    .map(f -> SekishoConfig.resolve(config.file(), f)).toList());
        }
        DeviceCertificates deviceCertificates = certificates == null ? null : new DeviceCertificates(
                DeviceCertificates.IdSource.parse(certificates.deviceId()), certificates.sanUriPrefix());
        return new DeviceEvidence(vertx, verifier, keysById, deviceCertificates, settings.header(), clock, metrics,
                MAX_CACHED_TOKENS);
    }

    private static BrowserLogin browserLogin(Vertx vertx, SekishoConfig settings, HttpClient idpClient,
                                             Map<String, IssuerKeys> keysById, Path dataDir, Clock clock,
                                             Revocations revocations) throws IOException {
        SekishoConfig.BrowserLogin config = settings.browserLogin();
        SekishoConfig.Issuer issuerConfig = settings.issuers().stream()
                .filter(i -> i.id().equals(config.issuer())).findFirst().orElseThrow();
        IssuerKeys keys = keysById.get(config.issuer());
        // ID tokens are checked like access tokens, but for our client id: an ID token is
        // never accepted as a bearer token, nor an access token as an ID token.
        TrustedIssuer forIdTokens = new TrustedIssuer(issuerConfig.id(), issuerConfig.issuer(),
                java.util.Set.of(config.clientId()), TrustedIssuer.of(issuerConfig, keys::current).algorithms(),
                java.util.Set.of("jwt"), Duration.ofSeconds(issuerConfig.clockSkewSeconds()),
                issuerConfig.userClaim(), issuerConfig.groupsClaim(), issuerConfig.mfa().mapping(), keys::current,
                java.util.Set.copyOf(issuerConfig.keepClaims()));
        if (config.insecureCookies()) {
            LOG.warning("browserLogin.insecureCookies is on: session cookies travel without Secure."
                    + " Use it only for a plain-HTTP demo on loopback.");
        }
        BrowserSessions sessions = new BrowserSessions(
                SessionKeys.loadOrCreate(dataDir.resolve("keys"), Duration.ofDays(config.keyRotationDays()), clock),
                revocations, clock, Duration.ofSeconds(config.sessionLifetimeSeconds()),
                Duration.ofSeconds(config.idleTimeoutSeconds()), !config.insecureCookies());
        return new BrowserLogin(vertx, idpClient, config, keys,
                new TokenVerifier(Map.of(issuerConfig.issuer(), forIdTokens)), sessions, clock);
    }

    public int gatewayPort() {
        return gatewayServers.get(0).actualPort();
    }

    /** The plain-HTTP redirect port, when there is one. */
    public int redirectPort() {
        return redirectServers.get(0).actualPort();
    }

    /** Checks the listeners' certificate files now (SIGHUP does this too). */
    public Future<Void> reloadCertificates() {
        return certificates.checkNow();
    }

    public int managementPort() {
        return managementServer.actualPort();
    }

    /** The forward proxy's port; fails when local breakout is off. */
    public int forwardProxyPort() {
        if (forwardProxy == null) {
            throw new IllegalStateException("the forward proxy is off (no forwardProxy section)");
        }
        return forwardProxy.port();
    }

    /** The admin listener's port; fails when the admin API is off. */
    public int adminPort() {
        if (adminServer == null) {
            throw new IllegalStateException("the admin API is off (no admin section)");
        }
        return adminServer.actualPort();
    }

    public PolicyReloader policy() {
        return reloader;
    }

    /** Completes when every issuer's first key fetch succeeded; fails when one failed. */
    public Future<Void> issuersLoaded() {
        return issuersLoaded;
    }

    /** Stops accepting, then flushes the audit log. Blocking. */
    public void stop() {
        stop(Duration.ZERO, Duration.ZERO);
    }

    /**
     * Stops gracefully, as on SIGTERM: readiness fails and HTTP/1.x responses say
     * {@code Connection: close} for {@code delay} while the listeners still accept; then they
     * stop accepting, and requests and WebSockets under way get {@code drain} to finish (HTTP/2
     * clients get GOAWAY); then the audit log is flushed. Blocking; runs once.
     */
    public void stop(Duration delay, Duration drain) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        guard.startDraining();
        boolean interrupted = false;
        if (!delay.isZero()) {
            LOG.info("stopping: readiness fails now; still serving for " + delay.toSeconds() + " s");
            try {
                Thread.sleep(delay.toMillis()); // the load balancer's time to notice, not a test's wait
            } catch (InterruptedException e) {
                interrupted = true; // cut the delay short, but still drain and close (they await)
            }
        }
        long start = System.nanoTime();
        List<Future<Void>> closing = new ArrayList<>();
        gatewayServers.forEach(s -> closing.add(s.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS)));
        redirectServers.forEach(s -> closing.add(s.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS)));
        if (forwardProxy != null) {
            closing.add(forwardProxy.close());
        }
        Future.join(closing).await();
        if (!drain.isZero()) {
            LOG.info("stopping: listeners drained in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms");
        }
        reloader.stop();
        issuerKeys.forEach(IssuerKeys::stop);
        devices.stop();
        certificates.stop();
        guard.stop();
        managementServer.close().await();
        if (adminServer != null) {
            adminServer.close().await();
        }
        store.close().await();
        upstreams.close().await();
        idpClient.close().await();
        try {
            audit.close();
        } catch (IOException e) {
            LOG.severe("audit log did not close cleanly: " + e.getMessage());
        }
        // after the close, so the last checkpoint goes too; the two sinks wait side by side
        Thread postgresqlStop = new Thread(() -> {
            if (postgresql != null) {
                postgresql.stop(Duration.ofSeconds(2));
            }
        }, "sekisho-stop-postgresql-sink");
        postgresqlStop.start();
        if (syslog != null) {
            syslog.stop(Duration.ofSeconds(2));
        }
        try {
            postgresqlStop.join();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
