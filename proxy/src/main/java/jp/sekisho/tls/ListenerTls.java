package jp.sekisho.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import jp.sekisho.config.SekishoConfig;

/**
 * The TLS side of one listener, built from its settings and its loaded certificates: the same
 * options at start and at every certificate reload. TLS 1.2 and 1.3 only; several certificates
 * are chosen by SNI; device certificates (staff listener) are checked against the device CAs
 * and CRLs in the handshake.
 */
public final class ListenerTls {

    /**
     * The default suites: TLS 1.3's, and for TLS 1.2 only forward-secret (ECDHE) AEAD ones. No
     * CBC, no static RSA key exchange, whatever the JDK would still allow.
     */
    static final List<String> MODERN_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SekishoConfig.Tls settings;
    private final SekishoConfig.ClientCertificates devices; // null: no client certificates asked
    private final Path configFile;

    public ListenerTls(SekishoConfig.Tls settings, SekishoConfig.ClientCertificates devices, Path configFile) {
        this.settings = settings;
        this.devices = devices;
        this.configFile = configFile;
    }

    public SekishoConfig.Tls settings() {
        return settings;
    }

    /** The certificate files, resolved against the configuration file. */
    public List<Path[]> files() {
        return settings.all().stream().map(pair -> new Path[] {
                SekishoConfig.resolve(configFile, pair.certificateFile()),
                SekishoConfig.resolve(configFile, pair.keyFile())}).toList();
    }

    /** Every file the listener's TLS reads: certificates and keys, and the device CAs and CRLs. */
    public List<Path> watchedFiles() {
        List<Path> all = new java.util.ArrayList<>();
        files().forEach(pair -> all.addAll(List.of(pair)));
        if (devices != null) {
            devices.trustAnchors().forEach(f -> all.add(SekishoConfig.resolve(configFile, f)));
            devices.crls().forEach(f -> all.add(SekishoConfig.resolve(configFile, f)));
        }
        return all;
    }

    /** The options a server is started or updated with. */
    public ServerSSLOptions sslOptions(List<LoadedCertificate> certificates) {
        PemKeyCertOptions keys = new PemKeyCertOptions();
        for (LoadedCertificate certificate : certificates) {
            keys.addCertValue(certificate.chainPem()).addKeyValue(certificate.keyPem());
        }
        ServerSSLOptions ssl = new ServerSSLOptions()
                .setKeyCertOptions(keys)
                .setSni(certificates.size() > 1)
                .setUseAlpn(settings.http2())
                .setEnabledSecureTransportProtocols(new HashSet<>(settings.protocols()));
        (settings.cipherSuites().isEmpty() ? MODERN_CIPHER_SUITES : settings.cipherSuites())
                .forEach(ssl::addEnabledCipherSuite);
        if (devices != null) {
            PemTrustOptions anchors = new PemTrustOptions();
            devices.trustAnchors().forEach(file -> anchors.addCertPath(SekishoConfig.resolve(configFile, file).toString()));
            ssl.setTrustOptions(anchors)
                    .setClientAuth(devices.mode().equals("require") ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
            devices.crls().forEach(file -> ssl.addCrlPath(SekishoConfig.resolve(configFile, file).toString()));
        }
        return ssl;
    }

    /** Turns {@code options} into an HTTPS server's with {@code ssl}; HTTP/2 by ALPN when enabled. */
    public void applyTo(HttpServerOptions options, ServerSSLOptions ssl) {
        options.setSsl(true)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setSni(ssl.isSni())
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
        ssl.getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
        if (ssl.getTrustOptions() != null) {
            options.setTrustOptions(ssl.getTrustOptions()).setClientAuth(ssl.getClientAuth());
            ssl.getCrlPaths().forEach(options::addCrlPath);
        }
        if (settings.http2()) {
            options.setUseAlpn(true)
                    .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                    // bounded like HTTP/1.1's header section; a hundred streams per connection
                    .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(100)
                            .setMaxHeaderListSize(options.getMaxHeaderSize()));
        }
    }
}
