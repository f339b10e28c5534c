package jp.sekisho.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import jp.sekisho.device.DeviceCertificates;
import jp.sekisho.device.PostureTokenSigner;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.PostureJson;
import jp.sekisho.storage.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sekisho posture issue}: the reference posture service. Signs short-lived device
 * posture tokens from a device records file (written by {@code posture import} or by hand).
 */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = "Sign device posture tokens from a device records file. With --device, print that device's"
                + " token; without, print a JSON object of device id -> token for every device.")
final class PostureIssueCommand implements Callable<Integer> {

    static Clock clock = Clock.systemUTC();

    @Option(names = "--key", required = true, description = "the posture service's private key (from posture keygen)")
    Path key;

    @Option(names = "--issuer", required = true, description = "the iss value the proxy trusts for this key")
    String issuer;

    @Option(names = "--records", required = true, description = "device records file (JSON array)")
    Path records;

    @Option(names = "--device", description = "only this device")
    String device;

    @Option(names = "--audience", description = "aud value (default ${DEFAULT-VALUE})")
    List<String> audience = new ArrayList<>(List.of("sekisho"));

    @Option(names = "--lifetime-seconds", description = "token lifetime, at most the proxy's cap (default ${DEFAULT-VALUE})")
    int lifetimeSeconds = 600;

    @Option(names = "--bind-certificate", description = "PEM device certificate to bind the token to (cnf x5t#S256)")
    Path certificate;

    @Option(names = "--warn-stale-hours", description = "warn about sources older than this (default ${DEFAULT-VALUE})")
    int warnStaleHours = 24;

    @Override
    public Integer call() throws Exception {
        if (certificate != null && device == null) {
            System.err.println("--bind-certificate binds one device's token to its certificate: give --device too");
            return 2;
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode array = mapper.readTree(Files.readString(records));
        if (!array.isArray()) {
            System.err.println(records + ": a device records file is a JSON array of device records");
            return 2;
        }
        List<DeviceFacts> devices = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                devices.add(PostureJson.readRecord(array.get(i)));
            } catch (IllegalArgumentException e) {
                System.err.printf("%s: record %d: %s%n", records, i, e.getMessage());
                return 2;
            }
        }
        Optional<String> thumbprint = certificate == null ? Optional.empty()
                : Optional.of(DeviceCertificates.thumbprint(readCertificate(certificate)));
        PostureTokenSigner signer = new PostureTokenSigner(SigningKeys.load(key), issuer);
        Instant now = clock.instant();
        ObjectNode all = mapper.createObjectNode();
        for (DeviceFacts facts : devices) {
            if (device != null && !device.equals(facts.deviceId())) {
                continue;
            }
            warnIfStale(facts, now);
            String token = signer.sign(facts, audience, now, Duration.ofSeconds(lifetimeSeconds), thumbprint);
            if (device != null) {
                System.out.println(token);
                return 0;
            }
            all.put(facts.deviceId(), token);
        }
        if (device != null) {
            System.err.println(records + ": no device '" + device + "'");
            return 1;
        }
        System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        return 0;
    }

    /** The token still carries the old observation; the proxy lowers the result per app. Say so here too. */
    private void warnIfStale(DeviceFacts facts, Instant now) {
        if (facts.observedAt().isEmpty()) {
            System.err.printf("warning: %s has no observation time: apps with maxObservationAgeSeconds will refuse it%n",
                    facts.deviceId());
        }
        for (Map.Entry<String, Instant> source : facts.observedAtSorted().entrySet()) {
            if (source.getValue().isBefore(now.minus(Duration.ofHours(warnStaleHours)))) {
                System.err.printf("warning: %s: %s last saw the device at %s%n", facts.deviceId(), source.getKey(),
                        source.getValue());
            }
        }
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }
}
