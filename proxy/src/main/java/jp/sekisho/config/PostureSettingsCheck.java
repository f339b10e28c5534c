package jp.sekisho.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.sekisho.device.PostureKeys;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Device posture settings that only make sense together: device certificates need TLS, and
 * an app that demands what no configured evidence can prove would refuse everyone. Such a
 * file is refused at load, not discovered by the first user.
 */
final class PostureSettingsCheck {

    private PostureSettingsCheck() {
    }

    static List<ConfigError> check(SekishoConfig settings, SourceDocument document) {
        List<ConfigError> errors = new ArrayList<>();
        SekishoConfig.DevicePosture posture = settings.devicePosture();
        Set<String> ids = new HashSet<>();
        Set<String> issuers = new HashSet<>();
        for (int i = 0; i < posture.issuers().size(); i++) {
            SekishoConfig.PostureIssuer issuer = posture.issuers().get(i);
            if (!ids.add(issuer.id())) {
                errors.add(document.error("/devicePosture/issuers/" + i + "/id", "posture issuer id '" + issuer.id()
                        + "' is used twice"));
            }
            if (!issuers.add(issuer.issuer())) {
                errors.add(document.error("/devicePosture/issuers/" + i + "/issuer", "posture issuer '"
                        + issuer.issuer() + "' is configured twice"));
            }
        }
        boolean certificates = posture.certificates() != null;
        boolean forwardProxyTls = settings.forwardProxy() != null && settings.forwardProxy().listen().tls() != null;
        if (certificates && settings.listen().tls() == null && !forwardProxyTls) {
            errors.add(document.error("/devicePosture/certificates", "device certificates travel over TLS:"
                    + " configure listen.tls (or forwardProxy.listen.tls) with certificateFile and keyFile as well"));
        }
        JsonNode apps = document.root().path("apps");
        for (int i = 0; i < apps.size(); i++) {
            JsonNode demand = apps.get(i).path("posture");
            if (demand.isMissingNode()) {
                continue;
            }
            String at = "/apps/" + i + "/posture";
            if (demand.path("certificate").asBoolean(false) && !certificates) {
                errors.add(document.error(at + "/certificate", "no device could present a certificate:"
                        + " configure devicePosture.certificates"));
            }
            if (demandsFacts(demand) && posture.issuers().isEmpty()) {
                errors.add(document.error(at, "no device could prove these facts: configure at least one"
                        + " posture issuer in devicePosture.issuers"));
            }
        }
        return errors;
    }

    /** The files the settings name exist and hold what they should; found now, not at the first request. */
    static List<ConfigError> files(SekishoConfig settings, SourceDocument document, Path configFile) {
        List<ConfigError> errors = new ArrayList<>();
        SekishoConfig.DevicePosture posture = settings.devicePosture();
        for (int i = 0; i < posture.issuers().size(); i++) {
            Path jwks = SekishoConfig.resolve(configFile, posture.issuers().get(i).jwksFile());
            try {
                PostureKeys.read(jwks);
            } catch (IOException e) {
                errors.add(document.error("/devicePosture/issuers/" + i + "/jwksFile", e.getMessage()));
            }
        }
        SekishoConfig.ClientCertificates certificates = posture.certificates();
        if (certificates != null) {
            for (int i = 0; i < certificates.trustAnchors().size(); i++) {
                readable(document, errors, configFile, "/devicePosture/certificates/trustAnchors/" + i,
                        certificates.trustAnchors().get(i));
            }
            for (int i = 0; i < certificates.crls().size(); i++) {
                readable(document, errors, configFile, "/devicePosture/certificates/crls/" + i,
                        certificates.crls().get(i));
            }
        }
        return errors;
    }

    private static void readable(SourceDocument document, List<ConfigError> errors, Path configFile, String at,
                                 String file) {
        Path path = SekishoConfig.resolve(configFile, file);
        if (!Files.isReadable(path)) {
            errors.add(document.error(at, "cannot read '" + path + "'"));
        }
    }

    private static boolean demandsFacts(JsonNode demand) {
        for (String field : List.of("managed", "compliant", "diskEncrypted", "screenLock")) {
            if (demand.path(field).asBoolean(false)) {
                return true;
            }
        }
        return demand.path("edr").path("running").asBoolean(false) || demand.path("edr").has("maxRisk")
                || demand.has("minOsVersion") || demand.has("maxPatchAgeDays") || demand.has("maxObservationAgeSeconds");
    }
}
