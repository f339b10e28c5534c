package jp.sekisho.audit.replay;

import static jp.sekisho.audit.replay.JsonValues.bool;
import static jp.sekisho.audit.replay.JsonValues.nextField;
import static jp.sekisho.audit.replay.JsonValues.strings;
import static jp.sekisho.audit.replay.JsonValues.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.gateway.PathNormalizer;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.replay.NotReplayable;
import jp.sekisho.policy.replay.RecordedRequest;
import jp.sekisho.policy.replay.ReplayOptions;
import jp.sekisho.policy.replay.Verdict;
import jp.sekisho.posture.DevicePosture;

/**
 * Reads one line of the trail into a {@link RecordedRequest}: only {@code access} records (one
 * per request) inside the period asked for; a line is left as soon as it is known to be
 * neither. Streams the JSON rather than building a tree: this is most of a replay's time.
 */
final class AccessLineReader {

    static final String ACCESS = "access";

    /** Enough for the users and devices active at one time in a large municipality. */
    private static final int CACHED = 1 << 14;

    private final JsonFactory json = new JsonFactory();
    private final ReplayOptions options;
    private final SliceCache<Identity> users = new SliceCache<>(CACHED);
    private final SliceCache<DevicePosture> devices = new SliceCache<>(CACHED);

    AccessLineReader(ReplayOptions options) {
        this.options = options;
    }

    /**
     * The request of {@code line}; null when the line is another kind of record (a decision
     * before forwarding, an operator's action, the trail's own) or outside the period.
     *
     * @throws IOException when the line is not a record this version can read (a torn line)
     */
    RecordedRequest read(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return read(bytes, 0, bytes.length);
    }

    /** The request of a line given as UTF-8 bytes, as {@link #read(String)}. */
    RecordedRequest read(byte[] line, int offset, int length) throws IOException {
        int end = offset + length;
        try (JsonParser p = json.createParser(line, offset, length)) {
            p.nextToken();
            JsonValues.expectObject(p);
            Gaps gaps = new Gaps();
            String kind = null;
            String requestId = "";
            Instant time = null;
            String source = null;
            String method = "";
            String host = "";
            String path = "";
            Boolean preflight = null;
            Optional<String> app = Optional.empty();
            Identity user = null;
            boolean userRecorded = false;
            DevicePosture device = DevicePosture.unknown();
            Outcome outcome = null;
            List<Reason> reasons = List.of();
            Optional<String> rule = Optional.empty();
            String policyVersion = "";
            while (nextField(p)) {
                switch (p.currentName()) {
                    case "kind" -> {
                        kind = text(p);
                        if (!kind.equals(ACCESS)) {
                            return null;
                        }
                    }
                    case "time" -> {
                        time = AuditTime.parse(text(p));
                        if (!options.inPeriod(time)) {
                            return null;
                        }
                    }
                    case "requestId" -> requestId = text(p);
                    case "source" -> source = text(p);
                    case "method" -> method = text(p);
                    case "host" -> host = text(p);
                    case "path" -> path = text(p);
                    case "corsPreflight" -> preflight = bool(p);
                    case "app" -> app = Optional.of(text(p));
                    case "user" -> {
                        userRecorded = true;
                        user = object(p, line, offset, end, users, UserJson::read, gaps);
                    }
                    case "device" -> device = object(p, line, offset, end, devices, DeviceJson::read, gaps);
                    case "decision" -> {
                        outcome = Outcome.fromCode(text(p)).orElse(null);
                        if (outcome == null) {
                            gaps.note(NotReplayable.UNKNOWN_CODE);
                        }
                    }
                    case "reasons" -> reasons = reasons(strings(p), gaps);
                    case "rule" -> rule = Optional.of(text(p));
                    case "policyVersion" -> policyVersion = text(p);
                    default -> p.skipChildren();
                }
            }
            if (kind == null || time == null) {
                throw new IOException("not a record: no kind or no time");
            }
            if (method.equals("OPTIONS") && preflight == null && !userRecorded) {
                gaps.note(NotReplayable.FACTS_NOT_RECORDED); // could have been a preflight; the record does not say
            }
            Verdict recorded = new Verdict(app, outcome == null ? Outcome.DENY : outcome, reasons, rule);
            return new RecordedRequest(requestId, time, host, PathNormalizer.routingForm(path), method,
                    Optional.ofNullable(source), preflight != null && preflight, Optional.ofNullable(user), device,
                    recorded, policyVersion, Optional.ofNullable(gaps.first()));
        }
    }

    /** How a nested object is read: its value, or null with the gap noted. */
    @FunctionalInterface
    private interface ObjectReader<V> {
        V read(JsonParser p, Gaps gaps) throws IOException;
    }

    /**
     * The object the parser is on: from the cache when the line holds the same bytes as an
     * object read before, else read here and kept. Only objects read without a gap are kept,
     * so that a gap is noted every time it is met.
     */
    private <V> V object(JsonParser p, byte[] line, int offset, int end, SliceCache<V> cache, ObjectReader<V> reader,
                         Gaps gaps) throws IOException {
        JsonValues.expectObject(p);
        int from = offset + (int) p.currentTokenLocation().getByteOffset();
        int slot = cache.slot(line, from, end);
        if (cache.match(slot, line, from, end) >= 0) {
            p.skipChildren();
            return cache.value(slot);
        }
        Gaps own = new Gaps();
        V value = reader.read(p, own);
        if (own.first() != null) {
            gaps.note(own.first());
        } else if (value != null) {
            cache.put(slot, line, from, offset + (int) p.currentLocation().getByteOffset(), value);
        }
        return value;
    }

    private static List<Reason> reasons(List<String> codes, Gaps gaps) {
        List<Reason> reasons = new ArrayList<>(codes.size());
        for (String code : codes) {
            Reason reason = Reason.fromCode(code).orElse(null);
            if (reason == null) {
                gaps.note(NotReplayable.UNKNOWN_CODE);
            } else {
                reasons.add(reason);
            }
        }
        return reasons;
    }
}
