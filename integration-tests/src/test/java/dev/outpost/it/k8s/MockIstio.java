package dev.outpost.it.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.k8s.IstioKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** fabric8's mock API server (CRUD mode) serving the Istio kinds, and YAML in and out of it. */
final class MockIstio {
  private MockIstio() {}

  /**
   * Discovery lists the Istio kinds at their newest version, as a current Istio serves them
   * ({@code /apis/networking.istio.io/v1}, {@code /apis/security.istio.io/v1}, EnvoyFilter at
   * {@code /apis/networking.istio.io/v1alpha3}); CRUD knows them.
   */
  static void serve(KubernetesMockServer server) {
    for (IstioKind kind : IstioKind.EGRESS) {
      server.expectCustomResource(
          new CustomResourceDefinitionContext.Builder()
              .withGroup(kind.group())
              .withVersion(kind.versions().get(0))
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

  /**
   * Outpost in Kubernetes mode against the mock API server (Secrets of istio-system, a short
   * debounce), synced; the caller closes it.
   */
  static dev.outpost.server.k8s.KubernetesServing startOutpost(KubernetesClient client) throws Exception {
    dev.outpost.server.k8s.KubernetesServing outpost =
        dev.outpost.server.k8s.KubernetesServing.start(
            builderFor(client),
            dev.outpost.k8s.WatcherOptions.defaults()
                .withSecretNamespaces(com.google.common.collect.ImmutableSet.of("istio-system"))
                .withDebounce(java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(1)),
            serving ->
                dev.outpost.server.OutpostServer.start(
                    new java.net.InetSocketAddress("127.0.0.1", 0),
                    new java.net.InetSocketAddress("127.0.0.1", 0),
                    serving));
    assertTrue(
        outpost.watcher().awaitSynced(java.time.Duration.ofSeconds(15)),
        "the watcher did not sync with the mock API server");
    return outpost;
  }

  /** A workload pod (IP 127.0.0.1, so the peer address check sees its proxy in it). */
  static String workloadPod(String name, String namespace, String serviceAccount, String app) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: %s
          uid: 0f6c1b0e-0000-4000-8000-000000000002
          labels: {app: %s}
        spec:
          serviceAccountName: %s
          containers: [{name: app, image: curlimages/curl}, {name: outpost-proxy, image: envoyproxy/envoy:v1.35.0}]
        status: {podIP: "127.0.0.1", podIPs: [{ip: "127.0.0.1"}]}
        """
        .formatted(name, namespace, app, serviceAccount);
  }

  /** An Istio object in istio-system, read back from the mock API server. */
  static GenericKubernetesResource resource(KubernetesClient client, String kind, String name) {
    return resource(client, "networking.istio.io/v1", kind, name);
  }

  /** The same at another API version (AuthorizationPolicy: security.istio.io/v1, EnvoyFilter: v1alpha3). */
  static GenericKubernetesResource resource(KubernetesClient client, String apiVersion, String kind, String name) {
    return client.genericKubernetesResources(apiVersion, kind).inNamespace("istio-system").withName(name).get();
  }

  /** The object once it has a status (or as it is after 30 s). */
  static GenericKubernetesResource awaitStatus(KubernetesClient client, String kind, String name) throws InterruptedException {
    return awaitResource(client, kind, name, r -> r.getAdditionalProperties().get("status") != null);
  }

  /** The object once its condition {@code type} has {@code status} (or as it is after 30 s). */
  static GenericKubernetesResource awaitCondition(
      KubernetesClient client, String kind, String name, String type, String status) throws InterruptedException {
    return awaitCondition(client, "networking.istio.io/v1", kind, name, type, status);
  }

  /** The same at another API version. */
  static GenericKubernetesResource awaitCondition(
      KubernetesClient client, String apiVersion, String kind, String name, String type, String status)
      throws InterruptedException {
    return awaitResource(client, apiVersion, kind, name, r -> r != null && status.equals(conditionOrEmpty(r, type).get("status")));
  }

  private static GenericKubernetesResource awaitResource(
      KubernetesClient client, String kind, String name, Predicate<GenericKubernetesResource> done) throws InterruptedException {
    return awaitResource(client, "networking.istio.io/v1", kind, name, done);
  }

  private static GenericKubernetesResource awaitResource(
      KubernetesClient client, String apiVersion, String kind, String name, Predicate<GenericKubernetesResource> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    GenericKubernetesResource resource = resource(client, apiVersion, kind, name);
    while (System.nanoTime() < deadline && !done.test(resource)) {
      Thread.sleep(200);
      resource = resource(client, apiVersion, kind, name);
    }
    return resource;
  }

  /** The status condition of that type; fails when there is none. */
  static Map<String, Object> condition(GenericKubernetesResource resource, String type) {
    Object status = resource.getAdditionalProperties().get("status");
    assertTrue(status instanceof Map, "no status on " + resource.getMetadata().getName());
    Map<String, Object> found = conditionOrEmpty(resource, type);
    if (found.isEmpty()) {
      throw new AssertionError("no " + type + " condition in " + status);
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> conditionOrEmpty(GenericKubernetesResource resource, String type) {
    if (resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> condition && type.equals(condition.get("type"))) {
          return (Map<String, Object>) condition;
        }
      }
    }
    return Map.of();
  }
}
