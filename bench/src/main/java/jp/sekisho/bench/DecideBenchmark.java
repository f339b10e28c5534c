package jp.sekisho.bench;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.DenyRule;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.PathGlob;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.policy.RequestMatch;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.policy.network.NetworkSegments;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureRequirement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The policy work on every request: route the host and path, place the source address in a
 * segment, and decide. On a policy of {@code apps} apps with ten rules each (two deny rules
 * with path patterns, eight allow rules with segments, a time window and methods), for a
 * user admitted by the app's last allow rule: every rule before it is tried first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecideBenchmark {

    @Param({"10", "1000"})
    int apps;

    private PolicySnapshot policy;
    private RequestFacts facts;
    private Instant now;
    private String host;

    @Setup
    public void build() {
        List<NetworkSegments.Segment> segments = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            segments.add(new NetworkSegments.Segment("seg-" + s, "segment " + s,
                    CidrSet.of(List.of("10." + s + ".0.0/16", "fd00:" + s + "::/32"))));
        }
        TimeWindow business = new TimeWindow("business-hours", ZoneId.of("Asia/Tokyo"),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 30), LocalTime.of(17, 15),
                Set.of(), false);
        List<App> all = new ArrayList<>();
        for (int a = 0; a < apps; a++) {
            List<AllowRule> allow = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                allow.add(new AllowRule("allow-" + r, Set.of("user-" + r), Set.of("group-" + a + "-" + r),
                        new RequestMatch(Set.of("seg-" + (r % 20), "seg-19"), Set.of("GET", "POST"),
                                List.of(PathGlob.of("/docs/**"), PathGlob.of("/api/v?/**")), List.of(business))));
            }
            List<DenyRule> deny = List.of(
                    new DenyRule("deny-export", Set.of(), Set.of(), new RequestMatch(Set.of("seg-3"), Set.of(),
                            List.of(PathGlob.of("/export/**")))),
                    new DenyRule("deny-delete", Set.of(), Set.of("temps"), new RequestMatch(Set.of(),
                            Set.of("DELETE"), List.of())));
            all.add(new App("app-" + a, "app " + a, List.of("app-" + a + ".city.example.lg.jp"),
                    List.of("/", "/admin"), URI.create("http://10.200.0." + (a % 250) + ":8080"), allow,
                    MfaRequirement.NONE, Set.of(), PostureRequirement.NONE, false, false, deny));
        }
        policy = new PolicySnapshot("bench", all, new NetworkSegments(segments));
        now = Instant.parse("2026-11-24T01:00:00Z"); // Tuesday 10:00 JST
        int target = apps / 2;
        host = "app-" + target + ".city.example.lg.jp";
        Identity identity = new Identity("https://idp.example.lg.jp", "sub", "staff-1",
                Set.of("group-" + target + "-7"), List.of("face"), Set.of("face"), Optional.empty(),
                Optional.of(now.minusSeconds(60)), now.plusSeconds(3600));
        facts = new RequestFacts(policy.app("app-" + target).orElseThrow(), Authentication.of(identity),
                DevicePosture.unknown(), "GET", "/docs/reports/2026.pdf", RequestFacts.Quarantine.NONE, false,
                Optional.of("seg-19"));
        Decision check = PolicyEngine.decide(facts, policy, now);
        if (!check.allowed() || !check.ruleId().equals(Optional.of("allow-7"))) {
            throw new IllegalStateException("the benchmark request must be admitted by the last rule: " + check);
        }
    }

    /** {@code decide} alone, on facts already gathered. */
    @Benchmark
    public Decision decide() {
        return PolicyEngine.decide(facts, policy, now);
    }

    /** What the gateway adds per request: routing and the segment lookup, then the decision. */
    @Benchmark
    public Decision routeSegmentAndDecide() {
        App app = policy.route(host, "/docs/reports/2026.pdf").orElseThrow();
        Optional<String> segment = policy.segments().of("10.19.4.5");
        return PolicyEngine.decide(new RequestFacts(app, facts.authentication(), facts.device(), "GET",
                "/docs/reports/2026.pdf", RequestFacts.Quarantine.NONE, false, segment), policy, now);
    }
}
