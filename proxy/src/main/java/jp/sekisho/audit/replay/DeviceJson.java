package jp.sekisho.audit.replay;

import static jp.sekisho.audit.replay.JsonValues.bool;
import static jp.sekisho.audit.replay.JsonValues.nextField;
import static jp.sekisho.audit.replay.JsonValues.strings;
import static jp.sekisho.audit.replay.JsonValues.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.posture.PostureFailure;
import jp.sekisho.policy.replay.NotReplayable;

/** The record's {@code device} object, read back into the {@link DevicePosture} the decision saw. */
final class DeviceJson {

    private static final Map<String, PostureFailure> FAILURES = new HashMap<>();
    /** Parsed versions by their text; shared by every reader, so concurrent. */
    private static final Map<String, OsVersion> VERSIONS = new ConcurrentHashMap<>();

    static {
        for (PostureFailure failure : PostureFailure.values()) {
            FAILURES.put(failure.code(), failure);
        }
    }

    private DeviceJson() {
    }

    /** The posture; unknown, with the gap noted, when the record does not say enough to rebuild it. */
    static DevicePosture read(JsonParser p, Gaps gaps) throws IOException {
        JsonValues.expectObject(p);
        Optional<String> id = Optional.empty();
        List<String> evidence = List.of();
        Optional<PostureFailure> tokenProblem = Optional.empty();
        FactsJson facts = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "id" -> id = Optional.of(text(p));
                case "evidence" -> evidence = strings(p);
                case "tokenProblem" -> {
                    PostureFailure problem = FAILURES.get(text(p));
                    if (problem == null) {
                        gaps.note(NotReplayable.UNKNOWN_CODE);
                    }
                    tokenProblem = Optional.ofNullable(problem);
                }
                case "facts" -> facts = FactsJson.read(p, gaps);
                default -> p.skipChildren();
            }
        }
        if (evidence.isEmpty() && tokenProblem.isEmpty()) {
            return DevicePosture.unknown(); // the common case for requests without device evidence
        }
        Set<DevicePosture.Evidence> kinds = EnumSet.noneOf(DevicePosture.Evidence.class);
        for (String kind : evidence) {
            switch (kind) {
                case "certificate" -> kinds.add(DevicePosture.Evidence.DEVICE_CERTIFICATE);
                case "token" -> kinds.add(DevicePosture.Evidence.POSTURE_TOKEN);
                default -> {
                    gaps.note(NotReplayable.UNKNOWN_CODE);
                    return DevicePosture.unknown();
                }
            }
        }
        boolean token = kinds.contains(DevicePosture.Evidence.POSTURE_TOKEN);
        if (token && facts == null) {
            gaps.note(NotReplayable.FACTS_NOT_RECORDED);
            return DevicePosture.unknown();
        }
        try {
            return new DevicePosture(kinds.isEmpty() ? Optional.empty() : id, kinds,
                    token ? Optional.of(facts.build(id.orElse(""))) : Optional.empty(), tokenProblem);
        } catch (IllegalArgumentException e) {
            throw new IOException("device: " + e.getMessage(), e);
        }
    }

    /** A posture token's facts as the record writes them; built once the device id is known. */
    private static final class FactsJson {
        Optional<Boolean> managed = Optional.empty();
        DeviceFacts.Compliance compliance = DeviceFacts.Compliance.UNKNOWN;
        Optional<DeviceFacts.Edr> edr = Optional.empty();
        Optional<Boolean> diskEncrypted = Optional.empty();
        Optional<Boolean> screenLock = Optional.empty();
        Optional<DeviceFacts.OperatingSystem> os = Optional.empty();
        Map<String, Instant> observedAt = Map.of();

        static FactsJson read(JsonParser p, Gaps gaps) throws IOException {
            JsonValues.expectObject(p);
            FactsJson f = new FactsJson();
            while (nextField(p)) {
                switch (p.currentName()) {
                    case "managed" -> f.managed = Optional.of(bool(p));
                    case "compliance" -> f.compliance = known(DeviceFacts.Compliance.fromCode(text(p)),
                            DeviceFacts.Compliance.UNKNOWN, gaps);
                    case "edr" -> f.edr = Optional.of(edr(p, gaps));
                    case "diskEncrypted" -> f.diskEncrypted = Optional.of(bool(p));
                    case "screenLock" -> f.screenLock = Optional.of(bool(p));
                    case "os" -> f.os = Optional.of(os(p));
                    case "observedAt" -> f.observedAt = observedAt(p);
                    default -> p.skipChildren();
                }
            }
            return f;
        }

        /** A fleet runs a handful of versions; parsing one costs more than looking it up. */
        private static OsVersion osVersion(String text) throws IOException {
            OsVersion version = VERSIONS.get(text);
            if (version == null) {
                version = OsVersion.parse(text)
                        .orElseThrow(() -> new IOException("os.version '" + text + "' is not dotted numbers"));
                if (VERSIONS.size() < 10_000) {
                    VERSIONS.put(text, version);
                }
            }
            return version;
        }

        DeviceFacts build(String deviceId) {
            return new DeviceFacts(deviceId, managed, compliance, edr, diskEncrypted, screenLock, os, observedAt);
        }

        private static DeviceFacts.Edr edr(JsonParser p, Gaps gaps) throws IOException {
            JsonValues.expectObject(p);
            String vendor = "";
            boolean running = false;
            DeviceFacts.Risk risk = DeviceFacts.Risk.UNKNOWN;
            while (nextField(p)) {
                switch (p.currentName()) {
                    case "vendor" -> vendor = text(p);
                    case "running" -> running = bool(p);
                    case "risk" -> risk = known(DeviceFacts.Risk.fromCode(text(p)), DeviceFacts.Risk.UNKNOWN, gaps);
                    default -> p.skipChildren();
                }
            }
            return new DeviceFacts.Edr(vendor, running, risk);
        }

        private static DeviceFacts.OperatingSystem os(JsonParser p) throws IOException {
            JsonValues.expectObject(p);
            String platform = null;
            String version = null;
            Optional<Integer> patchAge = Optional.empty();
            while (nextField(p)) {
                switch (p.currentName()) {
                    case "platform" -> platform = text(p);
                    case "version" -> version = text(p);
                    case "patchAgeDays" -> {
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                            throw new IOException("os.patchAgeDays must be a whole number");
                        }
                        patchAge = Optional.of(p.getIntValue());
                    }
                    default -> p.skipChildren();
                }
            }
            if (platform == null || version == null) {
                throw new IOException("os needs platform and version");
            }
            return new DeviceFacts.OperatingSystem(platform, osVersion(version), patchAge);
        }

        private static Map<String, Instant> observedAt(JsonParser p) throws IOException {
            JsonValues.expectObject(p);
            List<Map.Entry<String, Instant>> observed = new ArrayList<>(2);
            while (nextField(p)) {
                observed.add(Map.entry(p.currentName(), AuditTime.parse(text(p))));
            }
            return JsonValues.immutableMap(observed);
        }

        /** A code a later version may have added: the record is then not replayed, rather than guessed at. */
        private static <T> T known(Optional<T> value, T unknown, Gaps gaps) {
            if (value.isEmpty()) {
                gaps.note(NotReplayable.UNKNOWN_CODE);
            }
            return value.orElse(unknown);
        }
    }
}
