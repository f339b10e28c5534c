package jp.sekisho.audit.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jp.sekisho.audit.export.ExportRecord;

/**
 * Reads the trail once, line by line, and accumulates every section of a {@link Review}.
 * Memory grows with the distinct users × apps and the days of the period, plus the operators'
 * actions and the trail's own records in it; never with the requests. A request is counted once:
 * by its {@code access} record, or, when the process stopped during it, by its {@code decision}
 * record (held only until its access record turns up, as the export does).
 */
public final class ReviewCollector {

    /** The actions {@code QuarantineActions} writes ({@code hold} is accepted as another name for a quarantine). */
    static final Set<String> QUARANTINE_ACTIONS = Set.of("quarantine", "hold", "release");
    static final Set<String> POLICY_ACTIONS = Set.of("policy-apply", "policy-refuse");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReviewPeriod period;
    private final BusinessHours hours;
    private final Review.Rules rules;
    private final UserAppTally users;
    private final DenialTally denials;
    private final Map<String, ExportRecord> waiting = new LinkedHashMap<>();
    private final List<Review.AdminAction> quarantines = new ArrayList<>();
    private final List<Review.AdminAction> policyChanges = new ArrayList<>();
    private final List<Review.Recovery> recoveries = new ArrayList<>();
    private final List<Review.Purge> purges = new ArrayList<>();
    private long requests;
    private long allowed;
    private long denied;
    private long stepUp;
    private long outside;
    private long outsideAllowed;
    private long linesRead;
    private long unreadable;
    private long incomplete;

    public ReviewCollector(ReviewPeriod period, BusinessHours hours, Review.Rules rules) {
        this.period = period;
        this.hours = hours;
        this.rules = rules;
        this.users = new UserAppTally(rules);
        this.denials = new DenialTally(rules);
    }

    /** Reads every line of {@code lines} (the trail in chain order) and returns the review. */
    public static Review read(Stream<String> lines, String trail, ReviewPeriod period, BusinessHours hours,
                              Review.Rules rules, Instant generated) throws IOException {
        ReviewCollector collector = new ReviewCollector(period, hours, rules);
        try {
            lines.forEach(collector::accept);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return collector.finish(trail, generated);
    }

    /** One line of the trail. */
    public void accept(String line) {
        linesRead++;
        JsonNode node;
        try {
            node = JSON.readTree(line);
            switch (node.path("kind").asText()) {
                case "recovery" -> recovery(node);
                case "purge" -> purge(node);
                default -> record(ExportRecord.of(node));
            }
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            unreadable++; // a torn line after a crash, or damage; verify says which
        }
    }

    private void record(ExportRecord record) {
        if (record == null) {
            return; // a checkpoint, or a kind a later version adds
        }
        switch (record.kind()) {
            case ExportRecord.DECISION -> waiting.put(record.id(), record);
            case ExportRecord.ACCESS -> {
                waiting.remove(record.id());
                request(record);
            }
            case ExportRecord.BREAKOUT -> {
                // not a request to an app; 'audit shadow-it' reviews these
            }
            default -> admin(record);
        }
    }

    private void request(ExportRecord record) {
        Instant time = record.time().toInstant();
        if (!period.contains(time)) {
            return;
        }
        ExportRecord.Request r = record.request();
        String decision = r.decision();
        boolean isAllowed = "allow".equals(decision);
        boolean isOutside = !hours.contains(time);
        requests++;
        allowed += isAllowed ? 1 : 0;
        denied += "deny".equals(decision) || "unauthenticated".equals(decision) ? 1 : 0;
        stepUp += "step-up".equals(decision) ? 1 : 0;
        outside += isOutside ? 1 : 0;
        outsideAllowed += isOutside && isAllowed ? 1 : 0;
        String user = r.username() != null ? r.username() : r.subject();
        users.add(user, r.app(), record.id(), isAllowed, isOutside);
        denials.add(period.day(time), r.app(), decision, r.reasons());
    }

    private void admin(ExportRecord record) {
        if (!period.contains(record.time().toInstant())) {
            return;
        }
        ExportRecord.Admin a = record.admin();
        Review.AdminAction action = new Review.AdminAction(record.time(), record.id(), a.operator(), record.source(),
                a.action(), a.targetKind(), a.target(), a.reason());
        if (QUARANTINE_ACTIONS.contains(a.action())) {
            quarantines.add(action);
        } else if (POLICY_ACTIONS.contains(a.action())) {
            policyChanges.add(action);
        }
    }

    private void recovery(JsonNode node) {
        OffsetDateTime time = OffsetDateTime.parse(node.path("time").asText());
        if (period.contains(time.toInstant())) {
            recoveries.add(new Review.Recovery(time, node.path("seq").asLong(), text(node, "segment"),
                    node.path("cutBytes").asLong(), text(node, "reason")));
        }
    }

    private void purge(JsonNode node) {
        OffsetDateTime time = OffsetDateTime.parse(node.path("time").asText());
        if (period.contains(time.toInstant())) {
            List<String> segments = new ArrayList<>();
            node.path("segments").forEach(s -> segments.add(s.asText()));
            purges.add(new Review.Purge(time, node.path("seq").asLong(), segments, node.path("throughSeq").asLong(),
                    node.path("retentionDays").asLong()));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** The review of everything read; the decisions still waiting are requests the process stopped during. */
    public Review finish(String trail, Instant generated) {
        for (ExportRecord decision : waiting.values()) {
            if (period.contains(decision.time().toInstant())) {
                incomplete++;
                request(decision);
            }
        }
        waiting.clear();
        return new Review(trail, period, generated, hours, rules,
                new Review.Totals(requests, allowed, denied, stepUp, outside, outsideAllowed),
                users.outsideHours(), users.apps(), users.heavyUsers(), denials.days(), denials.reasons(),
                denials.mfa(), quarantines, policyChanges,
                new Review.Health(recoveries, purges, linesRead, unreadable, incomplete));
    }
}
