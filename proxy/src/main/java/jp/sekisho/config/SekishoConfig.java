package jp.sekisho.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.sekisho.policy.mfa.MethodMapping;

/**
 * The runtime settings of one Sekisho process, bound from the schema-checked YAML file. The
 * {@code apps} section of the same file is the policy and is compiled separately.
 *
 * <p>Defaults live in the compact constructors so that a minimal file (issuers and apps)
 * starts a working proxy. Every field is documented in {@code docs/configuration.md} and the
 * JSON Schema {@code sekisho-config.schema.json}.
 */
@JsonIgnoreProperties({"apps", "segments", "timeZone", "holidays", "timeWindows", "defaults", "breakout"}) // policy
public record SekishoConfig(Listener listen, Listener management, String dataDir, List<String> trustedProxies,
                            List<String> identityHeaders, Upstreams upstreams, Assertion assertion, Audit audit,
                            List<Issuer> issuers, Integer reloadCheckSeconds, String helpdesk,
                            BrowserLogin browserLogin, DevicePosture devicePosture, Shutdown shutdown,
                            PolicyStore policyStore, Admin admin, ForwardProxy forwardProxy) {

    public SekishoConfig {
        listen = listen == null ? new Listener("0.0.0.0", 8080, null, null, null) : listen.orDefaults("0.0.0.0", 8080);
        management = management == null ? new Listener("127.0.0.1", 9090, null, null, null)
                : management.orDefaults("127.0.0.1", 9090);
        dataDir = dataDir == null ? "data" : dataDir;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        identityHeaders = identityHeaders == null ? List.of() : List.copyOf(identityHeaders);
        upstreams = upstreams == null ? new Upstreams(null, null, null, null) : upstreams;
        assertion = assertion == null ? new Assertion(null, null, null, null) : assertion;
        audit = audit == null ? new Audit(null, null, null, null, null, null, null, null, null, null, null, null) : audit;
        issuers = issuers == null ? List.of() : List.copyOf(issuers);
        reloadCheckSeconds = reloadCheckSeconds == null ? 2 : reloadCheckSeconds;
        helpdesk = helpdesk == null ? "" : helpdesk;
        devicePosture = devicePosture == null ? new DevicePosture(null, null, null, null, null, null) : devicePosture;
        shutdown = shutdown == null ? new Shutdown(null, null) : shutdown;
        policyStore = policyStore == null ? new PolicyStore(null, null, null) : policyStore;
    }

    /**
     * Where policy versions, holds and revocations are kept.
     *
     * @param type         {@code embedded} (files in the data directory) or {@code postgresql}
     * @param url          the database, without a password (postgresql)
     * @param passwordFile the file holding the password (postgresql)
     */
    public record PolicyStore(String type, String url, String passwordFile) {
        public PolicyStore {
            type = type == null ? "embedded" : type;
        }

        public boolean shared() {
            return "postgresql".equals(type);
        }
    }

    /**
     * The administrators' API (docs/admin.md); null when off.
     *
     * @param listen        its own listener (default 127.0.0.1:9443)
     * @param issuers       ids of the issuers whose administrators are accepted; empty for every issuer
     * @param audiences     the {@code aud} an administrator's token carries
     * @param rolesClaim    the claim listing roles
     * @param tenantClaim   the claim naming the administrator's 団体コード
     * @param mfa           how an administrator must have signed in
     * @param twoPersonRule changes to critical apps wait for a second administrator
     * @param console       the browser console on the same listener; null when off
     */
    public record Admin(Listener listen, List<String> issuers, List<String> audiences, String rolesClaim,
                        String tenantClaim, AdminMfa mfa, Boolean twoPersonRule, Console console) {
        public Admin {
            listen = listen == null ? new Listener("127.0.0.1", 9443, null, null, null)
                    : listen.orDefaults("127.0.0.1", 9443);
            issuers = issuers == null ? List.of() : List.copyOf(issuers);
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
            rolesClaim = rolesClaim == null ? "sekisho_roles" : rolesClaim;
            tenantClaim = tenantClaim == null ? "sekisho_tenant" : tenantClaim;
            mfa = mfa == null ? new AdminMfa(null, null) : mfa;
            twoPersonRule = twoPersonRule != null && twoPersonRule;
        }
    }

    /**
     * The forward proxy for local breakout (docs/breakout.md); null when off.
     *
     * @param listen         its own listener (default 0.0.0.0:3128)
     * @param interceptionCa the CA that tenant-restriction interception issues certificates from; null: none
     * @param tunnels        how long tunnels may live
     */
    public record ForwardProxy(Listener listen, InterceptionCa interceptionCa, Tunnels tunnels) {
        public ForwardProxy {
            listen = listen == null ? new Listener("0.0.0.0", 3128, null, null, null) : listen.orDefaults("0.0.0.0", 3128);
            tunnels = tunnels == null ? new Tunnels(null, null, null) : tunnels;
        }
    }

    /** The interception CA's PEM certificate and key files. */
    public record InterceptionCa(String certificateFile, String keyFile) {
    }

    /**
     * @param idleTimeoutSeconds    no bytes either way this long closes a tunnel
     * @param maxDurationSeconds    a tunnel closes after this long whatever it does
     * @param connectTimeoutSeconds connecting to a destination or a parent proxy
     */
    public record Tunnels(Integer idleTimeoutSeconds, Integer maxDurationSeconds, Integer connectTimeoutSeconds) {
        public Tunnels {
            idleTimeoutSeconds = idleTimeoutSeconds == null ? 300 : idleTimeoutSeconds;
            maxDurationSeconds = maxDurationSeconds == null ? 8 * 3600 : maxDurationSeconds;
            connectTimeoutSeconds = connectTimeoutSeconds == null ? 10 : connectTimeoutSeconds;
        }
    }

    /**
     * The admin console (docs/admin-console.md): a browser client of the admin API, signing in
     * with the authorization code flow and PKCE as a public client of the IdP.
     *
     * @param clientId   the console's client id at the IdP (redirect URI: the listener's origin + /console/)
     * @param issuer     the id of the issuer administrators sign in with (default: the first admin issuer)
     * @param scopes     the scopes asked for
     * @param grafanaUrl a dashboard link shown on the health page
     */
    public record Console(String clientId, String issuer, List<String> scopes, String grafanaUrl) {
        public Console {
            clientId = clientId == null ? "sekisho-console" : clientId;
            scopes = scopes == null ? List.of("openid") : List.copyOf(scopes);
        }
    }

    /** @param anyOf RFC 8176 methods, one of which is required; @param maxAgeSeconds sign-in freshness */
    public record AdminMfa(List<String> anyOf, Integer maxAgeSeconds) {
        public AdminMfa {
            anyOf = anyOf == null ? List.of("face", "otp", "hwk") : List.copyOf(anyOf);
            maxAgeSeconds = maxAgeSeconds == null ? 3600 : maxAgeSeconds;
        }
    }

    /**
     * What SIGTERM does before the process exits.
     *
     * @param delaySeconds keep accepting, with {@code /readyz} failing, this long first: a load
     *                     balancer or Kubernetes Service stops sending new connections meanwhile
     * @param drainSeconds then stop accepting and let requests under way finish, at most this long
     */
    public record Shutdown(Integer delaySeconds, Integer drainSeconds) {
        public Shutdown {
            delaySeconds = delaySeconds == null ? 0 : delaySeconds;
            drainSeconds = drainSeconds == null ? 25 : drainSeconds;
        }
    }

    /** A path from the file, resolved against the directory of the configuration file. */
    public static Path resolve(Path configFile, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path base = configFile.toAbsolutePath().getParent();
        return base == null ? p.toAbsolutePath() : base.resolve(p).normalize();
    }

    /** The data directory, resolved against the directory of the configuration file. */
    public Path dataPath(Path configFile) {
        return resolve(configFile, dataDir);
    }

    /** Browser sign-in with the OIDC authorization code flow (docs/browser-login.md); null when off. */
    public record BrowserLogin(String issuer, String clientId, String clientSecret, List<String> scopes,
                               Integer sessionLifetimeSeconds, Integer idleTimeoutSeconds, Boolean insecureCookies,
                               Integer keyRotationDays) {
        public BrowserLogin {
            scopes = scopes == null ? List.of("openid", "profile") : List.copyOf(scopes);
            sessionLifetimeSeconds = sessionLifetimeSeconds == null ? 8 * 3600 : sessionLifetimeSeconds;
            idleTimeoutSeconds = idleTimeoutSeconds == null ? 3600 : idleTimeoutSeconds;
            insecureCookies = insecureCookies != null && insecureCookies;
            keyRotationDays = keyRotationDays == null ? 30 : keyRotationDays;
        }
    }

    /**
     * A socket to listen on, with TLS when {@code tls} is set.
     *
     * @param redirectHttpPort with TLS: a plain-HTTP port that only redirects to HTTPS (null for none)
     */
    public record Listener(String host, Integer port, Tls tls, Integer redirectHttpPort, Limits limits) {
        public Listener {
            limits = limits == null ? Limits.defaults() : limits;
        }

        Listener orDefaults(String defaultHost, int defaultPort) {
            return new Listener(host == null ? defaultHost : host, port == null ? defaultPort : port, tls,
                    redirectHttpPort, limits);
        }
    }

    /**
     * What one client may hold of a listener.
     *
     * @param maxConnections            open connections; beyond, requests get 503 too-many-connections
     * @param requestHeadTimeoutSeconds a new connection's first request head must arrive within this (slowloris)
     * @param keepAliveTimeoutSeconds   the next request head on a kept-alive connection must arrive within this
     * @param maxHeaders                header fields in one request; beyond, 431
     * @param idleTimeoutSeconds        a connection (a stalled upload, a silent WebSocket) with no traffic this
     *                                  long closes
     * @param maxRequestLineBytes       the request line; beyond, 414
     * @param maxHeaderSectionBytes     all header fields together; beyond, 431
     * @param maxHeaderBytes            one header field, name and value; beyond, 431
     * @param maxBodyBytes              a request body, announced or streamed; beyond, 413
     * @param processingTimeoutSeconds  the checks (token, device, decision, upstream connection) must finish
     *                                  within this, or the request is refused with 503 processing-timeout
     */
    public record Limits(Integer maxConnections, Integer requestHeadTimeoutSeconds, Integer keepAliveTimeoutSeconds,
                         Integer maxHeaders, Integer idleTimeoutSeconds, Integer maxRequestLineBytes,
                         Integer maxHeaderSectionBytes, Integer maxHeaderBytes, Long maxBodyBytes,
                         Integer processingTimeoutSeconds) {
        public Limits {
            idleTimeoutSeconds = idleTimeoutSeconds == null ? 120 : idleTimeoutSeconds;
            maxConnections = maxConnections == null ? 10_000 : maxConnections;
            requestHeadTimeoutSeconds = requestHeadTimeoutSeconds == null ? 10 : requestHeadTimeoutSeconds;
            keepAliveTimeoutSeconds = keepAliveTimeoutSeconds == null ? 60 : keepAliveTimeoutSeconds;
            maxHeaders = maxHeaders == null ? 100 : maxHeaders;
            maxRequestLineBytes = maxRequestLineBytes == null ? 8 * 1024 : maxRequestLineBytes;
            maxHeaderSectionBytes = maxHeaderSectionBytes == null ? 16 * 1024 : maxHeaderSectionBytes;
            maxHeaderBytes = maxHeaderBytes == null ? 8 * 1024 : maxHeaderBytes;
            maxBodyBytes = maxBodyBytes == null ? 100L * 1024 * 1024 : maxBodyBytes;
            processingTimeoutSeconds = processingTimeoutSeconds == null ? 30 : processingTimeoutSeconds;
        }

        /** Every limit at its default. */
        public static Limits defaults() {
            return new Limits(null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * HTTPS on a listener. One certificate as {@code certificateFile}/{@code keyFile}, or several
     * in {@code certificates}, chosen by the name the client asks for (SNI); the first is the default.
     */
    public record Tls(String certificateFile, String keyFile, List<CertificateFiles> certificates,
                      List<String> protocols, List<String> cipherSuites, Hsts hsts, Boolean http2) {
        public Tls {
            certificates = certificates == null ? List.of() : List.copyOf(certificates);
            protocols = protocols == null ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
            cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
            hsts = hsts == null ? new Hsts(null, null) : hsts;
            http2 = http2 == null || http2;
        }

        /** These settings without HTTP/2 (the management listener speaks HTTP/1.1). */
        public Tls withoutHttp2() {
            return new Tls(certificateFile, keyFile, certificates, protocols, cipherSuites, hsts, false);
        }

        /** Every certificate, the shorthand one first. */
        public List<CertificateFiles> all() {
            List<CertificateFiles> all = new java.util.ArrayList<>();
            if (certificateFile != null) {
                all.add(new CertificateFiles(certificateFile, keyFile));
            }
            all.addAll(certificates);
            return all;
        }
    }

    /** A certificate chain and its private key, as PEM files. */
    public record CertificateFiles(String certificateFile, String keyFile) {
    }

    /** {@code Strict-Transport-Security} on HTTPS responses; {@code maxAgeSeconds: 0} turns it off. */
    public record Hsts(Integer maxAgeSeconds, Boolean includeSubDomains) {
        public Hsts {
            maxAgeSeconds = maxAgeSeconds == null ? 31_536_000 : maxAgeSeconds;
            includeSubDomains = includeSubDomains != null && includeSubDomains;
        }

        public String header() {
            return "max-age=" + maxAgeSeconds + (includeSubDomains ? "; includeSubDomains" : "");
        }
    }

    /** Device posture: signed posture tokens and device certificates (docs/device-posture.md). */
    public record DevicePosture(String header, List<String> audiences, Integer maxLifetimeSeconds,
                                Integer clockSkewSeconds, List<PostureIssuer> issuers, ClientCertificates certificates) {
        public DevicePosture {
            header = header == null ? "X-Sekisho-Device-Posture" : header;
            audiences = audiences == null ? List.of("sekisho") : List.copyOf(audiences);
            maxLifetimeSeconds = maxLifetimeSeconds == null ? 600 : maxLifetimeSeconds;
            clockSkewSeconds = clockSkewSeconds == null ? 30 : clockSkewSeconds;
            issuers = issuers == null ? List.of() : List.copyOf(issuers);
        }
    }

    /** A posture service whose tokens are trusted, with its public keys in a JWKS file. */
    public record PostureIssuer(String id, String issuer, String jwksFile) {
    }

    /** Device certificates over mutual TLS on the staff listener. */
    public record ClientCertificates(String mode, List<String> trustAnchors, List<String> crls, String deviceId,
                                     String sanUriPrefix) {
        public ClientCertificates {
            mode = mode == null ? "request" : mode;
            trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
            crls = crls == null ? List.of() : List.copyOf(crls);
            deviceId = deviceId == null ? "san-uri" : deviceId;
            sanUriPrefix = sanUriPrefix == null ? "" : sanUriPrefix;
        }
    }

    /** Connections to upstreams. */
    public record Upstreams(Integer connectTimeoutMs, Integer responseTimeoutMs, Integer maxConnectionsPerUpstream,
                            UpstreamTls tls) {
        public Upstreams {
            tls = tls == null ? new UpstreamTls(null, null) : tls;
            connectTimeoutMs = connectTimeoutMs == null ? 3_000 : connectTimeoutMs;
            responseTimeoutMs = responseTimeoutMs == null ? 30_000 : responseTimeoutMs;
            maxConnectionsPerUpstream = maxConnectionsPerUpstream == null ? 64 : maxConnectionsPerUpstream;
        }
    }

    /**
     * TLS towards {@code https://} upstreams: always verified (system trust store plus
     * {@code trustedCaFiles}, SNI, host name); optionally with a client certificate.
     */
    public record UpstreamTls(List<String> trustedCaFiles, CertificateFiles clientCertificate) {
        public UpstreamTls {
            trustedCaFiles = trustedCaFiles == null ? List.of() : List.copyOf(trustedCaFiles);
        }
    }

    /** The signed identity assertion sent to upstreams. */
    public record Assertion(String header, String issuer, Integer lifetimeSeconds, Boolean bindRequestId) {
        public Assertion {
            header = header == null ? "X-Sekisho-Assertion" : header;
            issuer = issuer == null ? "sekisho" : issuer;
            lifetimeSeconds = lifetimeSeconds == null ? 120 : lifetimeSeconds;
            bindRequestId = bindRequestId != null && bindRequestId;
        }
    }

    /** The audit trail: chained segment files with signed checkpoints (docs/audit.md). */
    public record Audit(String directory, String mode, Integer queueCapacity, String zone, Long segmentMaxBytes,
                        Integer segmentMaxSeconds, Integer checkpointSeconds, Integer retentionDays,
                        String queryString, String tenant, Sinks sinks, Map<String, Integer> tenantRetentionDays) {
        public Audit {
            directory = directory == null ? "audit" : directory;
            mode = mode == null ? "batched" : mode;
            queueCapacity = queueCapacity == null ? 65_536 : queueCapacity;
            zone = zone == null ? "Asia/Tokyo" : zone;
            segmentMaxBytes = segmentMaxBytes == null ? 64L * 1024 * 1024 : segmentMaxBytes;
            segmentMaxSeconds = segmentMaxSeconds == null ? 86_400 : segmentMaxSeconds;
            checkpointSeconds = checkpointSeconds == null ? 300 : checkpointSeconds;
            retentionDays = retentionDays == null ? 366 : retentionDays;
            queryString = queryString == null ? "drop" : queryString;
            tenant = tenant == null ? "" : tenant;
            sinks = sinks == null ? new Sinks(null, null) : sinks;
            tenantRetentionDays = tenantRetentionDays == null ? Map.of() : Map.copyOf(tenantRetentionDays);
        }
    }

    /** Live copies of the audit trail; each absent one is off. */
    public record Sinks(Syslog syslog, Postgresql postgresql) {
    }

    /**
     * Copies every audit record, as written, into a monthly-partitioned PostgreSQL table for
     * auditors' queries, each batch and the cursor in one transaction (docs/audit.md).
     *
     * @param url          {@code postgresql://user@host:5432/database}, without a password
     * @param passwordFile a file holding the password, relative to the configuration file; absent: none
     * @param instance     this replica's name in the table (each has its own trail); null: the host name
     * @param startAt      where to begin when the database has no cursor for the instance: {@code oldest} or {@code now}
     */
    public record Postgresql(String url, String passwordFile, String instance, String startAt) {
        public Postgresql {
            startAt = startAt == null ? "oldest" : startAt;
        }
    }

    /**
     * Sends every audit record, as written, to a syslog receiver (RFC 5424 over TCP, RFC 6587
     * octet counting), resuming from a persisted cursor after any outage (docs/audit.md).
     *
     * @param startAt where to begin when no cursor exists yet: {@code oldest} or {@code now}
     */
    public record Syslog(String host, Integer port, SyslogTls tls, String facility, String hostname, String startAt) {
        public Syslog {
            tls = tls == null ? new SyslogTls(true, null) : tls;
            port = port == null ? (tls.enabled() ? 6514 : 601) : port;
            facility = facility == null ? "audit" : facility;
            startAt = startAt == null ? "oldest" : startAt;
        }
    }

    /** TLS to the syslog receiver: {@code false}, {@code true} (the JVM's trust store) or {@code {caFile}}. */
    public record SyslogTls(boolean enabled, String caFile) {

        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        static SyslogTls of(com.fasterxml.jackson.databind.JsonNode node) {
            if (node.isBoolean()) {
                return new SyslogTls(node.booleanValue(), null);
            }
            return new SyslogTls(true, node.path("caFile").isTextual() ? node.path("caFile").asText() : null);
        }
    }

    /**
     * An OpenID Connect issuer whose tokens are accepted.
     *
     * @param keepClaims further claims kept from its tokens (string or string-array values), for
     *                   rules that name them, such as a department
     */
    public record Issuer(String id, String issuer, List<String> audiences, String jwksUri, List<String> algorithms,
                         List<String> types, Integer clockSkewSeconds, String userClaim, String groupsClaim,
                         Integer jwksRefreshSeconds, Integer jwksMinRefetchSeconds, Mfa mfa, List<String> keepClaims) {
        public Issuer {
            keepClaims = keepClaims == null ? List.of() : List.copyOf(keepClaims);
            audiences = List.copyOf(audiences);
            algorithms = algorithms == null ? List.of("RS256", "PS256", "ES256", "EdDSA") : List.copyOf(algorithms);
            types = types == null ? List.of("JWT", "at+jwt") : List.copyOf(types);
            clockSkewSeconds = clockSkewSeconds == null ? 60 : clockSkewSeconds;
            userClaim = userClaim == null ? "sub" : userClaim;
            groupsClaim = groupsClaim == null ? "groups" : groupsClaim;
            jwksRefreshSeconds = jwksRefreshSeconds == null ? 300 : jwksRefreshSeconds;
            jwksMinRefetchSeconds = jwksMinRefetchSeconds == null ? 10 : jwksMinRefetchSeconds;
            mfa = mfa == null ? new Mfa(null, null, null, null) : mfa;
        }
    }

    /** How an issuer's claims name authentication methods (docs/mfa.md). */
    public record Mfa(String profile, Map<String, List<String>> amr, Map<String, List<String>> acr,
                      Map<String, List<String>> acrs) {
        public Mfa {
            profile = profile == null ? "rfc8176" : profile;
            amr = amr == null ? Map.of() : Map.copyOf(amr);
            acr = acr == null ? Map.of() : Map.copyOf(acr);
            acrs = acrs == null ? Map.of() : Map.copyOf(acrs);
        }

        public MethodMapping mapping() {
            return new MethodMapping(MethodMapping.Profile.parse(profile), amr, acr, acrs);
        }
    }
}
