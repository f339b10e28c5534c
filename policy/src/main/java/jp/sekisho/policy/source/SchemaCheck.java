package jp.sekisho.policy.source;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Checks a document against a published JSON Schema and reports every violation with its
 * position. The schema is the contract administrators and their editors see; this class
 * only translates the validator's findings into located {@link ConfigError}s.
 */
public final class SchemaCheck {

    private final JsonSchema schema;
    /** The schema as a tree, to find which fields were allowed where an unknown one was written. */
    private final com.fasterxml.jackson.databind.JsonNode schemaTree;

    /** @param schemaJson the schema's text (draft 2020-12) */
    public SchemaCheck(String schemaJson) {
        try {
            this.schemaTree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(schemaJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the schema is not JSON: " + e.getMessage(), e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .formatAssertionsEnabled(true)
                .build();
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson, config);
    }

    public List<ConfigError> check(SourceDocument document) {
        List<ConfigError> errors = new ArrayList<>();
        for (ValidationMessage message : schema.validate(document.root())) {
            String pointer = message.getInstanceLocation().toString();
            String text = message.getError();
            if ("additionalProperties".equals(message.getType()) && message.getProperty() != null) {
                pointer = pointer + "/" + message.getProperty();
                text = "unknown field '" + message.getProperty() + "'"
                        + Suggestions.hint(message.getProperty(), allowedFields(message));
            }
            errors.add(document.error(pointer, text));
        }
        errors.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        return errors;
    }

    /** The field names the schema allows where an unknown one was found. */
    private List<String> allowedFields(ValidationMessage message) {
        String location = message.getSchemaLocation().getFragment().toString();
        String parent = location.endsWith("/additionalProperties")
                ? location.substring(0, location.length() - "/additionalProperties".length()) : location;
        List<String> names = new ArrayList<>();
        schemaTree.at(parent).path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
