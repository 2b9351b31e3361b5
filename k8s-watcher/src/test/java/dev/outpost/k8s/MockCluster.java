package dev.outpost.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** Helpers for fabric8's mock API server in CRUD mode. */
final class MockCluster {
  private MockCluster() {}

  /**
   * Makes the mock API server serve the Istio kinds at these versions: its discovery endpoint
   * ({@code /apis/networking.istio.io/VERSION}) lists them and CRUD requests know their kind.
   */
  static void serveIstio(KubernetesMockServer server, String... versions) {
    for (IstioKind kind : IstioKind.EGRESS) {
      for (String version : versions) {
        server.expectCustomResource(
            new CustomResourceDefinitionContext.Builder()
                .withGroup(kind.group())
                .withVersion(version)
                .withKind(kind.kind())
                .withPlural(kind.plural())
                .withScope("Namespaced")
                .build());
      }
    }
  }

  /** A builder for a second client of the same mock server, which the watcher then owns. */
  static KubernetesClientBuilder builderFor(KubernetesClient client) {
    return new KubernetesClientBuilder().withConfig(client.getConfiguration());
  }

  /** Creates (or replaces) every object of a YAML text. */
  static void apply(KubernetesClient client, String yaml) {
    client.resource(yaml).createOr(op -> op.update());
  }

  static void delete(KubernetesClient client, String yaml) {
    client.resource(yaml).delete();
  }
}
