package jp.sekisho.posture.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DeviceFacts.Compliance;
import jp.sekisho.posture.DeviceFacts.Edr;
import jp.sekisho.posture.DeviceFacts.OperatingSystem;
import jp.sekisho.posture.DeviceFacts.Risk;
import jp.sekisho.posture.OsVersion;

/** The fixture exports, single-entry exports for focused cases, and expected facts written out by hand. */
final class Exports {

    static final ObjectMapper MAPPER = new ObjectMapper();

    // Entra ID device ids of the fixture devices.
    static final String AAD_PC1 = "0b6e3f41-8a2c-4d7e-9f15-6c3a2b1d0e11";
    static final String AAD_PC2 = "1c7f4a52-9b3d-4e8f-a026-7d4b3c2e1f22";
    static final String AAD_PC3 = "2d805b63-ac4e-4f90-b137-8e5c4d3f2033";
    static final String AAD_IPHONE = "3e916c74-bd5f-4a01-8248-9f6d5e403144";
    static final String AAD_PC6 = "5fb38e96-df71-4c23-a46a-b18f7a625366";
    static final String AAD_DEFENDER_ONLY = "6ac49fa7-e082-4d34-b57b-c29a8b736477";

    private Exports() {
    }

    static JsonNode intune() {
        return load("importers/intune-managedDevices.json");
    }

    static JsonNode defender() {
        return load("importers/defender-machines.json");
    }

    private static JsonNode load(String resource) {
        try (InputStream in = Exports.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A compliant Windows device as Graph lists it, for a test to change one field of. */
    static ObjectNode intuneDevice() {
        return MAPPER.createObjectNode()
                .put("id", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
                .put("deviceName", "LG-PC-0100")
                .put("azureADDeviceId", "aa11bb22-cc33-4d44-8e55-ff6600778899")
                .put("serialNumber", "5CG5000XYZ")
                .put("lastSyncDateTime", "2026-11-21T09:00:00Z")
                .put("operatingSystem", "Windows")
                .put("osVersion", "10.0.26100.2314")
                .put("complianceState", "compliant")
                .put("jailBroken", "Unknown")
                .put("isEncrypted", true)
                .put("managementState", "managed");
    }

    /** An active, low-risk machine as the Defender API lists it, for a test to change one field of. */
    static ObjectNode defenderMachine() {
        return MAPPER.createObjectNode()
                .put("id", "0123456789abcdef0123456789abcdef01234567")
                .put("computerDnsName", "lg-pc-0100.soumu.city.example.lg.jp")
                .put("aadDeviceId", "aa11bb22-cc33-4d44-8e55-ff6600778899")
                .put("healthStatus", "Active")
                .put("riskScore", "Low")
                .put("onboardingStatus", "onboarded")
                .put("lastSeen", "2026-11-21T09:05:00.1234567Z");
    }

    /** A Graph-shaped export of these entries. */
    static ObjectNode graphPage(JsonNode... entries) {
        ObjectNode page = MAPPER.createObjectNode();
        ArrayNode value = page.putArray("value");
        for (JsonNode entry : entries) {
            value.add(entry);
        }
        return page;
    }

    static DeviceFacts intuneFacts(String id, Optional<Boolean> managed, Compliance compliance, boolean encrypted,
                                   String platform, String version, String lastSync) {
        return new DeviceFacts(id, managed, compliance, Optional.empty(), Optional.of(encrypted), Optional.empty(),
                Optional.of(new OperatingSystem(platform, OsVersion.parse(version).orElseThrow(), Optional.empty())),
                Map.of("mdm", Instant.parse(lastSync)));
    }

    static DeviceFacts defenderFacts(String id, boolean running, Risk risk, String lastSeen) {
        return new DeviceFacts(id, Optional.empty(), Compliance.UNKNOWN, Optional.of(edr(running, risk)),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("edr", Instant.parse(lastSeen)));
    }

    static Edr edr(boolean running, Risk risk) {
        return new Edr("Microsoft Defender for Endpoint", running, risk);
    }
}
