package jp.sekisho.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SchemaCheck;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Reads a configuration file and checks it completely: YAML syntax, the published schema,
 * then the semantics of settings and policy. Either everything is right and a
 * {@link LoadedConfig} comes back, or every error found is reported at once.
 *
 * <p>Blocking (it reads a file): call it off the event loop.
 */
public final class ConfigLoader {

    public static final String SCHEMA_RESOURCE = "sekisho-config.schema.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final SchemaCheck schema = new SchemaCheck(schemaText());
    private final boolean checkTlsFiles;

    /** A loader for start and {@code validate}: every certificate file is loaded and checked too. */
    public ConfigLoader() {
        this(true);
    }

    /**
     * @param checkTlsFiles false for policy reloads: certificates reload on their own, and a
     *                      renewal in progress must not hold up a policy change
     */
    public ConfigLoader(boolean checkTlsFiles) {
        this.checkTlsFiles = checkTlsFiles;
    }

    public LoadedConfig load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "",
                    "cannot read the file: " + e.getMessage())));
        }
        return load(file, bytes);
    }

    public LoadedConfig load(Path file, byte[] bytes) throws ConfigException {
        SourceDocument document = SourceDocument.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
        String hash = sha256(bytes);
        return check(file, document, hash, hash.substring(0, 12));
    }

    /**
     * The settings of {@code file} with the policy of a stored version instead of the file's own
     * sections: how a replica checks a version before serving it, and an administrator's change
     * before it is stored. Errors in the policy are reported at their line in {@code policyText},
     * under the name {@code policyName}.
     *
     * @param version the version label the compiled policy carries (audit records, metrics)
     */
    public LoadedConfig loadWithPolicy(Path file, byte[] settingsBytes, String policyName, String policyText,
                                       String version) throws ConfigException {
        SourceDocument settings = SourceDocument.parse(file.toString(),
                new String(settingsBytes, StandardCharsets.UTF_8));
        SourceDocument policy = SourceDocument.parse(policyName, policyText);
        List<ConfigError> errors = new ArrayList<>();
        if (!policy.root().isObject()) {
            errors.add(policy.error("", "a policy is a mapping of sections: " + String.join(", ",
                    new java.util.TreeSet<>(PolicyCompiler.SECTIONS))));
        } else {
            policy.root().fieldNames().forEachRemaining(name -> {
                if (!PolicyCompiler.SECTIONS.contains(name)) {
                    errors.add(policy.error("/" + name, "'" + name + "' is a setting of the process, not policy:"
                            + " change it in " + file.getFileName() + " and restart"));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return check(file, settings.overlay(policy, PolicyCompiler.SECTIONS), sha256(settingsBytes), version);
    }

    private LoadedConfig check(Path file, SourceDocument document, String hash, String version)
            throws ConfigException {
        List<ConfigError> errors = new ArrayList<>(schema.check(document));
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        SekishoConfig settings;
        try {
            settings = MAPPER.treeToValue(document.root(), SekishoConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(List.of(document.error("", "settings cannot be read: " + e.getMessage())));
        }
        errors.addAll(SettingsCheck.check(settings, document));
        errors.addAll(PostureSettingsCheck.files(settings, document, file));
        if (checkTlsFiles) {
            errors.addAll(TlsSettingsCheck.check(settings, document, file));
        }
        PolicySnapshot policy = null;
        try {
            policy = PolicyCompiler.compile(document, version);
        } catch (ConfigException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new LoadedConfig(file, settings, policy, hash);
    }

    /** The hex SHA-256 of a file's bytes: what tells a reload that the file changed. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The published schema, shipped inside the jar. */
    public static String schemaText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
