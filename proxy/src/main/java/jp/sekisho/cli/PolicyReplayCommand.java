package jp.sekisho.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.audit.replay.AuditReplay;
import jp.sekisho.audit.replay.ReplayReportJson;
import jp.sekisho.audit.replay.ReplayReportText;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.replay.ReplayOptions;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sekisho policy replay}: what a draft policy would have done to the recorded traffic.
 * Exits 3 when some request would get another outcome, so a deploy script can stop there.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay the audit trail's requests under a draft configuration and report which would get "
                + "another outcome. Exit 0 when no outcome changes, 3 when some do, 2 on bad input.")
final class PolicyReplayCommand implements Callable<Integer> {

    /** Some request would be allowed where it was refused, or the reverse, or refused otherwise. */
    static final int OUTCOMES_CHANGE = 3;

    @Mixin
    PolicyCommand.ConfigFile config;

    @Option(names = "--draft", required = true, description = "the draft configuration file, whole")
    Path draft;

    @Option(names = "--audit", description = "the audit directory or one segment file "
            + "(default: the configuration's audit directory)")
    Path audit;

    @Option(names = "--from", description = "requests at or after this time: 2026-11-01 (the day's start), "
            + "2026-11-01T09:00 (both in Asia/Tokyo) or 2026-11-01T09:00:00+09:00")
    String from;

    @Option(names = "--to", description = "requests before this time (exclusive), same forms as --from")
    String to;

    @Option(names = "--app", description = "only requests to this app id (as recorded, or under the draft)")
    String app;

    @Option(names = "--examples", defaultValue = "10", description = "examples of each kind of change (default 10)")
    int examples;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        boolean json = AuditCommand.choice(spec, "--format", format, Map.of("text", false, "json", true));
        ReplayOptions options;
        try {
            options = new ReplayOptions(time("--from", from), time("--to", to), Optional.ofNullable(app), examples);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LoadedConfig current;
        PolicySnapshot draftPolicy;
        try {
            current = load(config.path);
            draftPolicy = load(draft).policy();
        } catch (ConfigException e) {
            return ValidateCommand.INVALID;
        }
        Path trail = audit != null ? audit
                : current.settings().dataPath(config.path).resolve(current.settings().audit().directory());
        if (!Files.exists(trail)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no audit trail at " + trail);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        AuditReplay.Result result = AuditReplay.replay(trail, draftPolicy, options);
        double seconds = Math.max(System.nanoTime() - start, 1) / 1e9;
        double cpuSeconds = Math.max(threads.getCurrentThreadCpuTime() - startCpu, 1) / 1e9;
        ZoneId zone = ZoneId.of(current.settings().audit().zone());
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        if (json) {
            ReplayReportJson.write(result, zone, out);
        } else {
            ReplayReportText.write(result, zone, out);
        }
        // CPU time too: on a shared host it says what the replay costs, whatever else runs
        System.err.printf("replayed %d of %d line(s) in %.2f s: %.0f records/s (%.2f s of CPU: %.0f records per "
                        + "CPU-second)%n", result.report().replayed(), result.lines(), seconds, result.lines() / seconds,
                cpuSeconds, result.lines() / cpuSeconds);
        AuditCommand.warn(new PrintWriter(System.err, true), result.unreadable(), 0);
        return result.report().outcomesChanged() > 0 ? OUTCOMES_CHANGE : 0;
    }

    /** A configuration, or its errors on standard error as file:line:col: path: message. */
    private static LoadedConfig load(Path file) throws ConfigException {
        try {
            return new ConfigLoader(false).load(file);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            throw e;
        }
    }

    private Optional<Instant> time(String option, String text) {
        return text == null ? Optional.empty()
                : Optional.of(ExportFilter.instant(option, text, ExportFilter.DEFAULT_ZONE));
    }
}
