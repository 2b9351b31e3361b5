package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.source.ConfigDirReader;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cluster example is a working scenario for the gateway deploy/base installs: translated for
 * that gateway's pod, it has no errors and gives the listener and the TLS-originating cluster the
 * walkthrough promises; the mTLS variant patches an existing rule and names a Secret that exists
 * where the gateway reads credentials.
 */
class ExampleManifestTest {
  private static final String EXAMPLE = "examples/cluster-egress";
  private static final String MTLS = "examples/cluster-egress-mtls";

  private final DeployManifests manifests = DeployManifests.load();
  private final Gateway gateway = Gateway.of(manifests);

  @Test
  void translatesWithoutErrorsForTheInstalledGateway() throws IOException {
    ConfigDirReader.Result read = new ConfigDirReader().read(DeployManifests.ROOT.resolve(EXAMPLE));
    ConfigSnapshot snapshot = read.addDiagnosticsTo(new SnapshotAssembler().assemble(read.files(), ConfigSnapshot.EMPTY));
    ProxyIdentity pod = ProxyIdentity.of(
        PodArgs.POD_NAME + "." + gateway.namespace(),
        ProxyRole.GATEWAY,
        gateway.namespace(),
        gateway.deployment().getSpec().getTemplate().getSpec().getServiceAccountName(),
        gateway.deployment().getSpec().getTemplate().getMetadata().getLabels());
    Translation translation = new Translator().translate(snapshot, pod, TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z")));

    List<Diagnostic> errors = java.util.stream.Stream.concat(snapshot.diagnostics().stream(), translation.diagnostics().stream())
        .filter(Diagnostic::isError).toList();
    assertEquals(List.of(), errors);
    Set<String> listeners = translation.resources().listeners().stream().map(Listener::getName).collect(Collectors.toSet());
    Set<String> clusters = translation.resources().clusters().stream().map(Cluster::getName).collect(Collectors.toSet());
    assertTrue(listeners.contains("0.0.0.0_80"), "listener for the Gateway's port 80: " + listeners);
    Cluster httpbin = translation.resources().clusters().stream()
        .filter(c -> c.getName().equals("outbound|443||httpbin.org")).findFirst()
        .orElseThrow(() -> new AssertionError("no cluster outbound|443||httpbin.org: " + clusters));
    assertEquals("envoy.transport_sockets.tls", httpbin.getTransportSocket().getName(), "the gateway originates TLS to httpbin.org:443");
  }

  @Test
  void theGatewayResourceSelectsTheInstalledGatewayOnItsServicePorts() {
    GenericKubernetesResource istioGateway = istio(EXAMPLE, "Gateway").get(0);
    Map<String, Object> spec = spec(istioGateway);
    GatewayManifestTest.assertSubset(stringMap(spec.get("selector")), gateway.deployment().getSpec().getTemplate().getMetadata().getLabels(), "Gateway selector");
    Set<Integer> servicePorts = gateway.service().getSpec().getPorts().stream().map(p -> p.getPort()).collect(Collectors.toSet());
    for (Object server : (List<?>) spec.get("servers")) {
      int port = ((Number) ((Map<?, ?>) ((Map<?, ?>) server).get("port")).get("number")).intValue();
      assertTrue(servicePorts.contains(port), "server port " + port + " is a port of Service " + gateway.service().getMetadata().getName());
    }
  }

  @Test
  void theMtlsVariantPatchesTheTlsRuleAndItsSecretIsWhereTheGatewayReadsCredentials() {
    GenericKubernetesResource patch = istio(MTLS, "DestinationRule").get(0);
    assertTrue(istio(EXAMPLE, "DestinationRule").stream().anyMatch(dr -> dr.getMetadata().getName().equals(patch.getMetadata().getName())
            && dr.getMetadata().getNamespace().equals(patch.getMetadata().getNamespace())),
        "the patch targets a DestinationRule of " + EXAMPLE);
    Map<?, ?> tls = (Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) spec(patch).get("trafficPolicy")).get("portLevelSettings")).get(0)).get("tls");
    assertEquals("MUTUAL", tls.get("mode"));
    Secret secret = manifests.one(MTLS, Secret.class, (String) tls.get("credentialName"));
    assertEquals(gateway.namespace(), secret.getMetadata().getNamespace(), "credentialName is read from the gateway's namespace");
    assertEquals(Set.of("tls.crt", "tls.key", "ca.crt"), secret.getStringData().keySet());
  }

  private List<GenericKubernetesResource> istio(String dir, String kind) {
    return manifests.all(dir, GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> stringMap(Object value) {
    return (Map<String, String>) value;
  }
}
