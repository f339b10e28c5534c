package jp.sekisho.audit.breakout;

import static jp.sekisho.audit.TestTrail.breakout;
import static jp.sekisho.audit.breakout.ShadowTrail.jst;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.export.CsvExport;
import jp.sekisho.audit.review.BusinessHours;
import jp.sekisho.audit.review.Review;
import jp.sekisho.audit.review.ReviewCollector;
import jp.sekisho.audit.review.ReviewPeriod;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shadow-IT tally of {@link ShadowTrail}, and its CSV and JSON forms. */
class ShadowItTest {

    @TempDir
    static Path root;

    static ShadowTrail trail;
    static ShadowIt november;

    @BeforeAll
    static void writeTrail() throws Exception {
        trail = ShadowTrail.write(root);
        november = trail.november();
    }

    private static List<String> labels(ShadowIt report) {
        return report.destinations().stream().map(ShadowIt.Destination::label).toList();
    }

    private static ShadowIt.Destination dropbox(ShadowIt report) {
        return report.destinations().stream().filter(d -> d.host().equals("www.dropbox.com")).findFirst()
                .orElseThrow();
    }

    @Test
    void ranksDestinationsByRefusalsThenDistinctUsersWithThePortWhenItIsNot443() {
        assertEquals(List.of("www.dropbox.com", "drive.google.com", "files.example.com:8443", "203.0.113.7"),
                labels(november), "4 and 2 refusals, then 1 each: one user before none");
        assertEquals(List.of(4L, 2L, 1L, 1L),
                november.destinations().stream().map(ShadowIt.Destination::refusals).toList());
    }

    @Test
    void countsDistinctUsersAndDevicesWithTheHostsCaseFolded() {
        ShadowIt.Destination dropbox = dropbox(november);
        assertEquals(4, dropbox.refusals(), "WWW.DROPBOX.COM is the same destination");
        assertEquals(3, dropbox.users(), "sato twice, suzuki, tanaka");
        assertEquals(3, dropbox.devices());
        ShadowIt.Destination literal = november.destinations().get(3);
        assertEquals(0, literal.users(), "a refusal with no user names no one");
        assertEquals(0, literal.devices());
        assertEquals(1, november.destinations().get(1).users(), "tanaka twice is one user");
    }

    @Test
    void attributesEachRefusalToItsSegmentAndToEveryGroupOfItsUser() {
        ShadowIt.Destination dropbox = dropbox(november);
        assertEquals(List.of(new ShadowIt.Share("lgwan", 2), new ShadowIt.Share("internet", 1),
                new ShadowIt.Share("telework", 1)), dropbox.segments());
        assertEquals(List.of(new ShadowIt.Share("shimin-ka", 3), new ShadowIt.Share("kikaku-ka", 1),
                new ShadowIt.Share("zeimu-ka", 1)), dropbox.groups(), "suzuki counts for shimin-ka and zeimu-ka");
        assertEquals(List.of(new ShadowIt.Slice("lgwan", 4, 3, 2), new ShadowIt.Slice("telework", 3, 2, 1),
                new ShadowIt.Slice("internet", 1, 1, 1)), november.segments());
        assertEquals(List.of(new ShadowIt.Slice("shimin-ka", 4, 2, 2), new ShadowIt.Slice("kikaku-ka", 3, 2, 1),
                new ShadowIt.Slice("zeimu-ka", 1, 1, 1)), november.groups(), "the refusal with no user is in no group");
    }

    @Test
    void thePeriodIncludesItsStartAndExcludesItsEnd() throws Exception {
        ShadowIt.Destination dropbox = dropbox(november);
        assertEquals(jst("2026-11-02T09:00"), dropbox.firstSeen(), "b0 on 10-31 is before the period");
        assertEquals(jst("2026-11-04T09:00"), dropbox.lastSeen(), "b15 at 12-01 00:00 is the period's end");
        ShadowIt narrow = trail.report(ReviewPeriod.parse("2026-11-03T11:00", "2026-11-05T09:00"), Optional.empty(),
                20);
        assertEquals(List.of("www.dropbox.com"), labels(narrow), "b5 at 09:00 on 11-05 is the end: out");
        assertEquals(2, narrow.destinations().get(0).refusals(), "b3 at the start, and b4");
    }

    @Test
    void onlyRefusalsWhoseFirstReasonIsTheAllowlistAreRankedTheRestAreCountedByReason() {
        ShadowIt.Totals t = november.totals();
        assertEquals(new ShadowIt.Totals(14, 1, 8, 3, 1, 1, 4, 3, 3), t,
                "b1-b14: the app request r1 is not a breakout record");
        assertEquals(List.of(new ShadowIt.ReasonCount("ismap-expired", 2),
                new ShadowIt.ReasonCount("device-posture-missing", 1)), november.otherRefusals(),
                "b10's later destination-not-allowed does not make it an allowlist refusal");
        assertFalse(labels(november).contains("app.box.com"));
        assertEquals(new ShadowIt.Reading(19, 1), november.reading(), "17 records, the closing checkpoint, a torn line");
    }

    @Test
    void thePeriodicReviewReadsTheSameTrailAndCountsOnlyTheAppRequest() throws Exception {
        Review review;
        try (Stream<String> lines = AuditFiles.lines(trail.dir)) {
            review = ReviewCollector.read(lines, trail.dir.toString(), ShadowTrail.NOVEMBER,
                    BusinessHours.officeHours(), Review.Rules.DEFAULT, ShadowTrail.GENERATED);
        }
        assertEquals(1, review.totals().requests(), "r1; a tunnel is neither a request to an app nor an admin action");
        assertTrue(review.quarantines().isEmpty() && review.policyChanges().isEmpty());
    }

