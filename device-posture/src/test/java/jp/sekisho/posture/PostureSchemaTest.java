package jp.sekisho.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jp.sekisho.posture.DeviceFacts.Compliance;
import jp.sekisho.posture.DeviceFacts.Edr;
import jp.sekisho.posture.DeviceFacts.OperatingSystem;
import jp.sekisho.posture.DeviceFacts.Risk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published schemas and examples in {@code docs/} agree with {@link PostureJson}: what the
 * writer produces the schema accepts, what the schema rejects the reader rejects too, and the
 * examples mean what they say. Runs with the module directory as working directory.
 */
class PostureSchemaTest {

    private static final Path SCHEMAS = Path.of("..", "docs", "schemas");
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");
    private static final String BASE = "https://sekisho.example/schemas/";
    private static final String TOKEN_SCHEMA = "device-posture-token.schema.json";
    private static final String RECORDS_SCHEMA = "device-records.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchemaFactory factory;
    private static SchemaValidatorsConfig config;
    private static JsonSchema tokenSchema;
    private static JsonSchema recordsSchema;

    @BeforeAll
    static void loadSchemas() {
        assertTrue(Files.isDirectory(SCHEMAS), "docs/schemas not found from " + Path.of("").toAbsolutePath());
        // The schemas refer to each other by their $id; serve those ids from the repository, never the network.
        String folder = SCHEMAS.toAbsolutePath().normalize().toUri().toString();
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, folder)));
        config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .formatAssertionsEnabled(true)
                .build();
        tokenSchema = factory.getSchema(SchemaLocation.of(BASE + TOKEN_SCHEMA), config);
        recordsSchema = factory.getSchema(SchemaLocation.of(BASE + RECORDS_SCHEMA), config);
    }

    // ---- the schema files themselves

    @ParameterizedTest
    @ValueSource(strings = {TOKEN_SCHEMA, RECORDS_SCHEMA})
    void schemaIsValidDraft202012WithItsPublishedId(String file) throws IOException {
        JsonNode schema = readJson(SCHEMAS.resolve(file));
        assertEquals(BASE + file, schema.path("$id").asText());
        assertEquals(SchemaId.V202012, schema.path("$schema").asText());
        JsonSchema meta = factory.getSchema(SchemaLocation.of(SchemaId.V202012), config);
        assertEquals(List.of(), messages(meta.validate(schema)));
    }

    @ParameterizedTest
    @ValueSource(strings = {TOKEN_SCHEMA, RECORDS_SCHEMA})
    void everyPropertyAndDefinitionHasTitleAndDescription(String file) throws IOException {
        List<String> undocumented = new ArrayList<>();
        findUndocumented(readJson(SCHEMAS.resolve(file)), "", undocumented);
        assertEquals(List.of(), undocumented);
    }

    private static void findUndocumented(JsonNode node, String pointer, List<String> out) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findUndocumented(node.get(i), pointer + "/" + i, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (String container : List.of("properties", "$defs")) {
            JsonNode named = node.get(container);
            if (named != null && named.isObject()) {
                named.fields().forEachRemaining(e -> {
                    if (e.getValue().path("title").asText("").isBlank()
                            || e.getValue().path("description").asText("").isBlank()) {
                        out.add(pointer + "/" + container + "/" + e.getKey());
                    }
                });
            }
        }
        node.fields().forEachRemaining(e -> findUndocumented(e.getValue(), pointer + "/" + e.getKey(), out));
    }

    // ---- the examples

    @Test
    void examplesValidate() throws IOException {
        assertEquals(List.of(), messages(tokenSchema.validate(exampleClaims())));
        assertEquals(List.of(), messages(recordsSchema.validate(readJson(EXAMPLES.resolve("device-records.json")))));
    }

    @Test
    void readerTakesTheExamplePostureAsWritten() throws IOException {
        ObjectNode claims = exampleClaims();
        DeviceFacts facts = PostureJson.read(claims.path("sub").asText(), claims.get("posture"));
        assertEquals(lgPc0001(), facts);
    }

    @Test
    void readerTakesTheExampleRecordsAsWritten() throws IOException {
        JsonNode records = readJson(EXAMPLES.resolve("device-records.json"));
        List<DeviceFacts> read = new ArrayList<>();
        records.forEach(record -> read.add(PostureJson.readRecord(record)));
        DeviceFacts pc2 = new DeviceFacts("LG-PC-0002", Optional.of(true), Compliance.IN_GRACE_PERIOD,
                Optional.of(new Edr("Microsoft Defender for Endpoint", true, Risk.MEDIUM)), Optional.of(true),
                Optional.of(true),
                Optional.of(new OperatingSystem("windows", new OsVersion(new int[] {10, 0, 22631, 4460}),
                        Optional.of(47))),
                Map.of("edr", Instant.parse("2026-11-16T23:00:00Z"), "mdm", Instant.parse("2026-11-16T22:00:00Z")));
        DeviceFacts tablet = new DeviceFacts("LG-TAB-0003", Optional.of(true), Compliance.UNKNOWN, Optional.empty(),
                Optional.of(true), Optional.empty(),
                Optional.of(new OperatingSystem("ios", new OsVersion(new int[] {26, 1}), Optional.empty())),
                Map.of("mdm", Instant.parse("2026-11-16T22:15:00Z")));
        assertEquals(List.of(lgPc0001(), pc2, tablet), read);
    }

    /** The Windows 11 LGWAN terminal of both examples, written out by hand. */
    private static DeviceFacts lgPc0001() {
        return new DeviceFacts("LG-PC-0001", Optional.of(true), Compliance.COMPLIANT,
                Optional.of(new Edr("Microsoft Defender for Endpoint", true, Risk.NONE)), Optional.of(true),
                Optional.of(true),
                Optional.of(new OperatingSystem("windows", new OsVersion(new int[] {10, 0, 26100, 7171}),
                        Optional.of(12))),
                Map.of("mdm", Instant.parse("2026-11-17T08:41:12+09:00"), "edr", Instant.parse("2026-11-16T23:58:30Z")));
    }

    // ---- the writer's output against the schemas

    static Stream<DeviceFacts> sampleFacts() {
        return Stream.of(
                lgPc0001(),
                DeviceFacts.unknown("LG-PC-0099"),
                new DeviceFacts("MAC-0042", Optional.of(false), Compliance.NONCOMPLIANT,
                        Optional.of(new Edr("CrowdStrike Falcon", false, Risk.UNKNOWN)), Optional.empty(),
                        Optional.of(false),
                        Optional.of(new OperatingSystem("macos", new OsVersion(new int[] {15, 7, 1}), Optional.empty())),
                        Map.of("edr", Instant.parse("2026-11-16T12:00:00Z"))),
                new DeviceFacts("srv-linux-01", Optional.empty(), Compliance.IN_GRACE_PERIOD,
                        Optional.of(new Edr("", true, Risk.HIGH)), Optional.of(true), Optional.empty(),
                        Optional.of(new OperatingSystem("linux", new OsVersion(new int[] {6, 8}), Optional.of(0))),
                        Map.of("mdm", Instant.EPOCH, "edr", Instant.parse("2026-11-17T00:00:00Z"))));
    }

    @ParameterizedTest
    @MethodSource("sampleFacts")
    void writerOutputInATokenValidates(DeviceFacts facts) throws IOException {
        ObjectNode claims = exampleClaims();
        claims.put("sub", facts.deviceId());
        claims.set("posture", PostureJson.write(facts, true));
        assertEquals(List.of(), messages(tokenSchema.validate(claims)));
    }

    @ParameterizedTest
    @MethodSource("sampleFacts")
    void writerOutputAsARecordValidates(DeviceFacts facts) {
        ArrayNode file = JSON.createArrayNode().add(PostureJson.writeRecord(facts));
        assertEquals(List.of(), messages(recordsSchema.validate(file)));
    }

    // ---- round trips

    @ParameterizedTest
    @MethodSource("sampleFacts")
    void writeThenReadGivesEqualFacts(DeviceFacts facts) {
        assertEquals(facts, PostureJson.read(facts.deviceId(), PostureJson.write(facts, true)));
        assertEquals(facts, PostureJson.read(facts.deviceId(), PostureJson.write(facts, false)));
        assertEquals(facts, PostureJson.readRecord(PostureJson.writeRecord(facts)));
    }

    @Test
    void roundTripKeepsVersionEqualityNotSpelling() {
        // 10.0 and 10 are the same version; facts carrying either are equal.
        DeviceFacts written = withVersion(OsVersion.parse("10.0").orElseThrow());
        DeviceFacts read = PostureJson.read("LG-PC-0001", PostureJson.write(written, true));
        assertEquals(written, read);
        assertEquals(withVersion(new OsVersion(new int[] {10})), read);
        assertEquals("10.0", PostureJson.write(written, true).at("/os/version").asText());
        assertFalse(withVersion(new OsVersion(new int[] {10, 1})).equals(read));
    }

    private static DeviceFacts withVersion(OsVersion version) {
        return new DeviceFacts("LG-PC-0001", Optional.empty(), Compliance.UNKNOWN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(new OperatingSystem("windows", version, Optional.empty())), Map.of());
    }

    @Test
    void tokensCarryWholeSecondsRecordsKeepFractions() {
        Instant seen = Instant.parse("2026-11-17T00:00:00.750Z");
        DeviceFacts facts = new DeviceFacts("LG-PC-0001", Optional.empty(), Compliance.UNKNOWN, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("mdm", seen));
        assertEquals(Map.of("mdm", Instant.parse("2026-11-17T00:00:00Z")),
                PostureJson.read("LG-PC-0001", PostureJson.write(facts, true)).observedAt());
        assertEquals(facts, PostureJson.readRecord(PostureJson.writeRecord(facts)));
    }

    // ---- what the schema and the reader refuse

    /** A change to a valid token's claims that makes it invalid, and the JSON pointer the schema must blame. */
    record Breakage(String name, Consumer<ObjectNode> change, String pointer) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Breakage> brokenClaims() {
        return Stream.of(
                new Breakage("missing sub", c -> c.remove("sub"), "/sub"),
                new Breakage("blank sub", c -> c.put("sub", "   "), "/sub"),
                new Breakage("sub of 257 characters", c -> c.put("sub", "x".repeat(257)), "/sub"),
                new Breakage("missing exp", c -> c.remove("exp"), "/exp"),
                new Breakage("iat as ISO string", c -> c.put("iat", "2026-11-17T00:00:00Z"), "/iat"),
                new Breakage("empty aud array", c -> c.putArray("aud"), "/aud"),
                new Breakage("missing posture", c -> c.remove("posture"), "/posture"),
                new Breakage("thumbprint of 42 characters", c -> thumbprint(c, 42), "/cnf/x5t#S256"),
                new Breakage("thumbprint of 44 characters", c -> thumbprint(c, 44), "/cnf/x5t#S256"),
                new Breakage("thumbprint with padding", c -> ((ObjectNode) c.get("cnf")).put("x5t#S256",
                        c.at("/cnf/x5t#S256").asText() + "="), "/cnf/x5t#S256"),
                new Breakage("thumbprint in standard base64", c -> ((ObjectNode) c.get("cnf")).put("x5t#S256",
                        "+" + c.at("/cnf/x5t#S256").asText().substring(1)), "/cnf/x5t#S256"),
                new Breakage("cnf without thumbprint", c -> c.putObject("cnf"), "/cnf"),
                new Breakage("observed_at as ISO string in a token",
                        c -> posture(c).withObjectProperty("observed_at").put("mdm", "2026-11-16T23:41:12Z"),
                        "/posture/observed_at/mdm"),
                new Breakage("posture without compliance", c -> posture(c).remove("compliance"), "/posture/compliance"),
                new Breakage("platform outside the list", c -> posture(c).withObjectProperty("os").put("platform", "windows11"),
                        "/posture/os/platform"));
    }

    private static void thumbprint(ObjectNode claims, int length) {
        String valid = claims.at("/cnf/x5t#S256").asText();
        ((ObjectNode) claims.get("cnf")).put("x5t#S256", (valid + valid).substring(0, length));
    }

    private static ObjectNode posture(ObjectNode claims) {
        return (ObjectNode) claims.get("posture");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenClaims")
    void schemaRejectsBrokenClaims(Breakage breakage) throws IOException {
        ObjectNode claims = exampleClaims();
        breakage.change().accept(claims);
        assertBlamed(tokenSchema.validate(claims), breakage.pointer());
    }

    /**
     * A wrong posture value: the schema must blame its pointer and the reader must name the
     * field (dotted, as in its messages).
     */
    record WrongPosture(String name, Consumer<ObjectNode> change, String pointer, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<WrongPosture> wrongPostures() {
        return Stream.of(
                new WrongPosture("bad compliance value", p -> p.put("compliance", "ok"), "/compliance", "compliance"),
                new WrongPosture("compliance as number", p -> p.put("compliance", 1), "/compliance", "compliance"),
                new WrongPosture("managed as string", p -> p.put("managed", "yes"), "/managed", "managed"),
                new WrongPosture("disk_encrypted as number", p -> p.put("disk_encrypted", 1),
                        "/disk_encrypted", "disk_encrypted"),
                new WrongPosture("screen_lock as string", p -> p.put("screen_lock", "true"),
                        "/screen_lock", "screen_lock"),
                new WrongPosture("edr as string", p -> p.put("edr", "Defender"), "/edr", "edr"),
                new WrongPosture("edr.running as string", p -> p.withObjectProperty("edr").put("running", "true"),
                        "/edr/running", "edr.running"),
                new WrongPosture("edr.vendor as number", p -> p.withObjectProperty("edr").put("vendor", 42),
                        "/edr/vendor", "edr.vendor"),
                new WrongPosture("bad edr.risk value", p -> p.withObjectProperty("edr").put("risk", "severe"),
                        "/edr/risk", "edr.risk"),
                new WrongPosture("os as string", p -> p.put("os", "windows"), "/os", "os"),
                new WrongPosture("os without platform", p -> p.withObjectProperty("os").remove("platform"),
                        "/os/platform", "os.platform"),
                new WrongPosture("os.version with a letter", p -> p.withObjectProperty("os").put("version", "10.a"),
                        "/os/version", "os.version"),
                new WrongPosture("os.version as number", p -> p.withObjectProperty("os").put("version", 10),
                        "/os/version", "os.version"),
                new WrongPosture("negative patch_age_days", p -> p.withObjectProperty("os").put("patch_age_days", -1),
                        "/os/patch_age_days", "os.patch_age_days"),
                new WrongPosture("patch_age_days as string", p -> p.withObjectProperty("os").put("patch_age_days", "12"),
                        "/os/patch_age_days", "os.patch_age_days"),
                new WrongPosture("fractional patch_age_days", p -> p.withObjectProperty("os").put("patch_age_days", 1.5),
                        "/os/patch_age_days", "os.patch_age_days"),
                new WrongPosture("observed_at as array", p -> p.putArray("observed_at"), "/observed_at", "observed_at"),
                new WrongPosture("observed_at time as boolean", p -> p.withObjectProperty("observed_at").put("mdm", true),
                        "/observed_at/mdm", "observed_at.mdm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongPostures")
    void schemaAndReaderRejectTheSameWrongPosture(WrongPosture wrong) throws IOException {
        ObjectNode claims = exampleClaims();
        wrong.change().accept(posture(claims));
        assertBlamed(tokenSchema.validate(claims), "/posture" + wrong.pointer());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostureJson.read("LG-PC-0001", claims.get("posture")));
        Pattern naming = Pattern.compile("(?<![\\w.])" + Pattern.quote(wrong.field()) + "(?![\\w.])");
        assertTrue(naming.matcher(e.getMessage()).find(), "'" + e.getMessage() + "' should name " + wrong.field());
    }

    @Test
    void readerRejectsARecordWithoutDeviceIdAndABlankId() throws IOException {
        ObjectNode record = (ObjectNode) readJson(EXAMPLES.resolve("device-records.json")).get(0).deepCopy();
        record.remove(PostureJson.DEVICE_ID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostureJson.readRecord(record));
        assertTrue(e.getMessage().contains("device_id"), e.getMessage());
        assertBlamed(recordsSchema.validate(JSON.createArrayNode().add(record)), "/0/device_id");

        assertThrows(IllegalArgumentException.class, () -> PostureJson.read(" ", exampleClaims().get("posture")));
    }

    @Test
    void recordsAcceptIsoInstantsButNotOtherText() throws IOException {
        ArrayNode file = (ArrayNode) readJson(EXAMPLES.resolve("device-records.json"));
        ObjectNode observed = ((ObjectNode) file.get(0)).withObjectProperty("observed_at");
        observed.put("mdm", "2026-11-17T08:41:12.5+09:00");
        assertEquals(List.of(), messages(recordsSchema.validate(file)));
        observed.put("mdm", "yesterday");
        assertBlamed(recordsSchema.validate(file), "/0/observed_at/mdm");
        assertThrows(IllegalArgumentException.class, () -> PostureJson.readRecord(file.get(0)));
    }

    // ---- OsVersion, and the schema's version pattern against it

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "10.10, 10.9, 1",
            "10.9, 10.10, -1",
            "10.0, 10, 0",
            "10, 10.0.0, 0",
            "10.0.22631.4460, 10.0.22000.2538, 1",
            "10.0.26100, 10.0.26100.1, -1",
            "17.6, 17.6, 0",
            "9, 10, -1",
            "010, 10, 0",
            "2.0.1, 2.1, -1"})
    void osVersionsCompareAsNumbers(String a, String b, int sign) {
        OsVersion x = OsVersion.parse(a).orElseThrow(() -> new AssertionError(a + " should parse"));
        OsVersion y = OsVersion.parse(b).orElseThrow(() -> new AssertionError(b + " should parse"));
        assertEquals(sign, Integer.signum(x.compareTo(y)));
        assertEquals(-sign, Integer.signum(y.compareTo(x)));
        assertEquals(sign == 0, x.equals(y));
        if (sign == 0) {
            assertEquals(x.hashCode(), y.hashCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.a", "", "10.", ".10", "1..2", "-1", " 10", "10 ", "+1", "1e3", "v10", "10,0",
            "1234567890", "10.0.22631.4460-beta"})
    void invalidOsVersionsAreRefusedByParserAndSchema(String text) throws IOException {
        assertEquals(Optional.empty(), OsVersion.parse(text));
        assertFalse(tokenSchema.validate(claimsWithVersion(text)).isEmpty(), "schema should refuse '" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "10.0", "10.0.26100.7171", "0", "123456789.1", "26.1"})
    void validOsVersionsAreAcceptedByParserAndSchema(String text) throws IOException {
        assertEquals(text, OsVersion.parse(text).map(OsVersion::toString).orElse(null));
        assertEquals(List.of(), messages(tokenSchema.validate(claimsWithVersion(text))));
    }

    @Test
    void osVersionLengthLimitIsSharedByParserAndSchema() throws IOException {
        String longest = "11" + ".1".repeat(31);
        String tooLong = longest + "1";
        assertEquals(64, longest.length());
        assertTrue(OsVersion.parse(longest).isPresent());
        assertEquals(List.of(), messages(tokenSchema.validate(claimsWithVersion(longest))));
        assertEquals(Optional.empty(), OsVersion.parse(tooLong));
        assertFalse(tokenSchema.validate(claimsWithVersion(tooLong)).isEmpty());
        assertEquals(Optional.empty(), OsVersion.parse(null));
    }

    private static ObjectNode claimsWithVersion(String version) throws IOException {
        ObjectNode claims = exampleClaims();
        posture(claims).withObjectProperty("os").put("version", version);
        return claims;
    }

    // ---- helpers

    private static ObjectNode exampleClaims() throws IOException {
        return (ObjectNode) readJson(EXAMPLES.resolve("device-posture-token.claims.json"));
    }

    private static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }

    private static List<String> messages(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
    }

    /** At least one error, and every error is about the given location (or names the missing property there). */
    private static void assertBlamed(Set<ValidationMessage> errors, String pointer) {
        assertFalse(errors.isEmpty(), "expected an error at " + pointer);
        for (ValidationMessage error : errors) {
            String at = error.getInstanceLocation().toString();
            if (error.getProperty() != null && "required".equals(error.getType())) {
                at = at + "/" + error.getProperty();
            }
            assertTrue(at.startsWith(pointer), "error not about " + pointer + ": " + error.getMessage());
        }
    }
}
