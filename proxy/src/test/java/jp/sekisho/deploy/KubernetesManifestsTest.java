package jp.sekisho.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.policy.source.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kustomize manifests in {@code k8s/} render, every object is a valid Kubernetes object
 * with no unknown field, the pods meet the "restricted" Pod Security Standard, and the
 * configuration they carry is one Sekisho itself accepts, on the ports the probes ask.
 */
class KubernetesManifestsTest {

    private static final String SINGLE_NODE = "overlays/single-node";
    private static final String HA = "overlays/ha";
    private static final String CONFIG_FILE = "sekisho.yaml";

    @BeforeAll
    static void kubectl() {
        Kustomize.requireKubectl();
    }

    static List<HasMetadata> objects(String dir) {
        return Kustomize.render(dir).stream().map(KubernetesSchema::read).toList();
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = all(objects, kind);
        assertEquals(1, found.size(), "one " + kind.getSimpleName() + ": " + found);
        return found.get(0);
    }

    static Container sekisho(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("sekisho")).findFirst().orElseThrow();
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {SINGLE_NODE, HA, "components/monitoring", "components/networkpolicy"})
    void everyRenderedObjectMatchesItsKubernetesSchemaWithNoUnknownField(String dir) {
        List<HasMetadata> objects = objects(dir);
        assertFalse(objects.isEmpty(), dir + " renders objects");
    }

    @Test
    void aMisspeltOrMistypedFieldIsRefused() {
        JsonNode deployment = Kustomize.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          securityContext: {readOnlyRootFilesytem: true}
                """).get(0);
        AssertionError unknown = assertThrows(AssertionError.class,
                () -> KubernetesSchema.read(deployment));
        assertTrue(unknown.getMessage().contains(
                "spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem"), unknown.getMessage());
        JsonNode mistyped = Kustomize.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                data: {port: 8080}
                """).get(0);
        AssertionError error = assertThrows(AssertionError.class,
                () -> KubernetesSchema.read(mistyped));
        assertTrue(error.getMessage().contains("data.port"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {SINGLE_NODE, HA})
    void podsMeetTheRestrictedPodSecurityStandard(String overlay) {
        List<HasMetadata> objects = objects(overlay);
        for (Deployment deployment : all(objects, Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            var podSecurity = pod.getSecurityContext();
            assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), "runAsNonRoot");
            for (Long id : new Long[] {podSecurity.getRunAsUser(), podSecurity.getRunAsGroup(),
                    podSecurity.getFsGroup()}) {
                assertNotNull(id, "runAsUser, runAsGroup and fsGroup are set");
                assertNotEquals(0L, id, "not root");
            }
            assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType());
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "no API token in the pod");
            ServiceAccount account = all(objects, ServiceAccount.class).stream()
                    .filter(a -> a.getMetadata().getName().equals(pod.getServiceAccountName())).findFirst()
                    .orElseThrow(() -> new AssertionError("the pod's ServiceAccount is rendered"));
            assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken());
            for (Container container : pod.getContainers()) {
                var security = container.getSecurityContext();
                assertNotNull(security, container.getName());
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), container.getName());
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), container.getName());
                assertTrue(security.getCapabilities().getDrop().contains("ALL"), container.getName());
                assertNotEquals(Boolean.FALSE, security.getRunAsNonRoot(), container.getName());
                assertNotNull(container.getResources().getRequests().get("memory"), "memory request");
                assertNotNull(container.getResources().getLimits().get("memory"), "memory limit");
                assertNotNull(container.getResources().getRequests().get("cpu"), "cpu request (the HPA needs it)");
            }
        }
        for (Namespace namespace : all(objects, Namespace.class)) {
            assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SINGLE_NODE, HA})
    void probesAskTheManagementPortAndTheConfigurationIsMountedAsAFolder(String overlay, @TempDir Path dir)
            throws Exception {
        List<HasMetadata> objects = objects(overlay);
        Deployment deployment = one(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = sekisho(deployment);

        List<String> args = container.getArgs();
        String config = args.get(args.indexOf("--config") + 1);
        Path configDir = Path.of(config).getParent();
        assertEquals(CONFIG_FILE, Path.of(config).getFileName().toString());
        VolumeMount configMount = container.getVolumeMounts().stream()
                .filter(m -> Path.of(m.getMountPath()).equals(configDir)).findFirst()
                .orElseThrow(() -> new AssertionError("a volume is mounted at " + configDir));
        assertNull(configMount.getSubPath(), "a subPath mount never sees ConfigMap updates, so no hot reload");
        assertNull(configMount.getSubPathExpr());
        assertEquals(configMap(objects).getMetadata().getName(),
                volume(pod, configMount.getName()).getConfigMap().getName());
        SekishoConfig settings = loadConfig(objects, dir).settings();
        assertEquals(settings.management().port(), containerPort(container, "management"));
        assertEquals(settings.listen().port(), containerPort(container, "staff"));
        assertEquals("0.0.0.0", settings.management().host(), "Prometheus in the cluster scrapes it");
        assertProbe(container.getStartupProbe(), "/healthz", "startup");
        assertProbe(container.getLivenessProbe(), "/healthz", "liveness");
        assertProbe(container.getReadinessProbe(), "/readyz", "readiness");

        VolumeMount data = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(settings.dataDir())).findFirst()
                .orElseThrow(() -> new AssertionError("dataDir " + settings.dataDir() + " is a volume"));
        assertNotEquals(Boolean.TRUE, data.getReadOnly(), "audit records are written to dataDir");
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                "/tmp is writable on a read-only root filesystem");

        Service service = one(objects, Service.class);
        Map<String, Object> targets = service.getSpec().getPorts().stream().collect(
                Collectors.toMap(ServicePort::getName, p -> p.getTargetPort().getValue()));
        assertEquals(Map.of("staff", "staff", "management", "management"), targets);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
    }

    @ParameterizedTest
    @ValueSource(strings = {SINGLE_NODE, HA})
    void theConfigurationInTheConfigMapPassesSekishosOwnChecks(String overlay, @TempDir Path dir) throws Exception {
        LoadedConfig loaded = loadConfig(objects(overlay), dir);
        assertFalse(loaded.policy().apps().isEmpty(), "an app to start from");
        assertEquals(1, loaded.settings().issuers().size());
    }

    @Test
    void haReplicasShareThePostgresqlStoreWithTheirPasswordMounted(@TempDir Path dir) throws Exception {
        List<HasMetadata> objects = objects(HA);
        LoadedConfig loaded = loadConfig(objects, dir);
        assertEquals("postgresql", loaded.settings().policyStore().type());
        Path password = Path.of(loaded.settings().policyStore().passwordFile());
        var pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();
        var mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> password.startsWith(m.getMountPath())).findFirst().orElseThrow();
        assertEquals("sekisho-store", volume(pod, mount.getName()).getSecret().getSecretName());
        assertEquals("127.0.0.1", loaded.settings().admin().listen().host(), "admins come in by port-forward");
        assertEquals("embedded", loadConfig(objects(SINGLE_NODE), Files.createDirectories(dir.resolve("single")))
                .settings().policyStore().type(), "single-node keeps the embedded store");
    }

    @Test
    void singleNodeRunsOnePodWritingToAPersistentVolume() {
        List<HasMetadata> objects = objects(SINGLE_NODE);
        Deployment deployment = one(objects, Deployment.class);
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType(), "never two writers of the audit files");
        PersistentVolumeClaim claim = one(objects, PersistentVolumeClaim.class);
        Volume data = volume(deployment.getSpec().getTemplate().getSpec(), "data");
        assertEquals(claim.getMetadata().getName(), data.getPersistentVolumeClaim().getClaimName());
        assertNull(data.getEmptyDir(), "the PVC replaces the base's emptyDir");
    }

    @Test
    void haSpreadsReplicasAndBoundsDisruptionAndScaling() {
        List<HasMetadata> objects = objects(HA);
        Deployment deployment = one(objects, Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(deployment.getSpec().getReplicas() >= 2, "replicas: " + deployment.getSpec().getReplicas());
        List<String> spreadKeys = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()
                .stream().peek(c -> assertSelects(c.getLabelSelector(), podLabels))
                .map(c -> c.getTopologyKey()).toList();
        assertTrue(spreadKeys.containsAll(List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")),
                spreadKeys.toString());

        PodDisruptionBudget budget = one(objects, PodDisruptionBudget.class);
        assertSelects(budget.getSpec().getSelector(), podLabels);
        assertTrue(budget.getSpec().getMinAvailable() != null || budget.getSpec().getMaxUnavailable() != null);

        HorizontalPodAutoscaler scaler = one(objects, HorizontalPodAutoscaler.class);
        var target = scaler.getSpec().getScaleTargetRef();
        assertEquals(List.of("apps/v1", "Deployment", deployment.getMetadata().getName()),
                List.of(target.getApiVersion(), target.getKind(), target.getName()));
        assertTrue(scaler.getSpec().getMinReplicas() >= 2);
        assertTrue(scaler.getSpec().getMetrics().stream().anyMatch(m -> m.getResource() != null
                && m.getResource().getName().equals("cpu")), "scales on CPU");
    }

    @ParameterizedTest
    @ValueSource(strings = {"components/monitoring", SINGLE_NODE, HA})
    void everyDashboardIsAConfigMapGrafanaLoadsAndPrometheusPicksUpTheMonitors(String dir) throws Exception {
        List<HasMetadata> objects = objects(dir);
        List<ConfigMap> dashboards = all(objects, ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).toList();
        ObjectMapper json = new ObjectMapper();
        Path folder = Kustomize.REPO.resolve("k8s/components/monitoring/dashboards");
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 4, files.toString());
        for (Path file : files) {
            String name = file.getFileName().toString();
            JsonNode expected = json.readTree(Files.readString(file, StandardCharsets.UTF_8));
            assertTrue(dashboards.stream().anyMatch(c -> c.getData().containsKey(name)
                            && readTree(json, c.getData().get(name)).equals(expected)),
                    name + " is in a ConfigMap labelled grafana_dashboard: \"1\" (add it to the configMapGenerator)");
        }
        for (HasMetadata monitor : Stream.concat(all(objects, ServiceMonitor.class).stream(),
                all(objects, PrometheusRule.class).stream()).toList()) {
            assertNotNull(monitor.getMetadata().getLabels().get("release"),
                    monitor.getKind() + " carries kube-prometheus-stack's release label");
        }
        ServiceMonitor monitor = one(objects, ServiceMonitor.class);
        assertEquals(List.of("management:/metrics"), monitor.getSpec().getEndpoints().stream()
                .map(e -> e.getPort() + ":" + e.getPath()).toList());
        one(objects, PrometheusRule.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"components/networkpolicy", SINGLE_NODE, HA})
    void networkPoliciesDenyByDefaultAndAdmitManagementOnlyFromMonitoring(String dir) {
        NetworkPolicies policies = new NetworkPolicies(all(objects(dir), NetworkPolicy.class));
        policies.assertDefaultDeny(Map.of("app.kubernetes.io/name", "sekisho"));
        policies.assertPortOnlyFromNamespace("management", 9090, "monitoring");
        policies.assertPortOpen("staff");
        policies.assertEgressOnPort(53);
    }

    private static JsonNode readTree(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    private static void assertSelects(LabelSelector selector, Map<String, String> podLabels) {
        assertNotNull(selector);
        assertTrue(podLabels.entrySet().containsAll(selector.getMatchLabels().entrySet()),
                selector + " selects the pods " + podLabels);
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }

    private static void assertProbe(Probe probe, String path, String which) {
        assertNotNull(probe, which + " probe");
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, which + " probe is an HTTP GET");
        assertEquals(path, get.getPath(), which);
        assertEquals("management", get.getPort().getValue(), which + " probe asks the management port");
    }

    private static ConfigMap configMap(List<HasMetadata> objects) {
        List<ConfigMap> configs = all(objects, ConfigMap.class).stream()
                .filter(c -> c.getData() != null && c.getData().containsKey(CONFIG_FILE)).toList();
        assertEquals(1, configs.size(), "one ConfigMap holds " + CONFIG_FILE);
        return configs.get(0);
    }

    /** Loads the ConfigMap's sekisho.yaml as {@code sekisho validate} does. */
    private static LoadedConfig loadConfig(List<HasMetadata> objects, Path dir) throws Exception {
        Path file = dir.resolve(CONFIG_FILE);
        Files.writeString(file, configMap(objects).getData().get(CONFIG_FILE), StandardCharsets.UTF_8);
        try {
            return new ConfigLoader().load(file);
        } catch (ConfigException e) {
            throw new AssertionError("Sekisho refuses the ConfigMap's " + CONFIG_FILE + ":\n"
                    + e.errors().stream().map(Object::toString).collect(Collectors.joining("\n")), e);
        }
    }
}
