package jp.sekisho.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.lint.Finding;
import jp.sekisho.policy.lint.PolicyLint;
import jp.sekisho.policy.simulate.AppExplanation;
import jp.sekisho.policy.simulate.PolicyCases;
import jp.sekisho.policy.simulate.SimulatedRequest;
import jp.sekisho.policy.simulate.Simulation;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.DevicePosture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sekisho policy}: see what a policy does before it applies. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Explain an app's policy, simulate one request, run policy test cases, lint a policy, or "
                + "replay recorded traffic under a draft.",
        subcommands = {PolicyCommand.Explain.class, PolicyCommand.Simulate.class, PolicyCommand.Test.class,
                PolicyCommand.Lint.class, PolicyReplayCommand.class})
final class PolicyCommand implements Runnable {

    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The {@code --config} option every policy subcommand takes. */
    static final class ConfigFile {
        @Option(names = {"-c", "--config"}, required = true, description = "the configuration file")
        Path path;
    }

    /** The configuration's compiled policy; errors are printed as validate prints them. */
    static PolicySnapshot load(Path config) throws ConfigException {
        try {
            return new ConfigLoader(false).load(config).policy();
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            throw e;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Print an app's compiled policy: where it is served, and every rule in decision order.")
    static final class Explain implements Callable<Integer> {
        @Mixin
        ConfigFile config;

        @Parameters(paramLabel = "APP", description = "the app id")
        String appId;

        @Override
        public Integer call() {
            try {
                PolicySnapshot policy = load(config.path);
                Optional<App> app = policy.app(appId);
                if (app.isEmpty()) {
                    System.err.println("no app '" + appId + "'; apps: "
                            + String.join(", ", policy.apps().stream().map(App::id).toList()));
                    return ValidateCommand.INVALID;
                }
                AppExplanation.lines(policy, app.get()).forEach(System.out::println);
                return 0;
            } catch (ConfigException e) {
                return ValidateCommand.INVALID;
            }
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Decide one described request against the policy, and say which rule decided.")
    static final class Simulate implements Callable<Integer> {
        @Mixin
        ConfigFile config;
        @Option(names = "--host", required = true, description = "the host the request is for")
        String host;
        @Option(names = "--path", defaultValue = "/", description = "its canonical path (default /)")
        String path;
        @Option(names = "--method", defaultValue = "GET", description = "its method (default GET)")
        String method;
        @Option(names = "--user", description = "the username; without it, a request with no sign-in")
        String user;
        @Option(names = "--groups", split = ",", description = "the user's groups, comma-separated")
        List<String> groups = List.of();
        @Option(names = "--mfa", split = ",", description = "authentication methods proved (face, otp, pwd, …)")
        List<String> methods = List.of();
        @Option(names = "--auth-age-seconds", description = "how long ago the user authenticated")
        Long authAgeSeconds;
        @Option(names = "--from", description = "the source address; its segment follows from the policy")
        String from;
        @Option(names = "--at", description = "when, as 2026-11-24T10:00:00+09:00 (default now)")
        String at;

        @Override
        public Integer call() {
            PolicySnapshot policy;
            try {
                policy = load(config.path);
            } catch (ConfigException e) {
                return ValidateCommand.INVALID;
            }
            Instant when = at == null ? Clock.systemUTC().instant() : OffsetDateTime.parse(at).toInstant();
            SimulatedRequest request = new SimulatedRequest(host, path, method.toUpperCase(java.util.Locale.ROOT),
                    Optional.ofNullable(user), Set.copyOf(groups), methods,
                    Optional.ofNullable(authAgeSeconds).map(Duration::ofSeconds), Optional.ofNullable(from), when,
                    DevicePosture.unknown());
            Simulation.Result result = Simulation.run(policy, request);
            Decision d = result.decision();
            System.out.println("app:      " + result.app().orElse("(none)"));
            System.out.println("segment:  " + result.segment().orElse("(none)"));
            System.out.println("decision: " + d.outcome().code());
            System.out.println("reasons:  " + String.join(", ", d.reasons().stream().map(r -> r.code()).toList()));
            System.out.println("rule:     " + d.ruleId().orElse("(none)"));
            System.out.println("policy:   " + d.policyVersion());
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run a table of policy test cases. Exit 0 when all pass, 1 when one fails, 2 on a bad file.")
    static final class Test implements Callable<Integer> {
        @Mixin
        ConfigFile config;

        @Parameters(paramLabel = "CASES", description = "the YAML file of cases")
        Path cases;

        @Override
        public Integer call() throws IOException {
            try {
                PolicySnapshot policy = load(config.path);
                List<PolicyCases.Case> read = PolicyCases.read(SourceDocument.parse(cases.toString(),
                        Files.readString(cases, StandardCharsets.UTF_8)), Clock.systemUTC().instant());
                List<PolicyCases.Verdict> verdicts = PolicyCases.run(policy, read);
                long failed = 0;
                for (PolicyCases.Verdict v : verdicts) {
                    if (v.passed()) {
                        System.out.println("PASS  " + v.testCase().name() + ": " + v.got());
                    } else {
                        failed++;
                        System.out.println("FAIL  " + v.testCase().name() + ": expected " + v.expected() + ", got "
                                + v.got());
                    }
                }
                System.out.printf("%d case(s), %d failed (policy %s)%n", verdicts.size(), failed, policy.version());
                return failed == 0 ? 0 : FAILED;
            } catch (ConfigException e) {
                for (ConfigError error : e.errors()) {
                    System.err.println(error);
                }
                return ValidateCommand.INVALID;
            }
        }
    }

    @Command(name = "lint", mixinStandardHelpOptions = true,
            description = "Report rules that can never decide, apps open without MFA, missing owners, loosened"
                    + " models, allowlist entries whose ISMAP registration lapses, and (with --audit) rules nobody"
                    + " used. Exit 1 when a finding reaches --fail-on.")
    static final class Lint implements Callable<Integer> {
        @Mixin
        ConfigFile config;
        @Option(names = "--audit", description = "the audit directory (data/audit) or one segment file, to find rules nobody used")
        Path audit;
        @Option(names = "--days", defaultValue = "90", description = "how far back the audit log counts (default 90)")
        int days;
        @Option(names = "--fail-on", defaultValue = "error",
                description = "the severity that fails the run: error (default), warning or info")
        String failOn;

        @Override
        public Integer call() throws IOException {
            PolicySnapshot policy;
            SourceDocument source;
            try {
                policy = load(config.path);
                source = SourceDocument.parse(config.path.toString(), Files.readString(config.path, StandardCharsets.UTF_8));
            } catch (ConfigException e) {
                return ValidateCommand.INVALID;
            }
            Finding.Severity gate = Finding.Severity.valueOf(failOn.toUpperCase(java.util.Locale.ROOT));
            Instant now = Clock.systemUTC().instant();
            Optional<Set<String>> used = audit == null ? Optional.empty()
                    : Optional.of(AuditedRules.since(audit, now.minus(Duration.ofDays(days))));
            List<Finding> findings = PolicyLint.check(policy, source, used, now);
            findings.forEach(System.out::println);
            long failing = findings.stream().filter(f -> f.severity().compareTo(gate) >= 0).count();
            System.out.printf("%d finding(s), %d at or above %s (policy %s)%n", findings.size(), failing,
                    gate.code(), policy.version());
            return failing == 0 ? 0 : FAILED;
        }
    }
}
