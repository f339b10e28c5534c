package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stage between reading a request and forwarding it is broken in turn — it throws, its
 * answer fails, or it never answers — and the request must end in a refusal with a reason code
 * and an audit record, with nothing reaching the upstream.
 */
class FailClosedTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    /** How a stage breaks. */
    enum Breakage { THROWS, FAILS, NEVER_ANSWERS }

    static Stream<Arguments> brokenStages() {
        List<Arguments> cases = new ArrayList<>();
        for (String stage : List.of("authentication", "device-evidence", "assertion", "upstream")) {
            cases.add(Arguments.of(stage, Breakage.THROWS, 500, "internal-error"));
            cases.add(Arguments.of(stage, Breakage.FAILS, stage.equals("upstream") ? 502 : 500,
                    stage.equals("upstream") ? "upstream-failed" : "internal-error"));
            cases.add(Arguments.of(stage, Breakage.NEVER_ANSWERS, 503, "processing-timeout"));
        }
        // The decision is synchronous: it can throw, or give no decision at all.
        cases.add(Arguments.of("decision", Breakage.THROWS, 500, "internal-error"));
        cases.add(Arguments.of("decision", Breakage.FAILS, 500, "internal-error"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} → {2} {3}")
    @MethodSource("brokenStages")
    void aBrokenStageRefusesAndForwardsNothing(String stage, Breakage breakage, int status, String reason)
            throws Exception {
        proxy.stages = broken(stage, breakage);
        startWithProcessingTimeout();

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        assertEquals(status, response.status());
        assertEquals(reason, new JsonObject(response.body()).getString("error"));
        assertTrue(proxy.upstream.received().isEmpty(), "the upstream must see nothing");
        String metrics = proxy.management("/metrics").body();
        if (status == 500) {
            assertTrue(metrics.contains("sekisho_stage_failures_total{stage=\"" + stage + "\"} 1.0"), metrics);
        }
        if (status == 503) {
            assertTrue(metrics.contains("sekisho_processing_timeouts_total 1.0"), metrics);
        }
        List<String> audit = proxy.stopAndReadAudit();
        assertEquals(1, audit.size(), "one audit record");
        JsonObject record = new JsonObject(audit.get(0));
        assertTrue(record.getJsonArray("reasons").contains(reason), record.encode());
        assertEquals(status, record.getInteger("status"));
    }

    @Test
    void aStageThatAnswersAfterTheRefusalStillForwardsNothing() throws Exception {
        Promise<Void> late = Promise.promise();
        Promise<Boolean> upstreamAnswered = Promise.promise();
        proxy.stages = stages -> stages.withUpstreams((app, method, path) -> late.future()
                .compose(v -> stages.upstreams().open(app, method, path))
                .onSuccess(upstreamRequest -> upstreamRequest.response()
                        .onComplete(answer -> upstreamAnswered.tryComplete(answer.succeeded()))));
        startWithProcessingTimeout();

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/late", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));
        assertEquals(503, response.status());
        proxy.vertx.runOnContext(v -> late.complete()); // the upstream connection turns up, too late

        assertFalse(upstreamAnswered.future().await(10, TimeUnit.SECONDS),
                "the late upstream request must be dropped, not sent");
        assertTrue(proxy.upstream.received().isEmpty());
    }

    private void startWithProcessingTimeout() throws Exception {
        proxy.start(proxy.config("").replace("listen: {host: 127.0.0.1, port: 0}",
                "listen: {host: 127.0.0.1, port: 0, limits: {processingTimeoutSeconds: 1}}"));
    }

    private static UnaryOperator<GatewayStages> broken(String stage, Breakage breakage) {
        return stages -> switch (stage) {
            case "authentication" -> stages.withAuthenticator(authorization -> answer(breakage));
            case "device-evidence" -> stages.withDevices(request -> answer(breakage));
            case "decision" -> stages.withDecider((facts, snapshot, now) -> {
                if (breakage == Breakage.THROWS) {
                    throw new IllegalStateException("injected");
                }
                return null;
            });
            case "assertion" -> stages.withAssertions((identity, app, requestId) -> answer(breakage));
            case "upstream" -> stages.withUpstreams((app, method, path) -> answer(breakage));
            default -> throw new IllegalArgumentException(stage);
        };
    }

    private static <T> Future<T> answer(Breakage breakage) {
        return switch (breakage) {
            case THROWS -> throw new IllegalStateException("injected");
            case FAILS -> Future.failedFuture(new IllegalStateException("injected"));
            case NEVER_ANSWERS -> Promise.<T>promise().future();
        };
    }
}
