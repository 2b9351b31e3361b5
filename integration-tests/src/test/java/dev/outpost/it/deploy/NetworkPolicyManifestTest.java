package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The optional NetworkPolicy set: application namespaces reach only the gateway and DNS, the
 * gateway reaches the control plane's xDS port, and the selectors select the pods deploy/base runs.
 */
class NetworkPolicyManifestTest {
  private final DeployManifests manifests = DeployManifests.load();
  private final Gateway gateway = Gateway.of(manifests);
  private final ControlPlane controlPlane = ControlPlane.of(manifests);

  @Test
  void applicationNamespacesReachOnlyTheGatewayOutpostsXdsPortAndDns() {
    NetworkPolicy policy = manifests.one("networkpolicy/app-namespace", NetworkPolicy.class, "egress-only-via-gateway");
    assertNull(policy.getMetadata().getNamespace(), "applied with -n into each application namespace");
    assertEquals(Map.of(), policy.getSpec().getPodSelector().getMatchLabels(), "every pod of the namespace");
    assertEquals(List.of("Egress"), policy.getSpec().getPolicyTypes());
    List<NetworkPolicyEgressRule> rules = policy.getSpec().getEgress();
    assertEquals(3, rules.size(), "the gateway, Outpost's xDS port (client proxies), DNS, nothing else");

    NetworkPolicyPeer toGateway = rules.get(0).getTo().get(0);
    assertEquals(gateway.namespace(), toGateway.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
    GatewayManifestTest.assertSubset(toGateway.getPodSelector().getMatchLabels(), gateway.deployment().getSpec().getTemplate().getMetadata().getLabels(), "gateway peer");
    assertEquals(gateway.service().getSpec().getPorts().stream().map(ServicePort::getPort).collect(Collectors.toSet()), ports(rules.get(0)));

    NetworkPolicyPeer toOutpost = rules.get(1).getTo().get(0);
    assertEquals(gateway.namespace(), toOutpost.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
    assertTrue(selects(toOutpost.getPodSelector().getMatchLabels(), controlPlane.deployment().getSpec().getTemplate().getMetadata().getLabels()), "control plane peer");
    assertEquals(Set.of(controlPlane.xdsPort()), ports(rules.get(1)));

    NetworkPolicyPeer dns = rules.get(2).getTo().get(0);
    assertEquals("kube-dns", dns.getPodSelector().getMatchLabels().get("k8s-app"));
    assertEquals(Set.of(53), ports(rules.get(2)));
  }

  @Test
  void theGatewayReachesTheControlPlanesXdsPortAndTheControlPlaneAcceptsIt() {
    NetworkPolicy gatewayPolicy = manifests.one("networkpolicy/system", NetworkPolicy.class, Gateway.NAME);
    GatewayManifestTest.assertSubset(gatewayPolicy.getSpec().getPodSelector().getMatchLabels(), gateway.deployment().getSpec().getTemplate().getMetadata().getLabels(), "gateway policy");
    Map<String, String> controlPlaneLabels = controlPlane.deployment().getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(gatewayPolicy.getSpec().getEgress().stream().anyMatch(rule ->
            rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null && selects(peer.getPodSelector().getMatchLabels(), controlPlaneLabels))
                && ports(rule).equals(Set.of(controlPlane.xdsPort()))),
        "gateway egress to the control plane on " + controlPlane.xdsPort());

    NetworkPolicy outpostPolicy = manifests.one("networkpolicy/system", NetworkPolicy.class, ControlPlane.NAME);
    GatewayManifestTest.assertSubset(outpostPolicy.getSpec().getPodSelector().getMatchLabels(), controlPlaneLabels, "control plane policy");
    Map<String, String> gatewayLabels = gateway.deployment().getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(outpostPolicy.getSpec().getIngress().stream().anyMatch(rule ->
            rule.getFrom().stream().anyMatch(peer -> peer.getPodSelector() != null && selects(peer.getPodSelector().getMatchLabels(), gatewayLabels))
                && rule.getPorts().stream().map(p -> p.getPort().getIntVal()).collect(Collectors.toSet()).equals(Set.of(controlPlane.xdsPort()))),
        "control plane ingress from the gateway on " + controlPlane.xdsPort());
    assertTrue(outpostPolicy.getSpec().getIngress().stream().anyMatch(rule ->
            rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null && peer.getPodSelector() == null)
                && rule.getPorts().stream().map(p -> p.getPort().getIntVal()).collect(Collectors.toSet()).equals(Set.of(controlPlane.xdsPort()))),
        "control plane ingress from client proxies in application namespaces on " + controlPlane.xdsPort());
  }

  private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static Set<Integer> ports(NetworkPolicyEgressRule rule) {
    return rule.getPorts().stream().map(NetworkPolicyPort::getPort).map(p -> p.getIntVal()).collect(Collectors.toSet());
  }
}
