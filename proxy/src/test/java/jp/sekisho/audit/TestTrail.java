package jp.sekisho.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.testing.MutableClock;

/**
 * A real audit trail written record by record, as the writer thread writes it (same encoding,
 * same chain, checkpoints included), for tests of the tools that read it.
 */
public final class TestTrail implements Closeable {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    private final ChainedSegments segments;
    private final AccessRecordJson json = new AccessRecordJson(JST);

    private TestTrail(ChainedSegments segments) {
        this.segments = segments;
    }

    /** A trail in {@code dir}, signed with a key made in {@code keys}; a checkpoint each minute of {@code clock}. */
    public static TestTrail open(Path dir, Path keys, MutableClock clock) throws IOException {
        return new TestTrail(ChainedSegments.open(dir, AuditKey.loadOrCreate(keys), clock, JST,
                new ChainedSegments.Limits(Long.MAX_VALUE, Duration.ofDays(365), Duration.ofMinutes(1))));
    }

    /** Writes {@code entry}; for a {@link DecisionRecord}, the record written before forwarding in strict mode. */
    public TestTrail write(AuditEntry entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            json.write(entry, out);
        }
        byte[] line = bytes.toByteArray();
        segments.append(Arrays.copyOf(line, line.length - 1));
        segments.flush(false);
        segments.checkpointIfDue();
        return this;
    }

    /** The seq of the last record written (all written records are whole: the writer's published bound). */
    public long lastSeq() {
        return segments.lastSeq();
    }

    /** A request with the given who, where and what; the rest plain (GET, no device, no file). */
    public static AccessRecord request(String requestId, Instant time, String username, String app, String path,
                                       Outcome outcome, int status) {
        Optional<Identity> user = Optional.ofNullable(username).map(u -> new Identity("https://idp.example.lg.jp",
                "sub-" + u, u, Set.of("shimin-ka"), List.of("pwd", "otp"), Set.of("pwd", "otp"), Optional.empty(),
                Optional.empty(), time.plusSeconds(600)));
        return new AccessRecord(requestId, time, "192.0.2.10", "GET", "records.example.lg.jp", path, false,
                Optional.ofNullable(app), Optional.empty(), user, outcome, outcome == Outcome.ALLOW ? List.of(Reason.GROUP_ALLOWED)
                : List.of(Reason.USER_NOT_ALLOWED), Optional.of(outcome == Outcome.ALLOW ? "clerks" : "default-deny"),
                "v42", status, 120, 2048, 1_500_000, AccessRecord.Device.NONE, Optional.of("lgwan"), Optional.empty(),
                "4bf92f3577b34da6a3ce929d0e0e4736", "");
    }

    /**
     * A forward-proxy CONNECT from segment {@code segment} (none when null) by {@code username} in
     * {@code groups} (no user when null) on device {@code deviceId} (none when null) to
     * {@code host:port}, decided {@code outcome} for {@code reasons}; allowed tunnels moved bytes.
     */
    public static BreakoutRecord breakout(String requestId, Instant time, String username, Set<String> groups,
                                          String segment, String deviceId, String host, int port, Outcome outcome,
                                          Reason... reasons) {
        Optional<Identity> user = Optional.ofNullable(username).map(u -> new Identity("https://idp.example.lg.jp",
                "sub-" + u, u, groups, List.of("pwd", "otp"), Set.of("pwd", "otp"), Optional.empty(),
                Optional.empty(), time.plusSeconds(600)));
        AccessRecord.Device device = deviceId == null ? AccessRecord.Device.NONE
                : new AccessRecord.Device(Optional.of(deviceId), List.of("certificate"), "not-required", List.of(),
                Optional.empty(), Optional.empty());
        boolean allowed = outcome == Outcome.ALLOW;
        return new BreakoutRecord(requestId, time, "10.20.1.5", Optional.ofNullable(segment), user, device, "CONNECT",
                host, port, allowed ? "optimize" : "unlisted", allowed ? Optional.of("m365-1") : Optional.empty(),
                Optional.empty(), allowed ? Optional.of("52.96.0.10") : Optional.empty(), false, outcome,
                List.of(reasons), allowed ? Optional.of("staff") : Optional.empty(), "v3-test",
                allowed ? 200 : outcome == Outcome.UNAUTHENTICATED ? 407 : 403, allowed ? 1_200 : 0,
                allowed ? 48_000 : 0, 1_200_000, allowed ? Optional.of("client") : Optional.empty());
    }

    /** {@code r} from a managed device (a certificate and a posture token) that downloaded a file. */
    public static AccessRecord withDeviceAndFile(AccessRecord r, String deviceId, String fileName, String sha256) {
        return new AccessRecord(r.requestId(), r.time(), r.sourceAddress(), r.method(), r.host(), r.path(),
                r.corsPreflight(), r.app(), Optional.empty(), r.user(), r.outcome(), r.reasons(), r.ruleId(), r.policyVersion(),
                r.status(), r.bytesIn(), r.bytesOut(), r.durationNanos(),
                new AccessRecord.Device(Optional.of(deviceId), List.of("certificate", "token"), "passed", List.of(),
                        Optional.of(managedWindows(deviceId, r.time())), Optional.empty()),
                r.segment(), Optional.of(new AccessRecord.FileSeen("download", Optional.of(fileName),
                Optional.of(2048L), Optional.of(sha256))), r.traceId(), r.query());
    }

    /** A managed, compliant Windows 11 terminal with an encrypted disk, seen by MDM an hour before {@code time}. */
    public static DeviceFacts managedWindows(String deviceId, Instant time) {
        return new DeviceFacts(deviceId, Optional.of(true), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("Defender", true, DeviceFacts.Risk.LOW)), Optional.of(true),
                Optional.of(true), Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.22631.4460").orElseThrow(), Optional.of(12))),
                Map.of("mdm", time.minusSeconds(3600)));
    }

    @Override
    public void close() throws IOException {
        segments.close();
    }
}
