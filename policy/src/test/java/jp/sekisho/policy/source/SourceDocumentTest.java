package jp.sekisho.policy.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceDocumentTest {

    private static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object", "additionalProperties": false,
             "properties": {
               "apps": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                 "required": ["id"],
                 "properties": {"id": {"type": "string"}, "port": {"type": "integer", "maximum": 65535}}}}}}
            """;

    @Test
    void misspeltKeyIsReportedAtItsLineAndColumn() throws ConfigException {
        SourceDocument doc = SourceDocument.parse("policy.yaml", """
                apps:
                  - id: records
                    prot: 8080
                """);
        List<ConfigError> errors = new SchemaCheck(SCHEMA).check(doc);
        assertEquals(1, errors.size());
        assertEquals("policy.yaml:3:5: apps[0].prot: unknown field 'prot'; did you mean 'port'?", errors.get(0).toString());
    }

    @Test
    void everyErrorIsReportedNotJustTheFirst() throws ConfigException {
        SourceDocument doc = SourceDocument.parse("policy.yaml", """
                apps:
                  - port: 70000
                  - id: 12
                extra: true
                """);
        List<ConfigError> errors = new SchemaCheck(SCHEMA).check(doc);
        assertEquals(4, errors.size(), errors.toString());
        assertEquals(2, errors.get(0).line());
        assertEquals(4, errors.get(errors.size() - 1).line());
    }

    @Test
    void yamlSyntaxErrorNamesThePosition() {
        ConfigException e = assertThrows(ConfigException.class, () -> SourceDocument.parse("policy.yaml", """
                apps:
                  - id: [records
                """));
        ConfigError error = e.errors().get(0);
        assertEquals("policy.yaml", error.file());
        assertTrue(error.line() >= 2, error.toString());
        assertTrue(error.message().startsWith("YAML syntax"), error.toString());
    }

    @Test
    void duplicateKeyIsAnErrorNotASilentOverride() {
        ConfigException e = assertThrows(ConfigException.class, () -> SourceDocument.parse("policy.yaml", """
                apps:
                  - id: records
                    id: mail
                """));
        assertEquals("policy.yaml:3:5: apps[0].id: duplicate key 'id'", e.errors().get(0).toString());
    }

    @Test
    void emptyFileIsAnError() {
        assertThrows(ConfigException.class, () -> SourceDocument.parse("policy.yaml", "# nothing\n"));
    }

    @Test
    void scalarsKeepTheirYamlTypes() throws ConfigException {
        SourceDocument doc = SourceDocument.parse("x.yaml", "a: 1\nb: true\nc: text\nd: null\ne: '1'\n");
        assertTrue(doc.root().get("a").isIntegralNumber());
        assertTrue(doc.root().get("b").isBoolean());
        assertTrue(doc.root().get("c").isTextual());
        assertTrue(doc.root().get("d").isNull());
        assertTrue(doc.root().get("e").isTextual());
    }

    @Test
    void pointersReadAsPeopleWriteThem() {
        assertEquals("apps[0].allow[2].users", SourceDocument.displayPath("/apps/0/allow/2/users"));
        assertEquals("", SourceDocument.displayPath(""));
    }
}
