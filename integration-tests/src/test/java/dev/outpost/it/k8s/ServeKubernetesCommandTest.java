package dev.outpost.it.k8s;

import static dev.outpost.it.k8s.MockIstio.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.it.ads.SotwClient;
import dev.outpost.server.cli.OutpostCli;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Status;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command line, {@code outpost serve --kubernetes --kubeconfig FILE ...}, in-process
 * against the mock API server: flags → watcher, CA Secret, identity checks, readiness, metrics.
 */
@EnableKubernetesMockClient(crud = true)
class ServeKubernetesCommandTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void serveKubernetesReadsTheClusterCreatesTheCaSecretAndChecksProxies(@TempDir Path dir) throws Exception {
    MockIstio.serve(server);
    apply(client, MockIstio.gatewayPod("egress-1", "istio-system", "istio-egressgateway"));
    apply(client, MockIstio.gatewayPod("outpost-egress-1", "istio-system", "istio-egressgateway")
        .replace("labels: {istio: egressgateway,", "labels: {outpost.dev/gateway: egress, istio: egressgateway,"));
    apply(client, """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress, namespace: istio-system, labels: {}}
        spec:
          selector: {istio: egressgateway, outpost.dev/gateway: egress}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        """);
    apply(client, """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: istiods, namespace: istio-system}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: 9090, name: http, protocol: HTTP}
            hosts: ["*"]
        """);
    apply(client, """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: no-hosts, namespace: istio-system}
        spec:
          ports: [{number: 443, name: tls, protocol: TLS}]
          resolution: DNS
        """);
    ServeProcess serve = ServeProcess.start(ServeProcess.kubeconfig(dir, client),
        "--system-namespace", "istio-system", "--ca-secret", "mesh-root", "--gateway-selector", "outpost.dev/gateway=egress",
        "--leader-elect", "--pod-name", "outpost-0");
    int xdsPort = serve.xdsPort;
    try {
      assertEquals("200 ready\n", serve.awaitReady());
      // --system-namespace wins over the context's namespace; it is also where Secrets are read.
      Secret ca = client.secrets().inNamespace("istio-system").withName("mesh-root").get();
      assertEquals(List.of("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"), ca.getData().keySet().stream().sorted().toList());

      // The gateway's pod carries only istio=egressgateway: Outpost's Gateway needs outpost.dev/gateway
      // too, so it selects nothing here, and istiod's Gateway (no such label) is not Outpost's at all.
      Node node = Node.newBuilder().setId("egress-1.istio-system")
          .setMetadata(Struct.newBuilder().putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())).build();
      try (SotwClient envoy = new SotwClient(xdsPort, node)) {
        envoy.request(Resources.V3.LISTENER_TYPE_URL, List.of());
        DiscoveryResponse lds = envoy.await(Resources.V3.LISTENER_TYPE_URL);
        assertEquals(0, lds.getResourcesCount(), "neither Gateway configures this pod");
      }
      Node outpostGateway = node.toBuilder().setId("outpost-egress-1.istio-system").build();
      try (SotwClient envoy = new SotwClient(xdsPort, outpostGateway)) {
        envoy.request(Resources.V3.LISTENER_TYPE_URL, List.of());
        DiscoveryResponse lds = envoy.await(Resources.V3.LISTENER_TYPE_URL);
        assertEquals(1, lds.getResourcesCount(), "only Outpost's Gateway (port 80), not istiod's (port 9090)");
        assertEquals("0.0.0.0_80",
            lds.getResources(0).unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class).getName());
      }
      Node liar = node.toBuilder().setMetadata(node.getMetadata().toBuilder()
          .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("default").build())).build();
      try (SotwClient envoy = new SotwClient(xdsPort, liar)) {
        envoy.request(Resources.V3.LISTENER_TYPE_URL, List.of());
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(envoy.awaitError()).getCode());
      }
      String metrics = serve.get("/metrics");
      assertTrue(metrics.contains("outpost_proxies_refused_total{reason=\"service_account_mismatch\"} 1\n"), metrics);
      assertTrue(metrics.contains("\noutpost_kubernetes_synced 1\n"), metrics);
      assertTrue(metrics.contains("\noutpost_kubernetes_api_server_reachable 1\n"), metrics);

      // --leader-elect: the only replica takes the Lease and writes what it made of each resource
      // on its status; istiod's Gateway (not selected by --gateway-selector) is left alone.
      GenericKubernetesResource gateway = awaitStatus("Gateway", "egress");
      Map<String, Object> accepted = condition(gateway, "Accepted");
      assertEquals("True", accepted.get("status"), gateway.getAdditionalProperties().toString());
      assertEquals("outpost-0", client.leases().inNamespace("istio-system").withName("outpost-leader").get()
          .getSpec().getHolderIdentity());
      GenericKubernetesResource invalid = awaitStatus("ServiceEntry", "no-hosts");
      Map<String, Object> rejected = condition(invalid, "Accepted");
      assertEquals("False", rejected.get("status"), invalid.getAdditionalProperties().toString());
      assertEquals("Invalid", rejected.get("reason"), invalid.getAdditionalProperties().toString());
      assertTrue(String.valueOf(rejected.get("message")).contains("spec.hosts"), rejected.toString());
      assertEquals(null, gatewayResource("istiods").getAdditionalProperties().get("status"), "istiod's Gateway untouched");
      String leaderMetrics = serve.get("/metrics");
      assertTrue(leaderMetrics.contains("\noutpost_leader 1\n"), leaderMetrics);
    } finally {
      assertEquals(0, serve.stop());
    }
  }

  private GenericKubernetesResource gatewayResource(String name) {
    return MockIstio.resource(client, "Gateway", name);
  }

  private GenericKubernetesResource awaitStatus(String kind, String name) throws InterruptedException {
    return MockIstio.awaitStatus(client, kind, name);
  }

  private static Map<String, Object> condition(GenericKubernetesResource resource, String type) {
    return MockIstio.condition(resource, type);
  }
}
