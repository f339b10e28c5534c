package jp.sekisho.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import jp.sekisho.admin.PolicyDiff;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.policy.breakout.m365.M365Import;
import jp.sekisho.policy.breakout.m365.M365Options;
import jp.sekisho.policy.breakout.m365.Skipped;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sekisho breakout import-m365}: Microsoft's published Office 365 endpoints into the
 * allowlist. Prints what changes and the diff; writes the configuration only with
 * {@code --apply}, and only when the whole file still loads.
 */
@Command(name = "import-m365", mixinStandardHelpOptions = true,
        description = "Replace the allowlist entries a previous import wrote (source m365:...) with Microsoft's"
                + " current endpoints list, keeping every other entry and line as written. Prints a summary and"
                + " the diff; writes only with --apply. Exit 0 when done (or nothing changes), 2 on bad input.")
final class BreakoutImportM365Command implements Callable<Integer> {

    private static final Set<String> CATEGORIES = Set.of("optimize", "allow", "default");

    @Parameters(paramLabel = "FILE", description = "Microsoft's endpoints JSON, as"
            + " https://endpoints.office.com/endpoints/worldwide?clientrequestid=<uuid> returns it")
    Path endpoints;

    @Option(names = {"-c", "--config"}, required = true, description = "the configuration file to import into")
    Path config;

    @Option(names = "--data-version", description = "the list's version from"
            + " https://endpoints.office.com/version (default: a hash of FILE)")
    String dataVersion;

    @Option(names = "--all", description = "also the sets Microsoft marks optional (required: false)")
    boolean all;

    @Option(names = "--categories", split = ",", description = "only these categories: optimize, allow, default")
    List<String> categories = List.of();

    @Option(names = "--service-areas", split = ",", description = "only these service areas: Exchange,"
            + " SharePoint, Skype, Common")
    List<String> serviceAreas = List.of();

    @Option(names = "--with-addresses", description = "list each set's IP ranges as addresses staff may name"
            + " directly")
    boolean withAddresses;

    @Option(names = "--apply", description = "write the configuration (without it, only show what would change)")
    boolean apply;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (String category : categories) {
            if (!CATEGORIES.contains(category.trim().toLowerCase(java.util.Locale.ROOT))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--categories: '" + category
                        + "' is not optimize, allow or default");
            }
        }
        if (dataVersion != null && !dataVersion.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data-version: '" + dataVersion
                    + "' is not a version such as 2026103000");
        }
        String before;
        byte[] list;
        JsonNode json;
        try {
            before = Files.readString(config, StandardCharsets.UTF_8);
            list = Files.readAllBytes(endpoints);
            json = new ObjectMapper().readTree(list);
        } catch (JsonProcessingException e) {
            System.err.println(endpoints + ": not JSON: " + e.getOriginalMessage());
            return ValidateCommand.INVALID;
        } catch (IOException e) {
            System.err.println("cannot read: " + e.getMessage());
            return ValidateCommand.INVALID;
        }
        String version = dataVersion != null ? dataVersion : M365Import.contentVersion(list);
        M365Import.Plan plan;
        try {
            plan = M365Import.plan(config.toString(), before, json, version,
                    new M365Options(!all, Set.copyOf(categories), Set.copyOf(serviceAreas), withAddresses));
        } catch (ConfigException e) {
            e.errors().forEach(System.err::println);
            return ValidateCommand.INVALID;
        } catch (IllegalArgumentException e) {
            System.err.println(endpoints + ": " + e.getMessage());
            return ValidateCommand.INVALID;
        }
        printSummary(plan, dataVersion == null);
        if (!plan.changesFile()) {
            System.out.println("no changes: " + config + " already holds these entries");
            return 0;
        }
        System.out.print(PolicyDiff.unified(config + " (now)", plan.before(), config + " (imported)", plan.after()));
        try {
            new ConfigLoader(false).load(config, plan.after().getBytes(StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            e.errors().forEach(System.err::println);
            System.err.println("the imported configuration would not load: nothing written");
            return ValidateCommand.INVALID;
        }
        if (!apply) {
            System.out.println("nothing written: run again with --apply to write " + config);
            return 0;
        }
        try {
            if (!Files.readString(config, StandardCharsets.UTF_8).equals(before)) {
                System.err.println(config + " changed while importing: nothing written; run again");
                return ValidateCommand.INVALID;
            }
            replace(config, plan.after());
        } catch (IOException e) {
            System.err.println("cannot write " + config + ": " + e.getMessage());
            return ValidateCommand.INVALID;
        }
        System.out.println("wrote " + config);
        return 0;
    }

    private static void printSummary(M365Import.Plan plan, boolean hashedVersion) {
        System.out.printf("Microsoft 365 endpoints version %s%s: %d sets, %d selected%n", plan.dataVersion(),
                hashedVersion ? " (no --data-version: a hash of the file)" : "", plan.read().sets(),
                plan.read().selected());
        System.out.printf("entries: %d added, %d changed, %d removed, %d unchanged%n", plan.added().size(),
                plan.changed().size(), plan.removed().size(), plan.unchanged());
        list("added", plan.added());
        list("changed", plan.changed());
        list("removed", plan.removed());
        if (!plan.skipped().isEmpty()) {
            System.out.printf("skipped (%d):%n", plan.skipped().size());
            for (Skipped skipped : plan.skipped()) {
                System.out.println("  " + skipped);
            }
        }
    }

    private static void list(String label, List<String> ids) {
        if (!ids.isEmpty()) {
            System.out.println("  " + label + ": " + String.join(", ", ids));
        }
    }

    /**
     * Replaces the file at once (written beside it, forced to disk, renamed over it), keeping its
     * permissions; a symbolic link keeps pointing at the file it named.
     */
    static void replace(Path file, String text) throws IOException {
        Path target = file.toRealPath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
