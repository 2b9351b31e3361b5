package dev.outpost.it.k8s;

import static dev.outpost.it.k8s.MockIstio.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.it.ads.SotwClient;
import dev.outpost.server.k8s.KubernetesServing;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client proxy in a cluster: the workload's pod in fabric8's mock API server (CRUD mode) is the
 * proxy's identity (the bootstrap sends only the node id and ROLE=client), its namespace's Sidecar
 * and the mesh config ConfigMap come from the API server, and a change to the Sidecar reaches the
 * proxy's routes on the open stream.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesClientProxyAdsTest {
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesServing outpost;

  @BeforeEach
  void cluster() {
    MockIstio.serve(server);
    apply(client, MockIstio.workloadPod("sleep-1", "apps", "sleep", "sleep"));
    apply(client, external("apps", "api.example.com"));
    apply(client, external("payments", "pay.example.com"));
  }

  @AfterEach
  void stop() {
    if (outpost != null) {
      outpost.close();
    }
  }

  @Test
  void theSidecarFromTheApiServerScopesTheClientAndEditsArePushed() throws Exception {
    apply(client, sidecar("[\"./*\"]"));
    apply(client, MESH_CONFIG_ALLOW_ANY);
    outpost = MockIstio.startOutpost(client);

    try (SotwClient envoy = new SotwClient(outpost.server().xdsPort(), clientNode())) {
      envoy.request(RDS, List.of("http_proxy"));
      DiscoveryResponse first = envoy.await(RDS);
      envoy.ack(first, List.of("http_proxy"));
      assertEquals(
          List.of("allow_any", "api.example.com:80"),
          virtualHosts(first),
          "its own namespace's host only; the mesh config's ALLOW_ANY");

      apply(client, sidecar("[\"./*\", \"payments/*\"]"));
      DiscoveryResponse widened = awaitHosts(envoy, 3);
      assertEquals(List.of("allow_any", "api.example.com:80", "pay.example.com:80"), virtualHosts(widened));

      apply(client, MESH_CONFIG_ALLOW_ANY.replace("ALLOW_ANY", "REGISTRY_ONLY"));
      DiscoveryResponse closed = awaitHost(envoy, "block_all");
      assertTrue(virtualHosts(closed).contains("block_all"), virtualHosts(closed).toString());
    }
  }

  private static DiscoveryResponse awaitHosts(SotwClient envoy, int count) throws Exception {
    for (int i = 0; i < 6; i++) {
      DiscoveryResponse response = envoy.await(RDS);
      envoy.ack(response, List.of("http_proxy"));
      if (virtualHosts(response).size() == count) {
        return response;
      }
    }
    throw new AssertionError("no route config with " + count + " virtual hosts");
  }

  private static DiscoveryResponse awaitHost(SotwClient envoy, String name) throws Exception {
    for (int i = 0; i < 6; i++) {
      DiscoveryResponse response = envoy.await(RDS);
      envoy.ack(response, List.of("http_proxy"));
      if (virtualHosts(response).contains(name)) {
        return response;
      }
    }
    throw new AssertionError("no route config with virtual host " + name);
  }

  private static List<String> virtualHosts(DiscoveryResponse response) {
    try {
      RouteConfiguration routes = response.getResources(0).unpack(RouteConfiguration.class);
      return routes.getVirtualHostsList().stream().map(VirtualHost::getName).sorted().toList();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** What a bootstrap for the pod sends: in Kubernetes mode the pod supplies the rest. */
  private static Node clientNode() {
    Struct metadata =
        Struct.newBuilder().putFields("ROLE", Value.newBuilder().setStringValue("client").build()).build();
    return Node.newBuilder().setId("sleep-1.apps").setMetadata(metadata).build();
  }

  private static String sidecar(String hosts) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: apps}
        spec:
          egress:
          - hosts: %s
        """
        .formatted(hosts);
  }

  private static String external(String namespace, String host) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external, namespace: %s}
        spec:
          hosts: [%s]
          ports: [{number: 80, name: http, protocol: HTTP}]
          resolution: DNS
        """
        .formatted(namespace, host);
  }

  private static final String MESH_CONFIG_ALLOW_ANY =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: istio, namespace: istio-system}
      data:
        mesh: |
          outboundTrafficPolicy:
            mode: ALLOW_ANY
      """;
}
