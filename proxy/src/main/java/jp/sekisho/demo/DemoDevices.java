package jp.sekisho.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.posture.PostureJson;
import jp.sekisho.storage.PrivateFiles;
import jp.sekisho.storage.SigningKeys;

/**
 * The demo's posture service: a signing key, the public keys the proxy trusts, and a device
 * records file with two terminals, one healthy and one whose EDR has stopped.
 */
final class DemoDevices {

    static final String ISSUER = "https://posture.demo.localhost";
    static final String KEY_FILE = "keys/demo-posture-key.jwk.json";
    static final String JWKS_FILE = "keys/demo-posture-jwks.json";
    static final String RECORDS_FILE = "devices.json";

    private DemoDevices() {
    }

    /** Writes the key (kept across runs), its JWKS, and device records observed just now. Blocking. */
    static void prepare(Path dataDir, Clock clock) throws IOException {
        ECKey key = SigningKeys.loadOrCreate(dataDir.resolve(KEY_FILE), "demo posture signing");
        PrivateFiles.write(dataDir.resolve(JWKS_FILE), new JWKSet(key.toPublicJWK()).toString());
        Instant now = clock.instant();
        ArrayNode records = new ObjectMapper().createArrayNode()
                .add(PostureJson.writeRecord(terminal("LG-PC-0001", true, now)))
                .add(PostureJson.writeRecord(terminal("LG-PC-0002", false, now)));
        PrivateFiles.write(dataDir.resolve(RECORDS_FILE), records.toPrettyString());
    }

    private static DeviceFacts terminal(String id, boolean edrRunning, Instant now) {
        return new DeviceFacts(id, Optional.of(true), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("Microsoft Defender for Endpoint", edrRunning,
                        DeviceFacts.Risk.LOW)), Optional.of(true), Optional.of(true),
                Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.26100.7171").orElseThrow(), Optional.of(9))),
                Map.of("mdm", now.minusSeconds(1800), "edr", now.minusSeconds(120)));
    }
}
