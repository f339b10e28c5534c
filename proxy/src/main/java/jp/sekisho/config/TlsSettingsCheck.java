package jp.sekisho.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.sekisho.audit.PostgresSink;
import jp.sekisho.audit.SyslogReceiver;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.tls.LoadedCertificate;
import jp.sekisho.tls.UpstreamTrust;

/**
 * Loads every certificate and key the settings name (and the audit database's password file),
 * as the running proxy would, so that
 * {@code validate} finds an unreadable file, a key that is not the certificate's, or a
 * redirect port without HTTPS, instead of a failed start.
 */
final class TlsSettingsCheck {

    private TlsSettingsCheck() {
    }

    static List<ConfigError> check(SekishoConfig settings, SourceDocument document, Path configFile) {
        List<ConfigError> errors = new ArrayList<>();
        listener(settings.listen(), "/listen", document, configFile, errors);
        listener(settings.management(), "/management", document, configFile, errors);
        if (settings.listen().redirectHttpPort() != null && settings.listen().tls() == null) {
            errors.add(document.error("/listen/redirectHttpPort", "a redirect to HTTPS needs listen.tls"));
        }
        if (settings.management().redirectHttpPort() != null) {
            errors.add(document.error("/management/redirectHttpPort", "only the staff listener (listen) redirects to"
                    + " HTTPS"));
        }
        SekishoConfig.UpstreamTls upstream = settings.upstreams().tls();
        try {
            UpstreamTrust.of(upstream.trustedCaFiles().stream().map(f -> SekishoConfig.resolve(configFile, f)).toList());
        } catch (IOException e) {
            errors.add(document.error("/upstreams/tls/trustedCaFiles", e.getMessage()));
        }
        if (upstream.clientCertificate() != null) {
            pair(upstream.clientCertificate(), "/upstreams/tls/clientCertificate", document, configFile, errors);
        }
        SekishoConfig.Syslog syslog = settings.audit().sinks().syslog();
        if (syslog != null && syslog.tls().caFile() != null) {
            try {
                SyslogReceiver.trusting(SekishoConfig.resolve(configFile, syslog.tls().caFile()));
            } catch (IOException | RuntimeException e) {
                errors.add(document.error("/audit/sinks/syslog/tls/caFile", "cannot read the receiver's CA: "
                        + e.getMessage()));
            }
        }
        SekishoConfig.Postgresql postgresql = settings.audit().sinks().postgresql();
        if (postgresql != null) {
            try {
                PostgresSink.connectOptions(postgresql.url(), postgresql.passwordFile() == null ? null
                        : SekishoConfig.resolve(configFile, postgresql.passwordFile()));
            } catch (IOException e) {
                errors.add(document.error("/audit/sinks/postgresql/passwordFile", "cannot read the password: "
                        + e.getMessage()));
            } catch (RuntimeException e) {
                errors.add(document.error("/audit/sinks/postgresql/url", e.getMessage()));
            }
        }
        return errors;
    }

    private static void listener(SekishoConfig.Listener listener, String at, SourceDocument document, Path configFile,
                                 List<ConfigError> errors) {
        SekishoConfig.Tls tls = listener.tls();
        if (tls == null) {
            return;
        }
        if (tls.certificateFile() != null) {
            pair(new SekishoConfig.CertificateFiles(tls.certificateFile(), tls.keyFile()), at + "/tls", document,
                    configFile, errors);
        }
        for (int i = 0; i < tls.certificates().size(); i++) {
            pair(tls.certificates().get(i), at + "/tls/certificates/" + i, document, configFile, errors);
        }
    }

    private static void pair(SekishoConfig.CertificateFiles files, String at, SourceDocument document, Path configFile,
                             List<ConfigError> errors) {
        try {
            LoadedCertificate.load(SekishoConfig.resolve(configFile, files.certificateFile()),
                    SekishoConfig.resolve(configFile, files.keyFile()));
        } catch (IOException e) {
            errors.add(document.error(at + "/certificateFile", e.getMessage()));
        }
    }
}
