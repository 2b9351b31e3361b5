package dev.outpost.it.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.ca.CaException;
import dev.outpost.server.ca.KubernetesSecretCaStore;
import dev.outpost.server.ca.MeshCa;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The mesh CA kept in a Secret of the control plane's namespace (serve --kubernetes without --ca-dir). */
@EnableKubernetesMockClient(crud = true)
class CaSecretTest {
  private static final String NS = "outpost-system";
  private static final String TRUST_DOMAIN = "cluster.local";

  KubernetesMockServer server;
  KubernetesClient client;

  private MeshCa load(KubernetesClient kube) throws CaException {
    return MeshCa.load(new KubernetesSecretCaStore(kube, NS, TRUST_DOMAIN), TRUST_DOMAIN, Instant.now());
  }

  @Test
  void theRootIsCreatedOnceInAnOpaqueSecretAndReusedByASecondInstance() throws Exception {
    MeshCa first = load(client);
    Secret secret = client.secrets().inNamespace(NS).withName("outpost-ca").get();
    assertEquals("Opaque", secret.getType());
    assertEquals(List.of("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"), secret.getData().keySet().stream().sorted().toList());
    assertEquals("Secret " + NS + "/outpost-ca", first.location());
    String resourceVersion = secret.getMetadata().getResourceVersion();

    // A second server instance (its own client, its own store) reads the same root, writing nothing.
    try (KubernetesClient second = MockIstio.builderFor(client).build()) {
      MeshCa again = load(second);
      assertEquals(first.trustBundlePem(), again.trustBundlePem());
      assertEquals(first.signingCa().certificate(), again.signingCa().certificate());
    }
    assertEquals(resourceVersion, client.secrets().inNamespace(NS).withName("outpost-ca").get().getMetadata().getResourceVersion());
  }

  @Test
  void theLoserOfACreationRaceUsesTheWinnersRoot() throws Exception {
    MeshCa winner = load(client);
    // The loser read before the winner created: its GET says 404, its create then gets 409.
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/outpost-ca")
        .andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")
        .once();
    MeshCa loser = load(client);
    assertEquals(winner.trustBundlePem(), loser.trustBundlePem());
  }

  @Test
  void concurrentReplicasEndUpWithOneRoot() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Callable<String> replica = () -> {
        try (KubernetesClient own = MockIstio.builderFor(client).build()) {
          return load(own).trustBundlePem();
        }
      };
      List<Future<String>> roots = pool.invokeAll(List.of(replica, replica, replica));
      String root = client.secrets().inNamespace(NS).withName("outpost-ca").get().getData().get("root-cert.pem");
      String expected = new String(java.util.Base64.getDecoder().decode(root), java.nio.charset.StandardCharsets.UTF_8);
      for (Future<String> r : roots) {
        assertEquals(expected, r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void istiosCacertsSecretIsUsedAsAPluggedInCaAndNothingIsCreated() throws Exception {
    // Make real CA material (Outpost's own root, in another namespace) and plug it in as Istio's cacerts.
    MeshCa elsewhere = MeshCa.load(new KubernetesSecretCaStore(client, "other", TRUST_DOMAIN), TRUST_DOMAIN, Instant.now());
    Map<String, String> data = client.secrets().inNamespace("other").withName("outpost-ca").get().getData();
    client.secrets().inNamespace(NS).resource(
        new SecretBuilder().withNewMetadata().withName("cacerts").withNamespace(NS).endMetadata()
            .withType("Opaque").withData(data).build()).create();

    MeshCa plugged = load(client);
    assertEquals(elsewhere.trustBundlePem(), plugged.trustBundlePem());
    assertEquals("Secret " + NS + "/cacerts (plugged-in CA)", plugged.location());
    assertNull(client.secrets().inNamespace(NS).withName("outpost-ca").get(), "no root of our own next to a plugged-in CA");
  }

  @Test
  void anIncompleteSecretIsReportedAndNeverOverwritten() throws Exception {
    client.secrets().inNamespace(NS).resource(
        new SecretBuilder().withNewMetadata().withName("outpost-ca").withNamespace(NS).endMetadata()
            .withType("Opaque").addToStringData("root-cert.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").build())
        .create();
    String before = client.secrets().inNamespace(NS).withName("outpost-ca").get().getMetadata().getResourceVersion();
    CaException e = assertThrows(CaException.class, () -> load(client));
    assertTrue(e.getMessage().startsWith("mesh CA in Secret " + NS + "/outpost-ca lacks key(s) ca-cert.pem, ca-key.pem"), e.getMessage());
    assertEquals(before, client.secrets().inNamespace(NS).withName("outpost-ca").get().getMetadata().getResourceVersion());
  }

  @Test
  void aForbiddenCacertsMeansNotPluggedInButAForbiddenOwnSecretSaysWhichPermissionIsMissing() throws Exception {
    // RBAC that grants only the own Secret by name (deploy/) forbids reading cacerts: not an error.
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/cacerts")
        .andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}")
        .always();
    MeshCa own = MeshCa.load(new KubernetesSecretCaStore(client, NS, "mesh-root", TRUST_DOMAIN), TRUST_DOMAIN, Instant.now());
    assertEquals("Secret " + NS + "/mesh-root", own.location());
    assertEquals("Opaque", client.secrets().inNamespace(NS).withName("mesh-root").get().getType());

    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/outpost-ca")
        .andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}")
        .once();
    CaException e = assertThrows(CaException.class, () -> load(client));
    assertEquals(
        "cannot read Secret " + NS + "/outpost-ca for the mesh CA (HTTP 403, Forbidden); grant the control plane's ServiceAccount"
            + " get and create on secrets in namespace " + NS + " (a Role), or plug in a CA with --ca-dir",
        e.getMessage());
  }
}