    @Test
    void aSegmentNarrowsEveryCount() throws Exception {
        ShadowIt lgwan = trail.report(ShadowTrail.NOVEMBER, Optional.of("lgwan"), 20);
        assertEquals(List.of("www.dropbox.com", "files.example.com:8443", "203.0.113.7"), labels(lgwan));
        assertEquals(2, lgwan.destinations().get(0).refusals());
        assertEquals(List.of(new ShadowIt.Slice("lgwan", 4, 3, 2)), lgwan.segments());
        assertEquals(new ShadowIt.Totals(9, 1, 4, 3, 0, 1, 3, 1, 2), lgwan.totals());
    }

    @Test
    void topCutsEveryRankedTableButNotTheTotals() throws Exception {
        ShadowIt one = trail.report(ShadowTrail.NOVEMBER, Optional.empty(), 1);
        assertEquals(List.of("www.dropbox.com"), labels(one));
        assertEquals(1, one.segments().size());
        assertEquals("shimin-ka", one.groups().get(0).name());
        assertEquals(4, one.totals().destinations());
    }

    @Test
    void theCsvHasABomEverySectionAndOneRowPerDestination() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShadowItReport.csv(november, CsvExport.Headers.JA, CsvExport.Encoding.UTF_8, out);

        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(out.toByteArray(), 3));
        String text = out.toString(StandardCharsets.UTF_8).substring(1);
        List<String> lines = List.of(text.split("\r\n"));
        assertEquals("シャドーIT レポート (許可リストにない宛先への接続)", lines.get(0));
        for (String section : List.of("■ 概要", "■ 1. 拒否の多い宛先", "■ 2. ネットワーク区分別", "■ 3. グループ別",
                "■ 4. その他の拒否")) {
            assertTrue(lines.contains(section), section);
        }
        int header = lines.indexOf("宛先,拒否件数,利用者数,端末数,初回,最終,主なネットワーク区分,主なグループ");
        assertTrue(header > 0, text);
        assertEquals("www.dropbox.com,4,3,3,2026-11-02 09:00:00,2026-11-04 09:00:00,"
                + "\"lgwan (2), internet (1), telework (1)\",\"shimin-ka (3), kikaku-ka (1), zeimu-ka (1)\"",
                lines.get(header + 1));
        assertEquals("203.0.113.7,1,0,0,2026-11-06 11:00:00,2026-11-06 11:00:00,lgwan (1),", lines.get(header + 4));
        assertTrue(lines.contains("ismap-expired,2"), text);
        assertFalse(text.replace("\r\n", "").contains("\n"), "CRLF only");
    }

    @Test
    void theCsvGuardsAHostileDestinationAndCp932ReadsBack(@TempDir Path elsewhere) throws Exception {
        ShadowTrail hostile = ShadowTrail.write(elsewhere, List.of(breakout("h1", jst("2026-11-02T09:00"), "佐藤",
                Set.of("=1+1"), "lgwan", "dev-1", "=cmd|' /C calc'!A0", 0, Outcome.DENY,
                Reason.DESTINATION_NOT_ALLOWED)), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShadowItReport.csv(hostile.november(), CsvExport.Headers.EN, CsvExport.Encoding.CP932, out);

        String text = out.toString(Charset.forName("windows-31j"));
        assertTrue(text.startsWith("Shadow IT report (connections to destinations not on the allowlist)\r\n"), text);
        assertTrue(text.contains("\r\n'=cmd|' /c calc'!a0:0,1,1,1,"), "a formula is text, lower-cased, port 0: "
                + text);
        assertTrue(text.contains("\r\n'=1+1,1,1,1\r\n"), "a group named like a formula too: " + text);
    }

    @Test
    void theJsonIsOneObjectWithEnglishKeysAndOffsetTimes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShadowItReport.json(november, out);

        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        assertEquals("shadow-it", json.path("report").asText());
        assertEquals("2026-11-01T00:00:00+09:00", json.at("/period/from").asText());
        assertEquals("2026-12-01T00:00:00+09:00", json.at("/period/to").asText());
        assertTrue(json.path("segment").isNull());
        assertEquals(8, json.at("/totals/notListed").asLong());
        assertEquals(4, json.path("destinations").size());
        JsonNode first = json.path("destinations").get(0);
        assertEquals("www.dropbox.com", first.path("destination").asText());
        assertEquals(443, first.path("port").asInt());
        assertEquals(4, first.path("refusals").asLong());
        assertEquals(3, first.path("users").asInt());
        assertEquals("2026-11-02T09:00:00+09:00", first.path("firstSeen").asText());
        assertEquals("lgwan", first.at("/segments/0/name").asText());
        assertEquals("files.example.com:8443", json.at("/destinations/2/destination").asText());
        assertEquals(8443, json.at("/destinations/2/port").asInt());
        assertEquals("shimin-ka", json.at("/groups/0/group").asText());
        assertEquals(2, json.at("/groups/0/users").asInt());
        assertEquals("lgwan", json.at("/segments/0/segment").asText());
        assertEquals("ismap-expired", json.at("/otherRefusals/0/reason").asText());
        assertEquals(1, json.at("/reading/unreadable").asLong());
    }
}
