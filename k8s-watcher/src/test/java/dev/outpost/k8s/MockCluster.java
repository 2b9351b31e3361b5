package dev.outpost.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for fabric8's mock API server in CRUD mode. */
final class MockCluster {
  private MockCluster() {}

  /**
   * Makes the mock API server serve the Istio kinds at these versions, as far as Istio has them:
   * its discovery endpoint ({@code /apis/GROUP/VERSION}) lists them and CRUD requests know their
   * kind. A kind Istio never served at any of them is served at its oldest version, as every
   * Istio release does: EnvoyFilter at v1alpha3, AuthorizationPolicy at v1beta1.
   */
  static void serveIstio(KubernetesMockServer server, String... versions) {
    for (IstioKind kind : IstioKind.EGRESS) {
      List<String> served =
          Stream.of(versions).filter(kind.versions()::contains).toList();
      if (served.isEmpty()) {
        served = List.of(kind.versions().get(kind.versions().size() - 1));
      }
      for (String version : served) {
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
