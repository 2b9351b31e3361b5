package dev.outpost.it.k8s;

import dev.outpost.k8s.IstioKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** fabric8's mock API server (CRUD mode) serving the Istio kinds, and YAML in and out of it. */
final class MockIstio {
  private MockIstio() {}

  /** Discovery ({@code /apis/networking.istio.io/v1}) lists the Istio kinds; CRUD knows them. */
  static void serve(KubernetesMockServer server) {
    for (IstioKind kind : IstioKind.EGRESS) {
      server.expectCustomResource(
          new CustomResourceDefinitionContext.Builder()
              .withGroup(kind.group())
              .withVersion("v1")
              .withKind(kind.kind())
              .withPlural(kind.plural())
              .withScope("Namespaced")
              .build());
    }
  }

  /** A builder for another client of the same mock server (the watcher owns the client it builds). */
  static KubernetesClientBuilder builderFor(KubernetesClient client) {
    return new KubernetesClientBuilder().withConfig(client.getConfiguration());
  }

  static void apply(KubernetesClient client, String yaml) {
    client.resource(yaml).createOr(op -> op.update());
  }

  static void delete(KubernetesClient client, String yaml) {
    client.resource(yaml).delete();
  }

  /**
   * The egress gateway's pod, as a Deployment makes it (with a label the bootstrap cannot know),
   * running: its IP is the loopback address the tests' gRPC clients connect from, so the server's
   * peer address check sees a proxy in its own pod.
   */
  static String gatewayPod(String name, String namespace, String serviceAccount) {
    return gatewayPod(name, namespace, serviceAccount, "127.0.0.1");
  }

  /** The gateway's pod with IP {@code podIp} (e.g. another pod's), or none yet when empty. */
  static String gatewayPod(String name, String namespace, String serviceAccount, String podIp) {
    String status = podIp.isEmpty() ? "" : "status: {podIP: \"%s\", podIPs: [{ip: \"%s\"}]}\n".formatted(podIp, podIp);
    return podWithoutStatus(name, namespace, serviceAccount) + status;
  }

  private static String podWithoutStatus(String name, String namespace, String serviceAccount) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: %s
          uid: 0f6c1b0e-0000-4000-8000-000000000001
          labels: {istio: egressgateway, app: istio-egressgateway, pod-template-hash: 7d9f8c}
        spec:
          serviceAccountName: %s
          containers: [{name: envoy, image: envoyproxy/envoy:v1.33.0}]
        """
        .formatted(name, namespace, serviceAccount);
  }
}
