package jp.sekisho.server;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.config.SekishoConfig;

/**
 * HTTPS on the staff listener, and device certificates over mutual TLS: the TLS stack checks
 * each client certificate against the device CAs and their CRLs during the handshake, so a
 * request only ever sees a certificate that passed.
 */
final class StaffTls {

    private StaffTls() {
    }

    static void apply(HttpServerOptions options, LoadedConfig config) {
        SekishoConfig settings = config.settings();
        SekishoConfig.Tls tls = settings.listen().tls();
        if (tls == null) {
            return;
        }
        options.setSsl(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(SekishoConfig.resolve(config.file(), tls.certificateFile()).toString())
                        .setKeyPath(SekishoConfig.resolve(config.file(), tls.keyFile()).toString()));
        SekishoConfig.ClientCertificates devices = settings.devicePosture().certificates();
        if (devices == null) {
            return;
        }
        PemTrustOptions anchors = new PemTrustOptions();
        devices.trustAnchors().forEach(file -> anchors.addCertPath(SekishoConfig.resolve(config.file(), file)
                .toString()));
        options.setTrustOptions(anchors)
                .setClientAuth(devices.mode().equals("require") ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
        devices.crls().forEach(file -> options.addCrlPath(SekishoConfig.resolve(config.file(), file).toString()));
    }
}
