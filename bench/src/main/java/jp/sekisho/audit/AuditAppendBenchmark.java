package jp.sekisho.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.OsVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one access record costs the audit writer thread (never the event loop): encoding it as
 * JSON, and then chaining it (SHA-256 of the line) and appending it, written out in batches of
 * 512 as the writer does under load, without fsync (batched mode).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditAppendBenchmark {

    private static final int BATCH = 512;

    private Path dir;
    private ChainedSegments trail;
    private RecordEncoder encoder;
    private AccessRecord record;
    private int pending;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sekisho-audit-bench");
        AuditKey key = AuditKey.loadOrCreate(Files.createDirectories(dir.resolve("keys")));
        trail = ChainedSegments.open(dir.resolve("audit"), key, Clock.systemUTC(), ZoneId.of("Asia/Tokyo"),
                new ChainedSegments.Limits(256L * 1024 * 1024, Duration.ofDays(1), Duration.ofMinutes(5)));
        encoder = new RecordEncoder(new AccessRecordJson(ZoneId.of("Asia/Tokyo"), false, "131016"));
        Instant now = Instant.now();
        Identity user = new Identity("https://idp.example.lg.jp/realms/staff", "2f6c0c9e-7b51-4d1a-9a53-1a8f0c1d2e3f",
                "sato", Set.of("shimin-ka", "all-staff"), List.of("pwd", "otp"), Set.of("otp", "pwd"),
                Optional.of("c1"), Optional.of(now.minusSeconds(600)), now.plusSeconds(3000),
                Map.of("department", List.of("市民課")));
        DeviceFacts facts = new DeviceFacts("LG-PC-0001", Optional.of(true), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("Defender", true, DeviceFacts.Risk.LOW)), Optional.of(true),
                Optional.of(true), Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.22631.4460").orElseThrow(), Optional.of(12))),
                Map.of("mdm", now.minusSeconds(3600), "edr", now.minusSeconds(60)));
        record = new AccessRecord("1abc7eec53dd0000000000000001", now, "10.20.30.40", "GET",
                "records.example.lg.jp", "/juminhyo/search", false, Optional.of("records"), Optional.empty(), Optional.of(user),
                Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED), Optional.of("shimin-ka"), "4a1ff4bccf06", 200, 0, 1362,
                2_100_000, new AccessRecord.Device(Optional.of("LG-PC-0001"), List.of("token"), "passed", List.of(),
                        Optional.of(facts), Optional.empty()),
                Optional.of("lgwan"), Optional.empty(), "4bf92f3577b34da6a3ce929d0e0e4736", "");
    }

    @TearDown
    public void tearDown() throws IOException {
        trail.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private byte[] encode() throws IOException {
        return encoder.encode(record);
    }

    @Benchmark
    public byte[] encode_only() throws IOException {
        return encode();
    }

    @Benchmark
    public long encode_chain_and_append() throws IOException {
        trail.append(encode());
        if (++pending == BATCH) {
            trail.flush(false);
            pending = 0;
        }
        return trail.lastSeq();
    }
}
