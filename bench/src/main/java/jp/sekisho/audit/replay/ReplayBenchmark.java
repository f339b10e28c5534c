package jp.sekisho.audit.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.audit.SyntheticTraffic;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.replay.RecordedRequest;
import jp.sekisho.policy.replay.Replay;
import jp.sekisho.policy.replay.ReplayOptions;
import jp.sekisho.policy.replay.ReplayReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A policy replay on one core, in records per second: 100,000 synthetic access records
 * ({@link SyntheticTraffic}) against a draft of {@code apps} apps. {@code decide} replays records
 * already read; {@code readAndDecide} also reads each from its JSON line (UTF-8 bytes), as
 * {@code sekisho policy replay} does (without the file I/O).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-XX:ActiveProcessorCount=1")
public class ReplayBenchmark {

    static final int RECORDS = 100_000;

    @Param({"1000"})
    int apps;

    private PolicySnapshot draft;
    private List<byte[]> lines;
    private List<RecordedRequest> requests;

    @Setup
    public void build() throws IOException {
        SyntheticTraffic traffic = new SyntheticTraffic(apps, 42);
        draft = SyntheticTraffic.compile(SyntheticTraffic.config(apps, true), "draft");
        lines = new ArrayList<>(RECORDS);
        requests = new ArrayList<>(RECORDS);
        AccessLineReader reader = new AccessLineReader(ReplayOptions.ALL);
        for (AccessRecord record : traffic.records(RECORDS)) {
            byte[] line = traffic.line(record).getBytes(StandardCharsets.UTF_8);
            lines.add(line);
            requests.add(reader.read(line, 0, line.length));
        }
        ReplayReport check = decide();
        if (check.replayed() != RECORDS || !check.anyChanged() || check.changed() > RECORDS / 5) {
            throw new IllegalStateException("the draft must change some requests, not most: " + check.changes());
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ReplayReport decide() {
        return Replay.run(draft, requests, ReplayOptions.ALL);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ReplayReport readAndDecide() throws IOException {
        AccessLineReader reader = new AccessLineReader(ReplayOptions.ALL);
        Replay replay = Replay.of(draft, ReplayOptions.ALL);
        for (byte[] line : lines) {
            replay.add(reader.read(line, 0, line.length));
        }
        return replay.report();
    }
}
