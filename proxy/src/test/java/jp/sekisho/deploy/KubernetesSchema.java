package jp.sekisho.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a rendered object into its typed fabric8 model class, as strictly as the API server's
 * strict field validation ({@code kubectl apply} refuses unknown and mistyped fields).
 *
 * <p>fabric8's classes keep unknown fields in {@code additionalProperties} through a Jackson
 * any-setter; this reader removes that setter, so an unknown field is an error whose path
 * Jackson names. Scalar coercion is off too, so {@code replicas: "3"} or an unquoted number
 * where a string belongs fails as it would at the API server. Then the typed object is written
 * back and compared with the input: anything the model dropped or changed shows as a difference.
 */
final class KubernetesSchema {

    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private static final JsonMapper STRICT = strictMapper();

    private KubernetesSchema() {
    }

    /** The object as its model class; an {@link AssertionError} naming the object and field otherwise. */
    static HasMetadata read(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        String name = type + " " + object.path("metadata").path("name").asText();
        Class<? extends HasMetadata> model = TYPES.get(type);
        if (model == null) {
            throw new AssertionError(name + ": no schema for this kind here; add its fabric8 class to "
                    + KubernetesSchema.class.getSimpleName());
        }
        HasMetadata typed;
        try {
            typed = STRICT.treeToValue(object, model);
        } catch (JsonMappingException e) {
            throw new AssertionError(name + ": " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(name + ": " + e.getOriginalMessage(), e);
        }
        String difference = JsonDifference.first(object, STRICT.valueToTree(typed));
        if (difference != null) {
            throw new AssertionError(name + ": " + difference + " does not survive the model (mistyped?)");
        }
        return typed;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(top)" : path.toString();
    }

    private static JsonMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule("no-unknown-fields");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                         BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        JsonMapper mapper = JsonMapper.builder()
                .addModule(noAnySetter)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The first place two trees differ, ignoring empty and null values the model leaves out. */
    static final class JsonDifference {

        private JsonDifference() {
        }

        static String first(JsonNode expected, JsonNode actual) {
            return first(expected, actual, "");
        }

        private static String first(JsonNode a, JsonNode b, String path) {
            if (absent(a) && absent(b)) {
                return null;
            }
            if (absent(a) || absent(b)) {
                return label(path) + (absent(b) ? " is lost" : " appears");
            }
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue()) == 0 ? null : label(path);
            }
            if (a.isObject() && b.isObject()) {
                for (Iterator<String> names = a.fieldNames(); names.hasNext(); ) {
                    String field = names.next();
                    String d = first(a.get(field), b.get(field), path.isEmpty() ? field : path + "." + field);
                    if (d != null) {
                        return d;
                    }
                }
                for (Iterator<String> names = b.fieldNames(); names.hasNext(); ) {
                    String field = names.next();
                    if (!a.has(field) && !absent(b.get(field))) {
                        return label(path.isEmpty() ? field : path + "." + field) + " appears";
                    }
                }
                return null;
            }
            if (a.isArray() && b.isArray() && a.size() == b.size()) {
                for (int i = 0; i < a.size(); i++) {
                    String d = first(a.get(i), b.get(i), path + "[" + i + "]");
                    if (d != null) {
                        return d;
                    }
                }
                return null;
            }
            return a.equals(b) ? null : label(path) + " (" + a + " became " + b + ")";
        }

        private static boolean absent(JsonNode n) {
            return n == null || n.isNull() || (n.isContainerNode() && n.isEmpty());
        }

        private static String label(String path) {
            return path.isEmpty() ? "(top)" : path;
        }
    }
}
