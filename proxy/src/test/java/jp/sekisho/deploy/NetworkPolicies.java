package jp.sekisho.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * What a set of NetworkPolicies admits to and from Sekisho's pods. Policies add up: traffic
 * passes when any rule of any policy selecting the pod admits it, so each check looks at all.
 */
final class NetworkPolicies {

    private final List<NetworkPolicy> policies;

    NetworkPolicies(List<NetworkPolicy> policies) {
        assertTrue(!policies.isEmpty(), "NetworkPolicies are rendered");
        this.policies = List.copyOf(policies);
    }

    void assertDefaultDeny(Map<String, String> podLabels) {
        assertTrue(policies.stream().anyMatch(p -> podLabels.equals(p.getSpec().getPodSelector().getMatchLabels())
                        && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                        && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty()),
                "a policy selects " + podLabels + " for Ingress and Egress and admits nothing");
    }

    /** Every ingress rule that opens the port (by name or number, or all ports) admits only that namespace. */
    void assertPortOnlyFromNamespace(String portName, int portNumber, String namespace) {
        int rules = 0;
        for (NetworkPolicy policy : policies) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                if (!opens(rule.getPorts(), portName, portNumber)) {
                    continue;
                }
                String where = policy.getMetadata().getName();
                assertTrue(!rule.getFrom().isEmpty(), where + " opens " + portName + " to everyone");
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertEquals(null, peer.getIpBlock(), where + " opens " + portName + " to addresses");
                    assertEquals(null, peer.getPodSelector(), where + ": only the namespace, no pod rule");
                    assertEquals(Map.of("kubernetes.io/metadata.name", namespace),
                            peer.getNamespaceSelector() == null ? null
                                    : peer.getNamespaceSelector().getMatchLabels(), where);
                    assertTrue(peer.getNamespaceSelector().getMatchExpressions().isEmpty(), where);
                }
                rules++;
            }
        }
        assertTrue(rules > 0, portName + " is open to the " + namespace + " namespace");
    }

    void assertPortOpen(String portName) {
        assertTrue(policies.stream().flatMap(p -> p.getSpec().getIngress().stream())
                .anyMatch(r -> opens(r.getPorts(), portName, -1)), portName + " admits staff traffic");
    }

    void assertEgressOnPort(int port) {
        assertTrue(policies.stream().flatMap(p -> p.getSpec().getEgress().stream())
                .anyMatch(r -> r.getPorts().stream().anyMatch(p -> is(p.getPort(), null, port))),
                "egress on port " + port);
    }

    private static boolean opens(List<NetworkPolicyPort> ports, String name, int number) {
        return ports.isEmpty() || ports.stream().anyMatch(p -> p.getPort() == null || is(p.getPort(), name, number));
    }

    private static boolean is(IntOrString port, String name, int number) {
        return port.getIntVal() != null ? port.getIntVal() == number : port.getStrVal().equals(name);
    }
}
