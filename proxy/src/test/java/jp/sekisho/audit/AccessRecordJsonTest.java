package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.OsVersion;
import org.junit.jupiter.api.Test;

/** The JSON line of one access record: what a replay of a draft policy needs is on it, and stays on one line. */
class AccessRecordJsonTest {

    private static final Instant TIME = Instant.parse("2026-11-24T01:00:00Z");

    private static String line(AccessRecord record) throws IOException {
        StringWriter out = new StringWriter();
        new AccessRecordJson(ZoneId.of("Asia/Tokyo")).write(record, out);
        return out.toString();
    }

    private static AccessRecord record(Optional<Identity> user, AccessRecord.Device device, boolean preflight) {
        return record("GET", user, device, preflight);
    }

    private static AccessRecord record(String method, Optional<Identity> user, AccessRecord.Device device,
                                       boolean preflight) {
        return new AccessRecord("req-1", TIME, "10.20.1.2", method, "records.example.lg.jp", "/juminhyo", preflight,
                Optional.of("records"), Optional.empty(), user, Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED), Optional.of("clerks"),
                "v1", 200, 0, 10, 1_000_000, device, Optional.of("lgwan"), Optional.empty(), "trace", "");
    }

    private static Identity sato(String... groups) {
        return new Identity("https://idp.example.lg.jp", "sub-sato", "sato", Set.of(groups), List.of("pwd", "mfa"),
                Set.of("pwd", "otp"), Optional.of("c1"), Optional.of(TIME.minusSeconds(600)), TIME.plusSeconds(3000),
                Map.of("department", List.of("市民課")));
    }

    private static DeviceFacts facts(String vendor, String source) {
        return new DeviceFacts("LG-PC-1", Optional.of(true), DeviceFacts.Compliance.IN_GRACE_PERIOD,
                Optional.of(new DeviceFacts.Edr(vendor, false, DeviceFacts.Risk.MEDIUM)), Optional.of(false),
                Optional.empty(), Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.19045").orElseThrow(), Optional.of(40))),
                Map.of(source, TIME.minusSeconds(3600), "edr", TIME.minusSeconds(60)));
    }

    @Test
    void theUserCarriesGroupsAcrAuthTimeAndExpiry() throws IOException {
        JsonNode user = new ObjectMapper().readTree(line(record(Optional.of(sato("zeimu-ka", "all-staff", "shimin-ka")),
                AccessRecord.Device.NONE, false))).path("user");

        assertEquals(List.of("all-staff", "shimin-ka", "zeimu-ka"), texts(user.path("groups")), "sorted, for diffs");
        assertEquals("c1", user.path("acr").asText());
        assertEquals("2026-11-24T09:50:00+09:00", user.path("authTime").asText(), "in the trail's zone, like time");
        assertEquals("2026-11-24T10:50:00+09:00", user.path("expiresAt").asText());
        assertEquals(List.of("pwd", "mfa"), texts(user.path("amr")), "as the issuer wrote them");
        assertEquals(List.of("otp", "pwd"), texts(user.path("methods")), "sorted");
        assertEquals("市民課", user.at("/claims/department/0").asText());
        assertEquals("sato", user.path("username").asText());
    }

    @Test
    void aUserWithoutGroupsHasAnEmptyListSoOlderRecordsCanBeToldApart() throws IOException {
        JsonNode user = new ObjectMapper().readTree(line(record(Optional.of(sato()), AccessRecord.Device.NONE, false)))
                .path("user");

        assertTrue(user.path("groups").isArray() && user.path("groups").isEmpty(), user.toString());
    }

    @Test
    void theDeviceCarriesThePostureTokensFactsAndATokenProblem() throws IOException {
        AccessRecord.Device device = new AccessRecord.Device(Optional.of("LG-PC-1"), List.of("certificate", "token"),
                "failed", List.of("device-disk-not-encrypted"), Optional.of(facts("Defender", "mdm")),
                Optional.empty());
        JsonNode facts = new ObjectMapper().readTree(line(record(Optional.of(sato()), device, false)))
                .at("/device/facts");

        assertTrue(facts.path("managed").asBoolean());
        assertEquals("in-grace-period", facts.path("compliance").asText());
        assertEquals("Defender", facts.at("/edr/vendor").asText());
        assertFalse(facts.at("/edr/running").asBoolean());
        assertEquals("medium", facts.at("/edr/risk").asText());
        assertFalse(facts.path("diskEncrypted").asBoolean());
        assertTrue(facts.path("screenLock").isMissingNode(), "an unknown fact is left out, never guessed");
        assertEquals("windows", facts.at("/os/platform").asText());
        assertEquals("10.0.19045", facts.at("/os/version").asText());
        assertEquals(40, facts.at("/os/patchAgeDays").asInt());
        assertEquals("2026-11-24T09:00:00+09:00", facts.at("/observedAt/mdm").asText());
        assertEquals("2026-11-24T09:59:00+09:00", facts.at("/observedAt/edr").asText());

        AccessRecord.Device refused = new AccessRecord.Device(Optional.of("LG-PC-1"), List.of("certificate"),
                "failed", List.of("device-token-expired"), Optional.empty(), Optional.of("device-token-expired"));
        JsonNode withProblem = new ObjectMapper().readTree(line(record(Optional.empty(), refused, false)));
        assertEquals("device-token-expired", withProblem.at("/device/tokenProblem").asText());
        assertTrue(withProblem.at("/device/facts").isMissingNode());
        assertTrue(withProblem.path("user").isMissingNode(), "nobody signed in");
    }

    @Test
    void everyOptionsRequestSaysWhetherItWasACorsPreflight() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode preflight = json.readTree(line(record("OPTIONS", Optional.empty(), AccessRecord.Device.NONE, true)));
        assertTrue(preflight.path("corsPreflight").asBoolean());
        JsonNode plainOptions = json.readTree(line(record("OPTIONS", Optional.empty(), AccessRecord.Device.NONE,
                false)));
        assertTrue(plainOptions.path("corsPreflight").isBoolean() && !plainOptions.path("corsPreflight").asBoolean());
        assertTrue(json.readTree(line(record("GET", Optional.empty(), AccessRecord.Device.NONE, false)))
                .path("corsPreflight").isMissingNode(), "no other method can be one");
    }

    @Test
    void hostileValuesInGroupsAndDeviceFactsStayOnOneLine() throws IOException {
        String hostile = "x\r\ny\u2028z\u2029";
        AccessRecord.Device device = new AccessRecord.Device(Optional.of("LG-PC-1"), List.of("token"), "passed",
                List.of(), Optional.of(facts(hostile, "mdm" + hostile)), Optional.empty());
        String line = line(record(Optional.of(sato(hostile)), device, false));

        assertEquals(line.length() - 1, line.indexOf('\n'), "one line, ended by its newline");
        assertFalse(line.contains("\r") || line.contains("\u2028") || line.contains("\u2029"), line);
        JsonNode parsed = new ObjectMapper().readTree(line);
        assertEquals(hostile, parsed.at("/user/groups/0").asText(), "escaped, not altered");
        assertEquals(hostile, parsed.at("/device/facts/edr/vendor").asText());
        assertTrue(parsed.at("/device/facts/observedAt").has("mdm" + hostile), "field names are escaped too");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
