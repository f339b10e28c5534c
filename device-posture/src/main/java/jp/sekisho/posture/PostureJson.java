package jp.sekisho.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON form of {@link DeviceFacts}: the {@code posture} claim of a device posture
 * token, and (with a {@code device_id}) one entry of a device records file. Documented in
 * {@code docs/device-posture.md} and {@code docs/schemas/device-posture-token.schema.json}.
 *
 * <p>Reading is strict about types (a wrong type is an error naming the field) and lenient
 * about unknown fields, so a posture service may add facts before the proxy reads them.
 */
public final class PostureJson {

    public static final String CLAIM = "posture";
    public static final String DEVICE_ID = "device_id";
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The platforms requirements can name; anything else is refused rather than silently unmatched. */
    public static final java.util.Set<String> PLATFORMS =
            java.util.Set.of("windows", "macos", "ios", "android", "linux", "chromeos");

    private static final long MAX_EPOCH_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private PostureJson() {
    }

    /** The facts of one device from its posture object. */
    public static DeviceFacts read(String deviceId, JsonNode posture) {
        if (posture == null || !posture.isObject()) {
            throw new IllegalArgumentException(CLAIM + " must be an object");
        }
        Optional<DeviceFacts.Edr> edr = Optional.empty();
        JsonNode edrNode = posture.get("edr");
        if (edrNode != null && !edrNode.isNull()) {
            if (!edrNode.isObject()) {
                throw new IllegalArgumentException("edr must be an object");
            }
            String risk = text(edrNode, "edr.risk").orElse("unknown");
            edr = Optional.of(new DeviceFacts.Edr(text(edrNode, "edr.vendor").orElse(""),
                    bool(edrNode, "edr.running").orElseThrow(
                            () -> new IllegalArgumentException("edr.running is required with edr")),
                    DeviceFacts.Risk.fromCode(risk).orElseThrow(() -> new IllegalArgumentException(
                            "edr.risk must be none, informational, low, medium, high or unknown"))));
        }
        Optional<DeviceFacts.OperatingSystem> os = Optional.empty();
        JsonNode osNode = posture.get("os");
        if (osNode != null && !osNode.isNull()) {
            if (!osNode.isObject()) {
                throw new IllegalArgumentException("os must be an object");
            }
            String platform = text(osNode, "os.platform").orElseThrow(
                    () -> new IllegalArgumentException("os.platform is required"));
            if (!PLATFORMS.contains(platform)) {
                throw new IllegalArgumentException("os.platform must be one of " + PLATFORMS + ", got '" + platform + "'");
            }
            // A version is never guessed: an os fact without one is not a fact.
            String version = text(osNode, "os.version").orElseThrow(
                    () -> new IllegalArgumentException("os.version is required with os.platform"));
            os = Optional.of(new DeviceFacts.OperatingSystem(platform, OsVersion.parse(version).orElseThrow(
                    () -> new IllegalArgumentException("os.version must be dotted numbers, got '" + version + "'")),
                    integer(osNode, "os.patch_age_days")));
        }
        String compliance = text(posture, "compliance").orElse("unknown");
        return new DeviceFacts(deviceId, bool(posture, "managed"),
                DeviceFacts.Compliance.fromCode(compliance).orElseThrow(() -> new IllegalArgumentException(
                        "compliance must be compliant, noncompliant, in-grace-period or unknown")),
                edr, bool(posture, "disk_encrypted"), bool(posture, "screen_lock"), os, observedAt(posture));
    }

    /** The posture object of these facts (without the device id, which a token carries as {@code sub}). */
    public static ObjectNode write(DeviceFacts facts, boolean epochSeconds) {
        ObjectNode out = MAPPER.createObjectNode();
        facts.managed().ifPresent(v -> out.put("managed", v));
        out.put("compliance", facts.compliance().code());
        facts.edr().ifPresent(edr -> out.putObject("edr").put("vendor", edr.vendor()).put("running", edr.running())
                .put("risk", edr.risk().code()));
        facts.diskEncrypted().ifPresent(v -> out.put("disk_encrypted", v));
        facts.screenLock().ifPresent(v -> out.put("screen_lock", v));
        facts.os().ifPresent(os -> {
            ObjectNode node = out.putObject("os").put("platform", os.platform()).put("version", os.version().toString());
            os.patchAgeDays().ifPresent(days -> node.put("patch_age_days", days));
        });
        ObjectNode observed = out.putObject("observed_at");
        facts.observedAtSorted().forEach((source, at) -> {
            if (epochSeconds) {
                observed.put(source, at.getEpochSecond());
            } else {
                observed.put(source, at.toString());
            }
        });
        return out;
    }

    /** One entry of a device records file: the posture object with its {@code device_id}. */
    public static ObjectNode writeRecord(DeviceFacts facts) {
        ObjectNode record = MAPPER.createObjectNode().put(DEVICE_ID, facts.deviceId());
        record.setAll(write(facts, false));
        return record;
    }

    /** One entry of a device records file. */
    public static DeviceFacts readRecord(JsonNode record) {
        String id = text(record, DEVICE_ID).orElseThrow(() -> new IllegalArgumentException(DEVICE_ID + " is required"));
        return read(id, record);
    }

    private static Map<String, Instant> observedAt(JsonNode posture) {
        JsonNode node = posture.get("observed_at");
        Map<String, Instant> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("observed_at must be an object of source names to times");
        }
        node.fields().forEachRemaining(e -> {
            if (e.getKey().isEmpty()) {
                throw new IllegalArgumentException("observed_at needs source names");
            }
            out.put(e.getKey(), instant(e.getValue(), "observed_at." + e.getKey()));
        });
        return out;
    }

    /** A time as NumericDate seconds (as in JWTs) or an ISO-8601 instant (as people write). */
    private static Instant instant(JsonNode value, String field) {
        if (value.isIntegralNumber()) {
            // canConvertToLong: a number past 2^63 would otherwise wrap to a made-up time
            if (!value.canConvertToLong() || value.asLong() < 0 || value.asLong() > MAX_EPOCH_SECONDS) {
                throw new IllegalArgumentException(field + " is not a time between 1970 and 9999");
            }
            return Instant.ofEpochSecond(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " must be an ISO-8601 instant, got '" + value.asText() + "'");
            }
        }
        throw new IllegalArgumentException(field + " must be seconds since the epoch or an ISO-8601 instant");
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(leaf(field));
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static Optional<Boolean> bool(JsonNode node, String field) {
        JsonNode value = node.get(leaf(field));
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return Optional.of(value.asBoolean());
    }

    private static Optional<Integer> integer(JsonNode node, String field) {
        JsonNode value = node.get(leaf(field));
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0 || value.asInt() > 100_000) {
            throw new IllegalArgumentException(field + " must be a whole number of days");
        }
        return Optional.of(value.asInt());
    }

    private static String leaf(String field) {
        int dot = field.lastIndexOf('.');
        return dot < 0 ? field : field.substring(dot + 1);
    }
}
