package jp.sekisho.audit.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.replay.RecordedRequest;
import jp.sekisho.policy.replay.Replay;
import jp.sekisho.policy.replay.ReplayOptions;
import jp.sekisho.policy.replay.ReplayReport;

/**
 * "What would this draft policy have done to the recorded traffic?": reads the audit trail in
 * chain order, one line at a time, and replays each {@code access} record in the period under
 * the draft ({@link Replay}). Memory grows with the users and apps that change, not with the
 * trail. Blocking (it reads files): call it off the event loop.
 */
public final class AuditReplay {

    /**
     * A replay of a trail.
     *
     * @param report     what the draft would have changed
     * @param lines      lines read
     * @param unreadable lines that are not a record this version can read (a torn last line after a crash)
     */
    public record Result(ReplayReport report, long lines, long unreadable) {
    }

    private AuditReplay() {
    }

    /**
     * Replays the trail of {@code auditDirOrFile} (a directory of segments, or one segment file)
     * under {@code draft}: the requests of {@code options}' period and app, with as many examples
     * as it asks for.
     */
    public static Result replay(Path auditDirOrFile, PolicySnapshot draft, ReplayOptions options) throws IOException {
        Reading reading = new Reading(new AccessLineReader(options), Replay.of(draft, options));
        for (Path file : AuditFiles.files(auditDirOrFile)) {
            ByteLines.forEach(file, reading);
        }
        return new Result(reading.replay.report(), reading.lines, reading.unreadable);
    }

    /** Each line read into a request and replayed; the lines that are not records counted. */
    private static final class Reading implements ByteLines.Line {
        final AccessLineReader reader;
        final Replay replay;
        long lines;
        long unreadable;

        Reading(AccessLineReader reader, Replay replay) {
            this.reader = reader;
            this.replay = replay;
        }

        @Override
        public void accept(byte[] buffer, int offset, int length) {
            lines++;
            RecordedRequest request;
            try {
                request = reader.read(buffer, offset, length);
            } catch (IOException | DateTimeException | IllegalArgumentException e) {
                unreadable++; // `audit verify` says what is wrong with it
                return;
            }
            if (request != null) {
                replay.add(request);
            }
        }
    }
}
